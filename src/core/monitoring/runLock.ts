// "Only one of us runs this": a lock file per (service, job kind, scheduled time) in the backup repository,
// created with O_EXCL (open 'wx'), which NFS v3+ and SMB honour, unlike flock. The file holds owner, host,
// pid and an expiry; a lock whose holder went away is taken over only after it expired, through a second
// O_EXCL file so two agents cannot both take it over. A finished lock stays as the record that the slot ran.
import { mkdir, open, readFile, readdir, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../storage/atomicWrite';

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

export function locksDir(repositoryRoot: string): string {
  return join(repositoryRoot, '.lifeboat', 'locks');
}

export async function acquireRunLock(dir: string, name: string, o: LockOptions): Promise<LockAttempt> {
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  const created = await createExclusive(path, o);
  if (created) return held(path, created, o);
  const holder = await readRecord(path);
  if (!holder || holder.state !== 'running' || Date.parse(holder.expiresAt) > o.now()) return { won: false, path, holder };
  return takeOver(path, holder, o);
}

async function createExclusive(path: string, o: LockOptions): Promise<LockRecord | undefined> {
  const record: LockRecord = {
    owner: o.owner,
    host: o.host ?? hostname(),
    pid: o.pid ?? process.pid,
    nonce: randomBytes(8).toString('hex'),
    acquiredAt: new Date(o.now()).toISOString(),
    expiresAt: new Date(o.now() + o.ttlMs).toISOString(),
    state: 'running',
  };
  let handle;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(record) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return record;
}

async function takeOver(path: string, stale: LockRecord, o: LockOptions): Promise<LockAttempt> {
  const guard = `${path}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = await stat(guard).then((s) => o.now() - s.mtimeMs, () => 0);
    if (age > TAKEOVER_STALE_MS) await unlink(guard).catch(() => undefined);
    return { won: false, path, holder: stale };
  }
  await handle.close();
  try {
    // Still the same expired lock? Another agent may have taken it over and finished in between.
    const current = await readRecord(path);
    if (current && current.nonce !== stale.nonce) return { won: false, path, holder: current };
    await unlink(path).catch(() => undefined);
    const created = await createExclusive(path, o);
    return created ? held(path, created, o) : { won: false, path, holder: await readRecord(path) };
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

function held(path: string, record: LockRecord, o: LockOptions): HeldLock {
  let current = record;
  const rewrite = async (patch: Partial<LockRecord>) => {
    current = { ...current, ...patch };
    // Rename over the file: a reader sees the old record or the new one, never half of one.
    await writeFileAtomic(path, JSON.stringify(current) + '\n', 0o644);
  };
  return {
    won: true,
    path,
    get record() {
      return current;
    },
    refresh: () => rewrite({ expiresAt: new Date(o.now() + o.ttlMs).toISOString() }),
    finish: (outcome) => rewrite({ state: 'done', outcome, expiresAt: new Date(o.now()).toISOString() }),
  };
}

export async function readRecord(path: string): Promise<LockRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockRecord;
  } catch {
    // Missing, or being written this instant: treated as held (never as stale).
    return undefined;
  }
}

/** Lock files of one service and kind, for "did anyone run this slot" and for pruning. */
export async function listLocks(dir: string): Promise<string[]> {
  return readdir(dir).then((names) => names.filter((n) => n.endsWith('.lock')), () => []);
}

/** Removes finished lock records older than keepMs (they are only history). */
export async function pruneLocks(dir: string, keepMs: number, now: number): Promise<number> {
  let removed = 0;
  for (const name of await listLocks(dir)) {
    const record = await readRecord(join(dir, name));
    if (record?.state === 'done' && now - Date.parse(record.acquiredAt) > keepMs) {
      await rm(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
