// "Find the moment" for a SQL Server service: the log backups msdb lists for the range read on the server
// with fn_dump_dblog (and the active log with fn_dblog when the range reaches past the last log backup), the
// operations that matter only, and the findings with their STOPBEFOREMARK / STOPATMARK targets. SQL Server
// reads its own files: nothing is copied to this computer.
import type { MomentScanView } from '../../shared/findMoment';
import type { Service } from '../../shared/domain';
import type { SqlBackupSet } from '../../shared/sqlServer';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { SecretStore } from '../secrets/secretStore';
import { resolvePassword } from '../secrets/resolvePassword';
import { msdbHistory } from '../sqlserver/restorePreparation';
import { serverFacts } from '../sqlserver/runSqlBackup';
import { withSqlSession, type SqlSession } from '../sqlserver/sqlServerSession';
import { quoteString } from '../sqlserver/tsqlQuote';
import type { MomentRequest } from './postgresMoments';
import { lockedObjects, sqlServerFindings, type SqlLogRow, type SqlLogSource } from './sqlServerLogFindings';

const COLUMNS = `CONVERT(varchar(30), [Current LSN]) AS lsn, Operation AS operation, Context AS context, [Transaction ID] AS xact,
       AllocUnitName AS alloc_unit, [Transaction Name] AS xact_name, [Begin Time] AS begin_time, [End Time] AS end_time,
       SUSER_SNAME([Transaction SID]) AS login, [Lock Information] AS lock_info`;
const OPERATIONS = `Operation IN (N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT', N'LOP_ABORT_XACT', N'LOP_LOCK_XACT', N'LOP_DELETE_ROWS', N'LOP_MODIFY_ROW', N'LOP_MODIFY_COLUMNS')`;

/** fn_dump_dblog takes the backup's position and up to 64 stripe files; the unused ones are DEFAULT. */
export function dumpDblogQuery(set: Pick<SqlBackupSet, 'devices' | 'position'>): string {
  const files = [...set.devices.map(quoteString), ...Array.from({ length: 64 - set.devices.length }, () => 'DEFAULT')].join(', ');
  return `SELECT ${COLUMNS}\n  FROM sys.fn_dump_dblog(NULL, NULL, N'DISK', ${set.position ?? 1}, ${files})\n WHERE ${OPERATIONS};`;
}

export const ACTIVE_LOG_QUERY = `SELECT ${COLUMNS}\n  FROM sys.fn_dblog(NULL, NULL)\n WHERE ${OPERATIONS};`;

export const OBJECT_NAME_QUERY = `SELECT OBJECT_SCHEMA_NAME(@id) + N'.' + OBJECT_NAME(@id) AS name;`;

const DAY_MS = 24 * 3600_000;

export async function findSqlServerMoments(ctx: JobContext, deps: { service: Service; secrets: SecretStore; env: NodeJS.ProcessEnv }, request: MomentRequest): Promise<MomentScanView> {
  const { service } = deps;
  const database = service.connection.database;
  const password = await resolvePassword(service, deps.secrets, deps.env);
  return withSqlSession(service.connection, { password, operation: `Reading the log of ${database}`, database, signal: ctx.signal }, async (s) => {
    ctx.progress({ phase: 'reading the backup history from msdb' });
    const facts = await serverFacts(s);
    const logs = (await msdbHistory(s, database)).filter((x) => x.type === 'L' && !x.isDamaged).sort((a, b) => a.backupFinishDate.localeCompare(b.backupFinishDate));
    const to = request.to ? new Date(Date.parse(request.to)).toISOString() : new Date().toISOString();
    const from = request.from ? new Date(Date.parse(request.from)).toISOString() : new Date(Date.parse(to) - DAY_MS).toISOString();
    if (Date.parse(from) >= Date.parse(to)) throw new LifeboatError('INVALID_INPUT', `The range ${from} .. ${to} is empty.`, 'Give --from before --to.');
    // A log backup holds what happened between the previous one and its own end: from the first that ends after
    // the range starts to the first that ends after it ends.
    const chosen: SqlBackupSet[] = [];
    for (const log of logs) {
      if (Date.parse(log.backupFinishDate) < Date.parse(from)) continue;
      chosen.push(log);
      if (Date.parse(log.backupFinishDate) >= Date.parse(to)) break;
    }
    const reachesActiveLog = !chosen.length || Date.parse(chosen.at(-1)!.backupFinishDate) < Date.parse(to);
    const total = chosen.reduce((n, x) => n + (x.backupSizeBytes ?? 0), 0);
    const sources: SqlLogSource[] = [];
    let bytes = 0;
    for (const [i, log] of chosen.entries()) {
      ctx.progress({ phase: `reading log backup ${i + 1} of ${chosen.length} with fn_dump_dblog (${log.devices.join(', ')})`, done: bytes, total, unit: 'bytes' });
      const rows = await s.run<SqlLogRow>(dumpDblogQuery(log), { long: true });
      sources.push({ label: `log backup ${log.id} (${log.devices.join(', ')})`, offsetMinutes: log.timeZoneOffsetMinutes ?? facts.utc_offset_minutes ?? 0, rows });
      bytes += log.backupSizeBytes ?? 0;
    }
    if (reachesActiveLog) {
      ctx.progress({ phase: 'reading the active log with fn_dblog', done: bytes, total, unit: 'bytes' });
      sources.push({ label: 'the active log', offsetMinutes: facts.utc_offset_minutes ?? 0, rows: await s.run<SqlLogRow>(ACTIVE_LOG_QUERY, { long: true }) });
    }
    const objectNames = await namesOf(s, lockedObjects(sources));
    const findings = sqlServerFindings(sources, { database, minRows: request.minRows, from, to, table: request.table, objectNames });
    const notes = chosen.length ? [] : [`No log backup of ${database} ends after ${from}: only the active log was read.`];
    return {
      serviceId: service.id,
      engine: 'sqlserver',
      from,
      to,
      table: request.table,
      minRows: request.minRows,
      scanned: { segments: sources.length, bytes, first: sources[0]?.label, last: sources.at(-1)?.label, tool: 'fn_dump_dblog / fn_dblog on the server' },
      catalogs: ['sys.objects of the database (tables still there)', 'the allocation unit names in the log'],
      notes,
      findings,
    };
  });
}

async function namesOf(s: SqlSession, ids: number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const id of ids) {
    const [row] = await s.run<{ name: string | null }>(OBJECT_NAME_QUERY, { bind: (r) => r.input('id', id) });
    if (row?.name) names.set(id, row.name);
  }
  return names;
}
