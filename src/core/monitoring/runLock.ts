// "Only one of us runs this": a lock object per (service, job kind, scheduled time) in the backup repository's
// store, made with its conditional create (a hard link of a complete file on a folder, If-None-Match: * on S3
// and Azure Blob), so it is never seen half-written and of racing agents exactly one wins, on a share as in a
// bucket. The object holds owner, host, pid and an expiry; a lock whose holder went away is taken over only
// after it expired, through a second conditional object so two agents cannot both take it over. A finished
// lock stays as the record that the slot ran.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import type { LifeboatError } from '../lifeboatError';
import type { RepositoryStore } from '../repository/store/repositoryStore';
import { keyIn, type StoreFolder } from '../repository/store/storeFolder';

export interface LockRecord {
  owner: string;
  host: string;
  pid: number;
  nonce: string;
  acquiredAt: string;
  expiresAt: string;
  state: 'running' | 'done';
  outcome?: string;
}

export interface HeldLock {
  won: true;
  /** The lock's key in the repository. */
  path: string;
  record: LockRecord;
  /** Pushes the expiry out while the job still runs. */
  refresh(): Promise<void>;
  /** Marks the slot done (kept as its record). */
  finish(outcome: string): Promise<void>;
}

export type LockAttempt = HeldLock | { won: false; path: string; holder: LockRecord | undefined };

export interface LockOptions {
  owner: string;
  now: () => number;
  /** How long a running lock stays valid without a refresh. */
  ttlMs: number;
  host?: string;
  pid?: number;
}

/** A takeover file older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 60_000;

export function lockName(serviceId: string, kind: string, slot: number): string {
  // Compact UTC time: sorts by time and is a valid file name on every platform.
  const time = new Date(slot).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${serviceId}.${kind}.${time}.lock`;
}

/** Where the run locks of a repository live (beside the agents' journals, never among a service's files). */
export function locksFolder(store: RepositoryStore): StoreFolder {
  return { store, prefix: '.lifeboat/locks/' };
}

const READABLE = 0o644;

export async function acquireRunLock(folder: StoreFolder, name: string, o: LockOptions): Promise<LockAttempt> {
  const key = keyIn(folder, name);
  const created = await createExclusive(folder.store, key, o);
  if (created) return held(folder.store, key, created, o);
  const holder = await readRecord(folder.store, key);
  if (!holder || holder.state !== 'running' || Date.parse(holder.expiresAt) > o.now()) return { won: false, path: key, holder };
  return takeOver(folder.store, key, holder, o);
}

async function createExclusive(store: RepositoryStore, key: string, o: LockOptions): Promise<LockRecord | undefined> {
  const record: LockRecord = {
    owner: o.owner,
    host: o.host ?? hostname(),
    pid: o.pid ?? process.pid,
    nonce: randomBytes(8).toString('hex'),
    acquiredAt: new Date(o.now()).toISOString(),
    expiresAt: new Date(o.now() + o.ttlMs).toISOString(),
    state: 'running',
  };
  return (await store.createIfAbsent(key, Buffer.from(JSON.stringify(record) + '\n'), { fileMode: READABLE })) ? record : undefined;
}

async function takeOver(store: RepositoryStore, key: string, stale: LockRecord, o: LockOptions): Promise<LockAttempt> {
  const guard = `${key}.takeover`;
  if (!(await store.createIfAbsent(guard, Buffer.from(`${o.owner}\n`), { fileMode: READABLE }))) {
    const found = await store.stat(guard);
    if (found && o.now() - found.modifiedAt.getTime() > TAKEOVER_STALE_MS) await store.delete(guard).catch(() => undefined);
    return { won: false, path: key, holder: stale };
  }
  try {
    // Still the same expired lock? Another agent may have taken it over and finished in between.
    const current = await readRecord(store, key);
    if (current && current.nonce !== stale.nonce) return { won: false, path: key, holder: current };
    await store.delete(key);
    const created = await createExclusive(store, key, o);
    return created ? held(store, key, created, o) : { won: false, path: key, holder: await readRecord(store, key) };
  } finally {
    await store.delete(guard).catch(() => undefined);
  }
}

function held(store: RepositoryStore, key: string, record: LockRecord, o: LockOptions): HeldLock {
  let current = record;
  const rewrite = async (patch: Partial<LockRecord>) => {
    current = { ...current, ...patch };
    // A put replaces the object whole: a reader sees the old record or the new one, never half of one.
    await store.put(key, Readable.from([Buffer.from(JSON.stringify(current) + '\n')]), { fileMode: READABLE });
  };
  return {
    won: true,
    path: key,
    get record() {
      return current;
    },
    refresh: () => rewrite({ expiresAt: new Date(o.now() + o.ttlMs).toISOString() }),
    finish: (outcome) => rewrite({ state: 'done', outcome, expiresAt: new Date(o.now()).toISOString() }),
  };
}

/** The record of a lock; undefined when there is none (or it cannot be read as one), treated as held. */
export async function readRecord(store: RepositoryStore, key: string): Promise<LockRecord | undefined> {
  try {
    return JSON.parse((await store.getBytes(key)).toString('utf8')) as LockRecord;
  } catch (err) {
    if ((err as LifeboatError).code === 'NOT_FOUND' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Whether anyone ran (or runs) this slot. */
export async function lockExists(folder: StoreFolder, name: string): Promise<boolean> {
  return (await folder.store.stat(keyIn(folder, name))) !== undefined;
}

/** Removes finished lock records older than keepMs (they are only history). */
export async function pruneLocks(folder: StoreFolder, keepMs: number, now: number): Promise<number> {
  let removed = 0;
  for await (const found of folder.store.list(folder.prefix)) {
    if (!found.key.endsWith('.lock')) continue;
    const record = await readRecord(folder.store, found.key);
    if (record?.state === 'done' && now - Date.parse(record.acquiredAt) > keepMs) {
      await folder.store.delete(found.key);
      removed++;
    }
  }
  return removed;
}
