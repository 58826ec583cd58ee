// The WAL part of the repository: <service>/wal/<name>[.zst][.enc] for segments and .history files, each
// with a sidecar <name>.json created last and only if absent (size, SHA-256, LSN range, commit times), so a
// segment counts as archived only once whole, and of two pushers of one segment exactly one records it.
// Used by the streaming job, wal-push and wal-get, restores and the window, on any repository store.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { open, readFile, rename, rm, truncate } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
// zod's tree-shakeable form: restore_command and archive_command read sidecars on every call.
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';
import { storedFileSchema, ZERO_TAIL, type StoredFile } from '../repository/storedFile';
import { decodableInMemory, decodeStoredFile, readStoredFile, writeStoredFile } from '../repository/storedFileIo';
import type { RepositoryStore } from '../repository/store/repositoryStore';
import { keyIn, type StoreFolder } from '../repository/store/storeFolder';
import { scanWalSegment, WalScanError, type SegmentSummary } from './walRecordScan';
import { historyTimeline, isSegmentName, parseHistoryFile, parseSegmentName, segmentStart, type TimelineHistory } from './walNames';
import type { ArchivedSegment } from './recoverableWindow';

export const walEntrySchema = z.object({
  name: z.string(),
  /** .backup (a base backup's label) and .partial (the last segment of a timeline left at promotion) are
   * archived too, as PostgreSQL asks; the window reads only segments and history files. */
  kind: z.enum(['segment', 'history', 'backup', 'partial']),
  file: storedFileSchema,
  /** SHA-256 of the plain file: a second push of the same segment is recognised as identical. */
  sourceSha256: z.string(),
  archivedAt: z.string(),
  firstXactTime: z.optional(z.string()),
  lastXactTime: z.optional(z.string()),
  restorePoints: z._default(z.array(z.object({ name: z.string(), lsn: z.string() })), []),
  /** A .history file's content: timeline switch points only, no user data. */
  history: z.optional(z.string()),
});
export type WalEntry = z.infer<typeof walEntrySchema>;

/**
 * WAL is compressed in-process with gzip (level 1 when writing): a restore fetches dozens of segments, and a
 * zstd child process per segment cost ~150 ms each, four times the rest of the work. Older zstd segments
 * still read, since every file records its layers.
 */
export const WAL_COMPRESSION = 'gzip' as const;

/**
 * The WAL archive lives in a repository's store; nothing else of the repository is needed here. A service
 * kept in several repositories (policy.repositories) has copies: every file is stored in each before it
 * counts as archived, and a fetch takes the next copy when one is unreachable, lacks the file or fails its
 * checksum.
 */
export interface WalRepository {
  store: RepositoryStore;
  copies?: readonly WalRepository[];
}

export function walFolder(repo: WalRepository, serviceId: string): StoreFolder {
  return { store: repo.store, prefix: `${serviceId}/wal/` };
}

export interface ArchiveOptions {
  repo: WalRepository;
  serviceId: string;
  /** The plain file: a completed segment or a .history file. */
  sourcePath: string;
  name: string;
  key: Buffer | undefined;
  compress: 'zstd' | 'gzip' | undefined;
}

/** Archives one file; pushing the same content twice is fine, different content under one name is refused. */
export async function archiveWalFile(o: ArchiveOptions): Promise<WalEntry> {
  const entry = await archiveInto(o.repo, o);
  // Acknowledged only once every copy holds it: a copy that cannot take it fails the push, and PostgreSQL
  // keeps the segment and asks again.
  for (const copy of o.repo.copies ?? []) await archiveInto(copy, o);
  return entry;
}

async function archiveInto(repo: WalRepository, o: ArchiveOptions): Promise<WalEntry> {
  const kind = walFileKind(o.name);
  if (!kind) throw new LifeboatError('INVALID_INPUT', `${o.name} is not a file PostgreSQL archives (a WAL segment, .history, .backup or .partial).`, 'archive_command should pass %p.');
  const folder = walFolder(repo, o.serviceId);
  // Read once, whole (a segment is 16 MB by default): hashed, scanned for commit times and stored from
  // memory, instead of three passes over the file.
  const content = await readFile(o.sourcePath);
  const sourceSha256 = createHash('sha256').update(content).digest('hex');
  const existing = await readWalEntry(folder, o.name);
  if (existing) return sameOrConflict(existing, sourceSha256);
  const summary = kind === 'segment' ? summariseSegment(content, o.name) : undefined;
  // The stored bytes get a name of their own per push: two writers of one segment (the stream and an
  // archive_command, a retry beside a slow first try) each seal it with fresh nonces, and under one shared
  // name the loser of the sidecar race would replace the bytes the winner's sidecar vouches for.
  const storedName = `${o.name}.w${randomBytes(4).toString('hex')}` + (o.compress === 'zstd' ? '.zst' : o.compress === 'gzip' ? '.gz' : '') + (o.key ? '.enc' : '');
  // A segment's zeros after its last record are not stored (see zeroTail.ts).
  const trimZeroTail = kind === 'segment' || kind === 'partial';
  const written = await writeStoredFile({ folder, name: storedName, role: kind, source: Readable.from([content]), compress: o.compress, gzipLevel: 1, trimZeroTail, key: o.key });
  const entry: WalEntry = {
    name: o.name,
    kind,
    file: written,
    sourceSha256,
    archivedAt: new Date().toISOString(),
    firstXactTime: summary?.firstXactTime,
    lastXactTime: summary?.lastXactTime,
    restorePoints: summary?.restorePoints ?? [],
    history: kind === 'history' ? content.toString('utf8') : undefined,
  };
  // The commit point: created only if no other pusher recorded this file meanwhile.
  const recorded = await folder.store.createIfAbsent(keyIn(folder, `${o.name}.json`), Buffer.from(JSON.stringify(entry) + '\n'), { fileMode: 0o644 }).catch(async (err: unknown) => {
    await folder.store.delete(keyIn(folder, storedName)).catch(() => undefined);
    throw err;
  });
  if (recorded) return entry;
  // Another writer recorded it first: its bytes stand, these go.
  await folder.store.delete(keyIn(folder, storedName)).catch(() => undefined);
  const winner = await readWalEntry(folder, o.name);
  if (!winner) throw new LifeboatError('CONFLICT', `${o.name} was recorded by another writer and then removed while this one stored it.`, 'Push it again: lifeboat wal-push <path> --service <id>.');
  return sameOrConflict(winner, sourceSha256);
}

function sameOrConflict(existing: WalEntry, sourceSha256: string): WalEntry {
  if (existing.sourceSha256 === sourceSha256) return existing;
  throw new LifeboatError('CONFLICT', `${existing.name} is already archived with different content.`, 'Two servers may be archiving into the same service folder, or the server was restored without a new timeline. Check the service\'s WAL settings before archiving again.');
}

/**
 * What pushes whose process died mid-write left (a pusher killed with SIGKILL: a temporary file, an
 * unfinished upload): it never counts as archived (no sidecar names it), and the next pusher removes it.
 */
export async function removeAbandonedWrites(repo: WalRepository, serviceId: string, now = Date.now()): Promise<number> {
  const folder = walFolder(repo, serviceId);
  let removed = await repo.store.cleanIncomplete(folder.prefix, { startedBefore: new Date(now) });
  // Stored bytes no sidecar names: a writer killed between storing them and recording them, or the loser
  // of a race that could not remove its own. Only old ones: a younger one may belong to a push under way.
  const objects = new Map<string, Date>();
  for await (const found of repo.store.list(folder.prefix)) objects.set(found.key.slice(folder.prefix.length), found.modifiedAt);
  const stored = new Map<string, string[]>();
  for (const name of objects.keys()) {
    const file = /^([0-9A-F]{24}(?:\.partial|\.[0-9A-F]{8}\.backup)?|[0-9A-F]{8}\.history)\.w[0-9a-f]{8}(?:\.|$)/.exec(name);
    if (file) stored.set(file[1]!, [...(stored.get(file[1]!) ?? []), name]);
  }
  for (const [walName, names] of stored) {
    const old = names.filter((n) => now - objects.get(n)!.getTime() > ABANDONED_AFTER_MS);
    if (!old.length) continue;
    const entry = objects.has(`${walName}.json`) ? await readWalEntry(folder, walName) : undefined;
    for (const name of old) {
      if (name === entry?.file.name) continue;
      await repo.store.delete(keyIn(folder, name));
      removed++;
    }
  }
  return removed;
}

/** How old stored bytes without a sidecar must be before they count as abandoned, not as a push under way. */
const ABANDONED_AFTER_MS = 15 * 60_000;

/**
 * Commit times and restore points, read in-process (pg_waldump took 0.26 s per busy segment). WAL this
 * Lifeboat cannot read (a newer PostgreSQL's) is still archived: the window then knows it in LSNs only. A
 * segment whose pages belong to another position is refused: restored under its name, it would be wrong WAL.
 */
function summariseSegment(content: Buffer, name: string): SegmentSummary | undefined {
  try {
    return scanWalSegment(content, { segmentStartLsn: segmentStart(parseSegmentName(name, content.length).segNo, content.length) });
  } catch (err) {
    if (!(err instanceof WalScanError)) throw err;
    if (err.code === 'WRONG_SEGMENT') throw new LifeboatError('INVALID_INPUT', `${name} does not hold the WAL its name says: ${err.message}`, "archive_command must pass PostgreSQL's own %p: archive_command = 'lifeboat wal-push --async %p --service <id>'.");
    return undefined;
  }
}

export function walFileKind(name: string): WalEntry['kind'] | undefined {
  if (isSegmentName(name)) return 'segment';
  if (historyTimeline(name) !== undefined) return 'history';
  if (/^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/.test(name)) return 'backup';
  if (/^[0-9A-F]{24}\.partial$/.test(name)) return 'partial';
  return undefined;
}

/**
 * A file's sidecar, or undefined when the file is not (completely) archived. A store that cannot be read
 * (unreachable, refused) says so: "not archived" would send a restore_command's caller on a wrong trail.
 */
async function readWalEntry(folder: StoreFolder, name: string, options: { blocking?: boolean } = {}): Promise<WalEntry | undefined> {
  let bytes: Buffer;
  try {
    bytes = await folder.store.getBytes(keyIn(folder, `${name}.json`), options);
  } catch (err) {
    if ((err as LifeboatError).code === 'NOT_FOUND') return undefined;
    throw err;
  }
  try {
    return walEntrySchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}

/** One archived file's entry, or undefined when it is not (completely) archived. */
export async function walEntryOf(repo: WalRepository, serviceId: string, name: string): Promise<WalEntry | undefined> {
  let failure: unknown;
  for (const source of [repo, ...(repo.copies ?? [])]) {
    const entry = await readWalEntry(walFolder(source, serviceId), name).catch((err: unknown) => void (failure ??= err));
    if (entry) return entry;
  }
  if (failure !== undefined) throw failure;
  return undefined;
}

/** Sidecars read at once: a folder answers quickly either way; an object store is asked per sidecar. */
const SIDECAR_READS = 32;

/** The archive's entries, from the first copy that answers (the window then shows that copy's WAL). */
export async function listWalEntries(repo: WalRepository, serviceId: string): Promise<WalEntry[]> {
  const copies = repo.copies ?? [];
  try {
    return await listIn(repo, serviceId);
  } catch (err) {
    for (const copy of copies) {
      const listed = await listIn(copy, serviceId).catch(() => undefined);
      if (listed) return listed;
    }
    throw err;
  }
}

async function listIn(repo: WalRepository, serviceId: string): Promise<WalEntry[]> {
  const folder = walFolder(repo, serviceId);
  const names: string[] = [];
  for await (const found of repo.store.list(folder.prefix)) {
    const name = found.key.slice(folder.prefix.length);
    if (name.endsWith('.json') && !name.includes('/')) names.push(name.slice(0, -5));
  }
  const entries: (WalEntry | undefined)[] = new Array(names.length);
  let next = 0;
  const reader = async () => {
    while (next < names.length) {
      const i = next++;
      entries[i] = await readWalEntry(folder, names[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIDECAR_READS, names.length) }, reader));
  return entries.filter((e): e is WalEntry => e !== undefined);
}

/** The archive as the window computation wants it. */
export function toWindowInput(entries: WalEntry[]): { segments: ArchivedSegment[]; histories: TimelineHistory[] } {
  const segments: ArchivedSegment[] = [];
  const histories: TimelineHistory[] = [];
  for (const e of entries) {
    if (e.kind === 'segment') segments.push({ ...parseSegmentName(e.name), firstXactTime: e.firstXactTime, lastXactTime: e.lastXactTime });
    else if (e.history !== undefined) histories.push(parseHistoryFile(historyTimeline(e.name)!, e.history));
  }
  return { segments, histories };
}

export interface FetchOptions {
  /**
   * Extend the file to its length instead of writing its zero tail (a sparse file). Only for a scratch
   * restore: PostgreSQL never reads past a segment's switch record, so those zeros were written for nothing;
   * a production server's restore_command gets them written, since PostgreSQL expects WAL files it later
   * recycles to have their blocks allocated already.
   */
  sparseZeroTail?: boolean;
  /** Runs on the complete temporary file before it takes its name (e.g. to hand it to another account). */
  beforeRename?: (tempPath: string) => void;
  /**
   * Decode the file whole in memory rather than through a stream chain: for one-shot processes
   * (restore_command), where the chain's set-up and per-piece buffers cost more than the work.
   */
  inMemory?: boolean;
  /**
   * The process does nothing else (restore_command's wal-get): blocking file and zlib calls, which skip the
   * thread pool's hand-offs; never beside other work, which they would hold up.
   */
  blocking?: boolean;
}

/** Writes a decoded file and its zero tail (or leaves the tail as a hole). */
async function writeDecoded(path: string, data: Buffer, zeroTail: number, sparse: boolean, blocking: boolean): Promise<void> {
  if (blocking) {
    const fd = openSync(path, 'w', 0o600);
    try {
      writeSync(fd, data);
      if (sparse) ftruncateSync(fd, data.length + zeroTail);
      else if (zeroTail > 0) writeSync(fd, Buffer.alloc(zeroTail));
    } finally {
      closeSync(fd);
    }
    return;
  }
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.write(data);
    if (sparse) await handle.truncate(data.length + zeroTail);
    else if (zeroTail > 0) await handle.write(Buffer.alloc(zeroTail));
  } finally {
    await handle.close();
  }
}

/**
 * Restores one archived file to `destPath`, atomically (temp + rename): a restore_command must never see
 * half a segment. No fsync: PostgreSQL reads it at once, and a crash means recovery simply asks again.
 */
export async function fetchWalFile(repo: WalRepository, serviceId: string, name: string, destPath: string, key: Buffer | undefined, options: FetchOptions = {}): Promise<boolean> {
  let failure: unknown;
  for (const source of [repo, ...(repo.copies ?? [])]) {
    try {
      if (await fetchFrom(source, serviceId, name, destPath, key, options)) return true;
    } catch (err) {
      // The next copy may have it whole; the first failure is the one reported when none does.
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return false;
}

async function fetchFrom(repo: WalRepository, serviceId: string, name: string, destPath: string, key: Buffer | undefined, options: FetchOptions): Promise<boolean> {
  const folder = walFolder(repo, serviceId);
  const entry = await readWalEntry(folder, name, { blocking: options.blocking });
  if (!entry) return false;
  const temp = `${destPath}.lifeboat-tmp`;
  const file = entry.file as StoredFile;
  const sparse = options.sparseZeroTail === true && file.layers.includes(ZERO_TAIL);
  try {
    // Streamed, not decoded in memory: decoding whole segments took half the CPU per segment, but on the
    // main thread, one after another; beside a running recovery the restores were 1.5–2 s slower than with
    // the stream chain, whose inflating runs on the thread pool.
    if (options.inMemory && decodableInMemory(file)) {
      const { data, zeroTail } = await decodeStoredFile(folder, file, key, { blocking: options.blocking });
      await writeDecoded(temp, data, zeroTail, sparse, options.blocking === true);
    } else {
      await pipeline(readStoredFile(folder, file, key, undefined, { leaveZeroTail: sparse }), createWriteStream(temp, { mode: 0o600, highWaterMark: 4 << 20 }));
      if (sparse) await truncate(temp, file.sourceBytes);
    }
    options.beforeRename?.(temp);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await rename(temp, destPath);
  return true;
}

export async function walFileExists(repo: WalRepository, serviceId: string, name: string): Promise<boolean> {
  const folder = walFolder(repo, serviceId);
  return (await repo.store.stat(keyIn(folder, `${name}.json`))) !== undefined;
}

