// Restores a logical backup into a new database on a registered PostgreSQL server. An existing database is
// replaced only when the user typed its name; a database this restore created is dropped again if the
// restore fails or is cancelled, so nothing half-restored is left looking usable.
import type { Service } from '../../shared/domain';
import { withPgClient } from '../engines/postgres/pgClient';
import { prepareTargetDatabase } from './targetDatabase';
import { findPgTools } from '../engines/postgres/pgTools';
import { libpqEnv, runPgTool } from '../engines/postgres/pgToolProcess';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import { readStoredFile } from '../repository/storedFileIo';
import { pipeline } from 'node:stream/promises';
import { ProgressMeter } from './progressMeter';

export interface LogicalRestoreOptions {
  database: string;
  /** Must equal `database` to replace an existing database. */
  confirmReplace?: string;
  /** Apply the backed-up roles and tablespaces first and keep object owners; otherwise objects belong to
   * the restoring user. */
  withGlobals: boolean;
}

export interface LogicalRestoreResult {
  database: string;
  target: string;
  replaced: boolean;
  tables: number;
}

export async function restoreLogical(
  ctx: JobContext,
  repository: BackupRepository,
  manifest: BackupManifest,
  key: Buffer | undefined,
  target: Service,
  password: string | undefined,
  o: LogicalRestoreOptions,
): Promise<LogicalRestoreResult> {
  if (manifest.kind !== 'logical') throw new LifeboatError('INVALID_INPUT', `${manifest.id} is a ${manifest.kind} backup.`, 'Only logical backups restore into a database; physical ones restore a whole cluster (point-in-time restore).');
  const dir = repository.backupFolder(manifest.serviceId, manifest.id);
  const meter = new ProgressMeter('preparing the target database', ctx.progress);
  const dumpFile = manifest.files.find((f) => f.role === 'dump')!;
  meter.total = dumpFile.bytes;
  meter.update(0);

  const prepared = await prepareTargetDatabase(target, password, o.database, o.confirmReplace);
  const tools = await findPgTools(prepared.serverMajor);

  try {
    if (o.withGlobals) {
      meter.setPhase('creating roles and tablespaces');
      const globalsFile = manifest.files.find((f) => f.role === 'globals');
      if (globalsFile) {
        // Roles that already exist are reported by psql and skipped; that is expected on a shared server.
        const psql = runPgTool(tools.path('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-f', '-'], { env: libpqEnv(target.connection, password, o.database), signal: ctx.signal, stdin: 'pipe' });
        await Promise.all([pipeline(readStoredFile(dir, globalsFile, key), psql.child.stdin, { signal: ctx.signal }), psql.done]);
      }
    }
    meter.setPhase('restoring');
    const args = ['-d', o.database, '--exit-on-error', '--single-transaction', ...(o.withGlobals ? [] : ['--no-owner', '--no-acl'])];
    const restore = runPgTool(tools.path('pg_restore'), args, { env: libpqEnv(target.connection, password, o.database), signal: ctx.signal, stdin: 'pipe' });
    await Promise.all([pipeline(readStoredFile(dir, dumpFile, key, (n) => meter.update(n)), restore.child.stdin, { signal: ctx.signal }), restore.done]);
    meter.setPhase('checking');
    const tables = await withPgClient(target.connection, password, async (c) => Number((await c.query("select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r','p') and n.nspname not in ('pg_catalog','information_schema')")).rows[0].n), { database: o.database });
    return { database: o.database, target: target.id, replaced: prepared.replaced, tables };
  } catch (err) {
    await prepared.discard();
    throw ctx.signal.aborted ? ctx.signal.reason : err;
  }
}
