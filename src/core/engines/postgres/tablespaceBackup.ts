// A physical backup of a cluster with extra tablespaces: pg_basebackup writes one tar per tablespace only as
// files in a folder, which would leave the data in plaintext on disk, so Lifeboat reads BASE_BACKUP itself
// (baseBackupProtocol.ts) and hands each archive, as it arrives, to the repository as a stored file of its
// own; the server's backup_manifest becomes a stored file too.
import { Readable } from 'node:stream';
import type { Connection } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';
import type { StoredFile } from '../../repository/storedFile';
import { streamBaseBackup, type BackupArchive } from './baseBackupProtocol';
import { withPgClient } from './pgClient';

export interface ClusterTablespace {
  oid: string;
  name: string;
  location: string;
}

/** The cluster's tablespaces beyond pg_default and pg_global. */
export function listTablespaces(connection: Connection, password: string | undefined): Promise<ClusterTablespace[]> {
  return withPgClient(connection, password, async (c) =>
    (await c.query(`select oid::text as oid, spcname as name, pg_tablespace_location(oid) as location from pg_tablespace where spcname not in ('pg_default', 'pg_global') order by oid`)).rows as ClusterTablespace[],
  );
}

/** pg_basebackup's --max-rate spelling (kB/s by default, k or M suffix) in the kB/s MAX_RATE takes. */
export function maxRateKb(rate: string): number {
  const m = /^(\d+)([kKmM]?)$/.exec(rate.trim());
  if (!m) throw new LifeboatError('INVALID_INPUT', `Not a transfer rate: ${rate}.`, 'Give kB/s, or with a unit: 32k, 50M.');
  return Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1024 : 1);
}

export interface TablespaceBackupOptions {
  connection: Connection;
  password: string | undefined;
  serverMajor: number;
  tablespaces: ClusterTablespace[];
  checkpoint: 'fast' | 'spread';
  maxRate?: string;
  signal: AbortSignal;
  /** Stores one archive's tar (base: oid null) and says what was stored. */
  store(archive: { oid: string | null; tar: Readable }): Promise<StoredFile>;
  storeManifest(manifest: Readable): Promise<StoredFile>;
  onProgress(done: number, total: number): void;
  onPhase(phase: string): void;
}

export async function takeTablespaceBackup(o: TablespaceBackupOptions): Promise<{ startLsn: string; stopLsn: string; timeline: number; files: StoredFile[]; tablespaces: Array<ClusterTablespace & { file: string }> }> {
  const stored = new Map<string | null, StoredFile>();
  let manifest: Buffer | undefined;
  o.onPhase(o.checkpoint === 'fast' ? 'checkpoint (fast)' : 'waiting for a spread checkpoint');
  const result = await withPgClient(
    o.connection,
    o.password,
    (client) =>
      streamBaseBackup(
        { client, serverMajor: o.serverMajor, label: 'lifeboat', fastCheckpoint: o.checkpoint === 'fast', maxRateKb: o.maxRate ? maxRateKb(o.maxRate) : undefined, signal: o.signal },
        {
          onTablespaces: () => o.onPhase('copying data files and tablespaces'),
          onArchive: async (archive: BackupArchive) => void stored.set(archive.oid, await o.store({ oid: archive.oid, tar: archive.tar })),
          onManifest: (m) => (manifest = m),
          onProgress: (done, total) => o.onProgress(done, total),
        },
      ),
    { replication: true, timeoutMs: 30_000 },
  );
  if (o.signal.aborted) throw o.signal.reason;
  if (!manifest) throw new LifeboatError('INTERNAL', 'The server sent no backup_manifest.', 'PostgreSQL 13 or newer sends one; check the server log.');
  o.onPhase('finishing');
  const base = stored.get(null);
  if (!base) throw new LifeboatError('INTERNAL', 'The server sent no archive of the data directory.', 'Check the server log for the walsender.');
  const files = [base];
  const tablespaces = o.tablespaces.map((t) => {
    const file = stored.get(t.oid);
    if (!file) throw new LifeboatError('INTERNAL', `The server sent no archive of tablespace ${t.name} (${t.oid}).`, 'A tablespace may have been created or dropped during the backup: take it again.');
    files.push(file);
    return { ...t, file: file.name };
  });
  files.push(await o.storeManifest(Readable.from([manifest])));
  return { startLsn: result.startLsn, stopLsn: result.stopLsn, timeline: result.timeline, files, tablespaces };
}
