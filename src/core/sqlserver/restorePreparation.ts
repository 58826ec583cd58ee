// Everything a restore needs from the server before a statement runs: the backup history from msdb, the plan
// for the target, the full backup's file list (RESTORE FILELISTONLY), the server's clock and default folders,
// and whether the new name is taken. The plan a DBA is shown is the plan a restore job runs.
import type { SqlBackupSet, SqlRestoreTarget } from '../../shared/sqlServer';
import type { SqlPlanView } from '../../shared/sqlServerViews';
import { LifeboatError } from '../lifeboatError';
import { fileListOnlyStatement, fileListRowToFile, type FileListRow } from './backupFileHeaders';
import { MSDB_HISTORY_QUERY, rowsToBackupSets } from './msdbHistory';
import { planRestoreChain } from './planRestoreChain';
import { restoreScript } from './restoreScript';
import { databaseFacts, serverFacts } from './runSqlBackup';
import type { SqlSession } from './sqlServerSession';
import { loadMssql } from '../engines/sqlserver/mssqlDriver';
import { sameDatabaseName } from './databaseNameMatch';

/** STATS = n on every RESTORE: progress per step. */
export const RESTORE_STATS_PERCENT = 10;

/** Backup sets of one database (or all) from msdb, dates converted with each set's time_zone. */
export async function msdbHistory(session: SqlSession, database?: string): Promise<SqlBackupSet[]> {
  // The bind callback is synchronous, so the driver (for its NVarChar) is loaded before it runs.
  const mssql = await loadMssql();
  const rows = await session.run<Record<string, unknown>>(MSDB_HISTORY_QUERY, {
    bind: (r) => r.input('database', mssql.NVarChar(128), database ?? null),
  });
  const sets = rowsToBackupSets(rows as never);
  return database ? sets.filter((s) => sameDatabaseName(s.databaseName, database)) : sets;
}

export interface PlanRequest {
  serviceId: string;
  database: string;
  target: SqlRestoreTarget;
  asDatabase: string;
  /** History to plan from; default msdb's. */
  history?: SqlBackupSet[];
}

export async function prepareRestore(session: SqlSession, request: PlanRequest): Promise<SqlPlanView> {
  const history = request.history ?? (await msdbHistory(session, request.database));
  const plan = planRestoreChain(history, request.database, request.target);
  const full = plan.steps[0];
  if (!full) throw new LifeboatError('OUT_OF_WINDOW', `No restore chain for ${request.database}.`, 'Take a FULL backup first.');
  const fileList = (await session.run<FileListRow>(fileListOnlyStatement(full.devices, full.position), { long: true })).map(fileListRowToFile);
  const server = await serverFacts(session);
  const serverUtcOffsetMinutes = server.utc_offset_minutes ?? 0;
  const replaces = (await databaseFacts(session, request.asDatabase)) !== undefined;
  const script = restoreScript(plan, {
    asDatabase: request.asDatabase,
    replace: replaces,
    fileList,
    dataDirectory: server.default_data_path ?? undefined,
    logDirectory: server.default_log_path ?? undefined,
    checksum: true,
    stats: RESTORE_STATS_PERCENT,
    serverUtcOffsetMinutes,
  });
  return { serviceId: request.serviceId, databaseName: request.database, asDatabase: request.asDatabase, replaces, plan, fileList, script, serverUtcOffsetMinutes };
}

/** Overwriting a database needs its name typed; refused before any statement runs. */
export function requireReplaceConfirmation(view: SqlPlanView, confirmReplace: string | undefined): void {
  if (view.replaces && confirmReplace !== view.asDatabase) {
    throw new LifeboatError(
      'CONFLICT',
      `Database '${view.asDatabase}' exists on the server: restoring would overwrite it (WITH REPLACE).`,
      `Type its name (${view.asDatabase}) to confirm the replace, or restore under a new name.`,
    );
  }
}
