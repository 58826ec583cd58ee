// backup-fetch: a physical backup unpacked into an empty data directory, for a whole-cluster restore on its own
// server. Tablespaces go back where they were, or where a mapping (pg_basebackup's --tablespace-mapping
// OLD=NEW) says; tablespace_map is pointed there, so PostgreSQL links them when it starts. Nothing that exists
// is overwritten: a non-empty data directory is refused, and so is a non-empty tablespace folder unless its
// path is typed (then its old content is removed first, never mixed with the backup's).
import type { StoreFolder } from '../repository/store/storeFolder';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import { unpackPhysicalBackup, type BackupTablespace } from './unpackPhysicalBackup';

export interface FetchRequest {
  to: string;
  /** Original location → where to put it. */
  tablespaceMapping?: Record<string, string>;
  /** Non-empty tablespace folders whose content may be replaced, each path typed. */
  replaceTablespaces?: string[];
}

export interface FetchResult {
  backupId: string;
  to: string;
  tablespaces: Array<{ name: string; oid: string; location: string }>;
}

const isEmpty = async (path: string) => (await readdir(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)))).length === 0;

/** Where each tablespace goes; refuses a mapping that names no tablespace of the backup. */
export function mapTablespaces(tablespaces: BackupTablespace[], mapping: Record<string, string> = {}): Map<string, string> {
  const known = new Set(tablespaces.map((t) => t.location));
  for (const old of Object.keys(mapping))
    if (!known.has(old)) throw new LifeboatError('INVALID_INPUT', `--tablespace-mapping names ${old}, which is no tablespace of this backup.`, `Its tablespaces are at: ${[...known].join(', ') || 'none'}.`);
  return new Map(tablespaces.map((t) => [t.oid, resolve(mapping[t.location] ?? t.location)]));
}

export async function fetchBackup(ctx: JobContext, backupFolder: StoreFolder, manifest: BackupManifest, key: Buffer | undefined, r: FetchRequest): Promise<FetchResult> {
  if (!manifest.physical) throw new LifeboatError('INVALID_INPUT', `${manifest.id} is a logical backup.`, 'Use lifeboat restore <backup-id> --as <database> for logical backups.');
  const to = resolve(r.to);
  const tablespaces = manifest.physical.tablespaces ?? [];
  const places = mapTablespaces(tablespaces, r.tablespaceMapping);
  if (!(await isEmpty(to))) throw new LifeboatError('CONFLICT', `${to} is not empty.`, 'Unpack into an empty directory; move the old data directory aside first.');
  const typed = new Set((r.replaceTablespaces ?? []).map((p) => resolve(p)));
  for (const t of tablespaces) {
    const place = places.get(t.oid)!;
    if (await isEmpty(place)) continue;
    if (!typed.has(place))
      throw new LifeboatError('CONFLICT', `Tablespace ${t.name} goes to ${place}, which is not empty.`, `Move it aside, put the tablespace elsewhere with --tablespace-mapping ${t.location}=<empty folder>, or replace its content with --replace-tablespace ${place}.`);
    // Typed: its content goes, so the backup's files are not mixed with the old cluster's.
    for (const name of await readdir(place)) await rm(join(place, name), { recursive: true, force: true });
  }
  await mkdir(to, { recursive: true, mode: 0o700 });
  const archived = manifest.files.filter((f) => f.role === 'base' || f.role === 'tablespace').reduce((n, f) => n + f.bytes, 0);
  await unpackPhysicalBackup({
    backupFolder,
    manifest,
    key,
    dataDir: to,
    tablespaceDir: (t) => places.get(t.oid)!,
    relink: true,
    signal: ctx.signal,
    onStoredBytes: (n) => ctx.progress({ phase: 'unpacking (every byte checked)', done: n, total: archived, unit: 'bytes' }),
  });
  return { backupId: manifest.id, to, tablespaces: tablespaces.map((t) => ({ name: t.name, oid: t.oid, location: places.get(t.oid)! })) };
}
