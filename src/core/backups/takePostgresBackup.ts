// Takes one PostgreSQL backup into the repository: checks the connection and privileges, finds matching
// tools, streams the tool's output through compression and encryption into a fresh backup folder, and
// writes the manifest last. Any failure or cancel leaves no manifest, and the job removes the folder.
import type { Readable } from 'node:stream';
import type { Service } from '../../shared/domain';
import type { Engine } from '../engines/engine';
import { startDump, startGlobalsDump } from '../engines/postgres/logicalBackup';
import { clusterSize } from '../engines/postgres/clusterSize';
import { findPgTools } from '../engines/postgres/pgTools';
import { startPhysicalBackup } from '../engines/postgres/physicalBackup';
import { listTablespaces, takeTablespaceBackup } from '../engines/postgres/tablespaceBackup';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import { MANIFEST_FORMAT, type BackupManifest, type Compression } from '../repository/backupManifest';
import { ENCRYPTION_ALG, type Layer, type StoredFile } from '../repository/storedFile';
import type { BackupRepository } from '../repository/backupRepository';
import { REPOSITORY_FILE } from '../repository/repositoryInfo';
import { keyFingerprint } from '../repository/chunkedCipher';
import { writeStoredFile } from '../repository/storedFileIo';
import { storedOutputClaim } from '../repository/store/storedOutputClaim';
import { tuneAllocatorForBulkIo } from '../repository/allocatorTuning';
import { LIFEBOAT_VERSION } from '../version';
import { ProgressMeter } from './progressMeter';

export interface BackupOptions {
  kind: 'physical' | 'logical';
  compression: Compression;
  checkpoint: 'fast' | 'spread';
  maxRate?: string;
}

export interface BackupDeps {
  service: Service;
  password: string | undefined;
  repository: BackupRepository;
  /** undefined: the repository is not encrypted. */
  key: Buffer | undefined;
  engine: Engine;
}

const EXTENSION: Record<Compression, string> = { zstd: '.zst', gzip: '.gz', none: '' };

export async function takePostgresBackup(ctx: JobContext, deps: BackupDeps, options: BackupOptions): Promise<BackupManifest> {
  const { service, password, repository, key } = deps;
  // Jobs that move a whole database through Node tune the allocator first; one-shot wal-push/wal-get do not.
  await tuneAllocatorForBulkIo();
  const meter = new ProgressMeter('checking the connection', ctx.progress);
  meter.update(0);

  const report = await deps.engine.testConnection(service.connection, { password, signal: ctx.signal });
  const privilege = options.kind === 'physical' ? report.privileges.physicalBackup : report.privileges.logicalBackup;
  if (privilege.state === 'missing')
    throw new LifeboatError('PERMISSION_DENIED', `${service.id}: ${report.currentUser} cannot take a ${options.kind} backup: ${privilege.detail}.`, options.kind === 'physical' ? 'Grant REPLICATION (ALTER ROLE name REPLICATION) or use a superuser, and allow replication connections in pg_hba.conf.' : 'Grant pg_read_all_data (PostgreSQL 14+) or SELECT on every table to this role.');
  const tools = await findPgTools(report.majorVersion);

  const startedAt = new Date();
  // Taken before it is claimed: a claimed folder is removed when the job fails, and only this job's own
  // folder may be.
  const { id, folder } = await repository.reserveBackupFolder(service.id, options.kind, startedAt);
  await ctx.claimPartialOutput(storedOutputClaim(folder));

  // One failing stage stops the others: a tool whose output nobody reads must not run on.
  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const signal = stop.signal;
  const ext = EXTENSION[options.compression] + (key ? '.enc' : '');
  // How big the backup may get, so an object store sends its parts while the tool still runs (uploadPartSize.ts).
  let expectedBytes: number | undefined;
  const store = (name: string, role: string, source: Readable, appliedByTool: Layer[], compress: 'zstd' | 'gzip' | undefined, onBytes?: (n: number) => void) =>
    writeStoredFile({ folder, name, role, source, appliedByTool, compress, key, signal, onSourceBytes: onBytes, expectedBytes });
  const together = async <T, U>(tool: Promise<T>, writer: Promise<U>): Promise<[T, U]> => {
    try {
      return await Promise.all([tool, writer]);
    } catch (err) {
      stop.abort(err);
      const [, written] = await Promise.allSettled([tool, writer]);
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // A repository that failed (full, unreachable) is the cause, whichever side noticed first: the tool
      // then only saw its output closed.
      const stored = written.status === 'rejected' ? written.reason : undefined;
      if (stored instanceof LifeboatError && stored.code !== 'CANCELLED' && stored.code !== 'INTERNAL') throw stored;
      // The writer may have been stopped with the tool before the store said why (an object store's client
      // still retrying when the tool failed): one look at the repository tells a store gone from a tool failure.
      const reached = await repository.store.stat(REPOSITORY_FILE).then(() => undefined, (e: unknown) => e);
      if (reached instanceof LifeboatError && reached.code !== 'CANCELLED') throw reached;
      throw err;
    }
  };

  try {
    const files: StoredFile[] = [];
    let physical: BackupManifest['physical'];
    let logical: BackupManifest['logical'];
    const toolVersions: Record<string, string> = {};

    if (options.kind === 'physical') {
      meter.setPhase(options.checkpoint === 'fast' ? 'checkpoint (fast)' : 'waiting for a spread checkpoint');
      let dataBytes = 0;
      // Progress counts the server's data bytes, whatever the compression does to them.
      const onProgress = (done: number, total: number) => {
        dataBytes = done;
        meter.total = total;
        meter.update(done);
      };
      const onPhase = (phase: string) => meter.setPhase(phase);
      const [tablespaces, size] = await Promise.all([listTablespaces(service.connection, password), clusterSize(service.connection, password, 'cluster')]);
      expectedBytes = size;
      if (tablespaces.length) {
        // pg_basebackup cannot stream several tablespaces: Lifeboat reads BASE_BACKUP itself, and compresses.
        const compress = options.compression === 'none' ? undefined : options.compression;
        const taken = await takeTablespaceBackup({
          connection: service.connection,
          password,
          serverMajor: report.majorVersion,
          tablespaces,
          checkpoint: options.checkpoint,
          maxRate: options.maxRate,
          signal,
          store: ({ oid, tar }) => store(oid === null ? `base.tar${ext}` : `tablespace-${oid}.tar${ext}`, oid === null ? 'base' : 'tablespace', tar, [], compress),
          storeManifest: (m) => store(`backup_manifest${key ? '.enc' : ''}`, 'server-manifest', m, [], undefined),
          onProgress,
          onPhase,
        }).catch((err) => {
          stop.abort(err);
          throw ctx.signal.aborted ? ctx.signal.reason : err;
        });
        files.push(...taken.files);
        physical = { startLsn: taken.startLsn, stopLsn: taken.stopLsn, timeline: taken.timeline, walMethod: 'fetch', checkpoint: options.checkpoint, serverManifest: 'own file', tablespaces: taken.tablespaces, dataBytes };
        toolVersions.lifeboat_base_backup = LIFEBOAT_VERSION;
      } else {
        const run = startPhysicalBackup({ tools, connection: service.connection, password, compression: options.compression, checkpoint: options.checkpoint, maxRate: options.maxRate, signal, onProgress, onPhase });
        const applied: Layer[] = options.compression === 'none' ? [] : [options.compression];
        const [lsns, base] = await together(run.result, store(`base.tar${ext}`, 'base', run.stream, applied, undefined));
        files.push(base);
        physical = { ...lsns, walMethod: 'fetch', checkpoint: options.checkpoint, serverManifest: 'inside base tar', dataBytes };
        toolVersions.pg_basebackup = tools.version;
      }
    } else {
      expectedBytes = await clusterSize(service.connection, password, 'database');
      meter.total = expectedBytes;
      meter.setPhase('dumping the database');
      const compress = options.compression === 'none' ? undefined : options.compression;
      const dump = startDump({ tools, connection: service.connection, password, signal });
      files.push((await together(dump.done, store(`dump.pgdump${ext}`, 'dump', dump.stream, [], compress, (n) => meter.update(n))))[1]);
      meter.setPhase('dumping roles and tablespaces');
      const globals = startGlobalsDump({ tools, connection: service.connection, password, signal });
      files.push((await together(globals.done, store(`globals.sql${ext}`, 'globals', globals.stream, [], compress)))[1]);
      logical = { database: service.connection.database, format: 'custom', archiveCompression: 'none', globals: true };
      toolVersions.pg_dump = tools.version;
      toolVersions.pg_dumpall = tools.version;
    }

    meter.setPhase('writing the manifest');
    const finishedAt = new Date();
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      id,
      serviceId: service.id,
      engine: 'postgres',
      kind: options.kind,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      compression: options.compression,
      encryption: key ? { alg: ENCRYPTION_ALG, keyFingerprint: keyFingerprint(key) } : null,
      server: { host: service.connection.host, port: service.connection.port, database: service.connection.database, version: report.serverVersion, major: report.majorVersion },
      tools: toolVersions,
      files,
      physical,
      logical,
      lifeboatVersion: LIFEBOAT_VERSION,
    };
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await repository.writeManifest(manifest);
    return manifest;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
