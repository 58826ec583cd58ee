// Unpacks a physical backup from the repository: the data directory's tar, each tablespace's tar where the
// caller puts it (with the tablespace_map inside rewritten to those places, so PostgreSQL links them when it
// starts), and the server's backup_manifest when it is a stored file of its own. Every byte is checked on the
// way (readStoredFile); tar runs as the account that will own the files. Shared by verify, scratch restores
// and backup-fetch, so the three cannot unpack differently.
import type { StoreFolder } from '../repository/store/storeFolder';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LifeboatError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import type { StoredFile } from '../repository/storedFile';
import { readStoredFile } from '../repository/storedFileIo';

export type BackupTablespace = NonNullable<NonNullable<BackupManifest['physical']>['tablespaces']>[number];

export interface UnpackOptions {
  /** The backup's folder in the repository. */
  backupFolder: StoreFolder;
  manifest: BackupManifest;
  key: Buffer | undefined;
  dataDir: string;
  /** Where a tablespace goes. */
  tablespaceDir(t: BackupTablespace): string;
  /**
   * Point tablespace_map at the new places (a restore). Off for a check: pg_verifybackup compares the file
   * with the server's manifest, and reads each tablespace where tablespaceDir put it, under pg_tblspc.
   */
  relink: boolean;
  /** uid/gid for tar (a scratch cluster's account). */
  spawnOptions?: { uid?: number; gid?: number };
  /** Runs on each folder and file Lifeboat itself creates, e.g. to hand it to that account. */
  prepare?(path: string): void;
  signal: AbortSignal;
  /** Stored bytes read so far, over all archives. */
  onStoredBytes?(n: number): void;
}

/** Unpacks one stored tar into a folder; zstd is undone by tar's own zstd child, so its output never crosses Node. */
export async function untar(backupFolder: StoreFolder, file: StoredFile, key: Buffer | undefined, dest: string, o: { spawnOptions?: { uid?: number; gid?: number }; signal: AbortSignal; onStoredBytes?(n: number): void; label: string }): Promise<void> {
  const zstdByTar = file.layers[0] === 'zstd'; // layers are listed in the order applied: zstd first
  const tar = spawn('tar', ['-x', ...(zstdByTar ? ['--use-compress-program=zstd'] : []), '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'], ...o.spawnOptions });
  let tarErr = '';
  tar.stderr.on('data', (d: Buffer) => (tarErr += d.toString()));
  const closed = new Promise<number | null>((resolve) => tar.on('close', resolve));
  const tarDone = closed.then((code) => {
    if (code !== 0) throw new LifeboatError('CHECKSUM_MISMATCH', `${o.label} could not be unpacked: ${tarErr.trim()}`, 'Verify the backup (lifeboat verify <backup-id>).');
  });
  // A damaged stream ends the feed early; the cause is reported by the stream's own error.
  tar.stdin.on('error', () => {});
  try {
    await Promise.all([pipeline(readStoredFile(backupFolder, file, key, o.onStoredBytes, { keepZstd: zstdByTar }), tar.stdin, { signal: o.signal }), tarDone]);
  } finally {
    // Stopped before the caller removes the folder it writes into.
    if (tar.exitCode === null && tar.signalCode === null) tar.kill('SIGKILL');
    await closed;
  }
}

/** tablespace_map's line for a tablespace: "oid path", backslash escaping backslashes and line breaks. */
export function tablespaceMapLine(oid: string, path: string): string {
  return `${oid} ${path.replace(/[\\\n\r]/g, (c) => `\\${c}`)}`;
}

export async function unpackPhysicalBackup(o: UnpackOptions): Promise<void> {
  const physical = o.manifest.physical;
  if (!physical) throw new LifeboatError('INVALID_INPUT', `${o.manifest.id} is a logical backup.`, 'Use lifeboat restore <backup-id> --as <database> for logical backups.');
  const byName = new Map(o.manifest.files.map((f) => [f.name, f]));
  let before = 0;
  const archive = async (file: StoredFile, dest: string, label: string) => {
    await untar(o.backupFolder, file, o.key, dest, { spawnOptions: o.spawnOptions, signal: o.signal, onStoredBytes: (n) => o.onStoredBytes?.(before + n), label });
    before += file.bytes;
  };
  const base = o.manifest.files.find((f) => f.role === 'base');
  if (!base) throw new LifeboatError('CHECKSUM_MISMATCH', `${o.manifest.id} lists no base archive.`, 'The manifest is damaged; verify the other backups.');
  await archive(base, o.dataDir, `The data directory of ${o.manifest.id}`);
  const tablespaces = physical.tablespaces ?? [];
  for (const t of tablespaces) {
    const file = byName.get(t.file);
    if (!file) throw new LifeboatError('CHECKSUM_MISMATCH', `${o.manifest.id} lists tablespace ${t.name} but not its file ${t.file}.`, 'The manifest is damaged; verify the other backups.');
    const dest = o.tablespaceDir(t);
    await mkdir(dest, { recursive: true, mode: 0o700 });
    o.prepare?.(dest);
    await archive(file, dest, `Tablespace ${t.name} of ${o.manifest.id}`);
  }
  if (o.relink && tablespaces.length) {
    // PostgreSQL reads tablespace_map when it starts from a backup and makes pg_tblspc/<oid> point there.
    const mapPath = join(o.dataDir, 'tablespace_map');
    const known = await readFile(mapPath, 'utf8').catch(() => '');
    for (const t of tablespaces) if (!known.split('\n').some((l) => l.startsWith(`${t.oid} `))) throw new LifeboatError('CHECKSUM_MISMATCH', `The tablespace_map of ${o.manifest.id} does not name tablespace ${t.name} (${t.oid}).`, 'Verify the backup.');
    await writeFile(mapPath, tablespaces.map((t) => tablespaceMapLine(t.oid, o.tablespaceDir(t))).join('\n') + '\n');
  }
  const serverManifest = o.manifest.files.find((f) => f.role === 'server-manifest');
  if (serverManifest) {
    const path = join(o.dataDir, 'backup_manifest');
    await pipeline(readStoredFile(o.backupFolder, serverManifest, o.key), createWriteStream(path, { mode: 0o600 }), { signal: o.signal });
    o.prepare?.(path);
  }
}
