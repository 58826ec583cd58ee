// The WAL part of the repository: <service>/wal/<name>[.zst][.enc] for segments and .history files, each
// with a sidecar <name>.json written last (size, SHA-256, LSN range, commit times), so a segment counts as
// archived only once whole. Used by the streaming job, wal-push and wal-get, restores and the window.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { LifeboatError } from '../lifeboatError';
import { storedFileSchema, ZERO_TAIL, type StoredFile } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import { readStoredFile, writeStoredFile } from '../repository/storedFileIo';
import { writeFileAtomic } from '../storage/atomicWrite';
import { summariseSegment } from './commitTimes';
import { historyTimeline, isSegmentName, parseHistoryFile, parseSegmentName, type TimelineHistory } from './walNames';
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
  firstXactTime: z.string().optional(),
  lastXactTime: z.string().optional(),
  restorePoints: z.array(z.object({ name: z.string(), lsn: z.string() })).default([]),
  /** A .history file's content: timeline switch points only, no user data. */
  history: z.string().optional(),
});
export type WalEntry = z.infer<typeof walEntrySchema>;

/**
 * WAL is compressed in-process with gzip (level 1 when writing): a restore fetches dozens of segments, and a
 * zstd child process per segment cost ~150 ms each, four times the rest of the work. Older zstd segments
 * still read, since every file records its layers.
 */
export const WAL_COMPRESSION = 'gzip' as const;

export function walDir(repo: BackupRepository, serviceId: string): string {
  return join(repo.root, serviceId, 'wal');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), new Writable({ write: (c, _e, done) => (hash.update(c), done()) }));
  return hash.digest('hex');
}

export interface ArchiveOptions {
  repo: BackupRepository;
  serviceId: string;
  /** The plain file: a completed segment or a .history file. */
  sourcePath: string;
  name: string;
  key: Buffer | undefined;
  compress: 'zstd' | 'gzip' | undefined;
  /** pg_waldump, for commit times; without it the window is known in LSNs only. */
  pgWaldump?: string;
}

/** Archives one file; pushing the same content twice is fine, different content under one name is refused. */
export async function archiveWalFile(o: ArchiveOptions): Promise<WalEntry> {
  const kind = walFileKind(o.name);
  if (!kind) throw new LifeboatError('INVALID_INPUT', `${o.name} is not a file PostgreSQL archives (a WAL segment, .history, .backup or .partial).`, 'archive_command should pass %p.');
  const dir = walDir(o.repo, o.serviceId);
  await mkdir(dir, { recursive: true });
  const sourceSha256 = await sha256Of(o.sourcePath);
  const existing = await readWalEntry(dir, o.name);
  if (existing) {
    if (existing.sourceSha256 === sourceSha256) return existing;
    throw new LifeboatError('CONFLICT', `${o.name} is already archived with different content.`, 'Two servers may be archiving into the same service folder, or the server was restored without a new timeline. Check the service\'s WAL settings before archiving again.');
  }
  const summary = kind === 'segment' && o.pgWaldump ? await summariseSegment(o.pgWaldump, o.sourcePath) : undefined;
  const storedName = o.name + (o.compress === 'zstd' ? '.zst' : o.compress === 'gzip' ? '.gz' : '') + (o.key ? '.enc' : '');
  const temp = `.${storedName}.tmp-${process.pid}`;
  await rm(join(dir, temp), { force: true });
  // A segment's zeros after its last record are not stored (see zeroTail.ts).
  const trimZeroTail = kind === 'segment' || kind === 'partial';
  const written = await writeStoredFile({ dir, name: temp, role: kind, source: createReadStream(o.sourcePath), compress: o.compress, gzipLevel: 1, trimZeroTail, key: o.key });
  await rename(join(dir, temp), join(dir, storedName));
  const entry: WalEntry = {
    name: o.name,
    kind,
    file: { ...written, name: storedName },
    sourceSha256,
    archivedAt: new Date().toISOString(),
    firstXactTime: summary?.firstXactTime,
    lastXactTime: summary?.lastXactTime,
    restorePoints: summary?.restorePoints ?? [],
    history: kind === 'history' ? await readFile(o.sourcePath, 'utf8') : undefined,
  };
  await writeFileAtomic(join(dir, `${o.name}.json`), JSON.stringify(entry) + '\n', 0o644);
  return entry;
}

export function walFileKind(name: string): WalEntry['kind'] | undefined {
  if (isSegmentName(name)) return 'segment';
  if (historyTimeline(name) !== undefined) return 'history';
  if (/^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/.test(name)) return 'backup';
  if (/^[0-9A-F]{24}\.partial$/.test(name)) return 'partial';
  return undefined;
}

async function readWalEntry(dir: string, name: string): Promise<WalEntry | undefined> {
  try {
    return walEntrySchema.parse(JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function listWalEntries(repo: BackupRepository, serviceId: string): Promise<WalEntry[]> {
  const dir = walDir(repo, serviceId);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readWalEntry(dir, n.slice(0, -5))));
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
}

/**
 * Restores one archived file to `destPath`, atomically (temp + rename): a restore_command must never see
 * half a segment. No fsync: PostgreSQL reads it at once, and a crash means recovery simply asks again.
 */
export async function fetchWalFile(repo: BackupRepository, serviceId: string, name: string, destPath: string, key: Buffer | undefined, options: FetchOptions = {}): Promise<boolean> {
  const dir = walDir(repo, serviceId);
  const entry = await readWalEntry(dir, name);
  if (!entry) return false;
  const temp = `${destPath}.lifeboat-tmp`;
  const file = entry.file as StoredFile;
  const sparse = options.sparseZeroTail === true && file.layers.includes(ZERO_TAIL);
  try {
    // Streamed, not decoded in memory: decoding whole segments took half the CPU per segment, but on the
    // main thread, one after another; beside a running recovery the restores were 1.5–2 s slower than with
    // the stream chain, whose inflating runs on the thread pool.
    await pipeline(readStoredFile(dir, file, key, undefined, { leaveZeroTail: sparse }), createWriteStream(temp, { mode: 0o600, highWaterMark: 4 << 20 }));
    if (sparse) await truncate(temp, file.sourceBytes);
    options.beforeRename?.(temp);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await rename(temp, destPath);
  return true;
}

export async function walFileExists(repo: BackupRepository, serviceId: string, name: string): Promise<boolean> {
  return stat(join(walDir(repo, serviceId), `${name}.json`)).then(() => true, () => false);
}

