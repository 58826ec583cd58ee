// The procedures of a SQL Server service's runbook: the T-SQL restore script of the latest chain, the same
// chain to a point in time (STOPAT left as a placeholder, in the server's local time), verification, drills.
// Pure.
import type { SqlPlanView } from '../../shared/sqlServerViews';
import { restoreScript } from '../sqlserver/restoreScript';
import { wallTime } from '../sqlserver/stopAtTime';
import { shellQuote } from '../shellQuote';
import type { Fact, Procedure } from './documentModel';
import { repositoryKeyProcedure } from './postgresProcedures';

export const STOPAT_PLACEHOLDER = "<STOPAT: target in the server's local time, e.g. 2026-11-25T14:03:00>";
const SENTINEL = Date.UTC(1999, 11, 31, 23, 59, 59);

export interface SqlServerProcedureInput {
  serviceId: string;
  database: string;
  configPath: string;
  plan: Fact<SqlPlanView>;
}

export function sqlServerProcedures(i: SqlServerProcedureInput): Procedure[] {
  const cfg = `--config ${shellQuote(i.configPath)}`;
  const asDb = `${i.database}_restored`;
  const procedures: Procedure[] = [];
  if (!i.plan.known) {
    procedures.push({
      id: 'sql-restore',
      title: 'Restore the database (SQL Server)',
      summary: `unknown: ${i.plan.reason}`,
      before: [],
      steps: [{ title: 'Plan the restore when the server answers', language: 'sh', code: `lifeboat sqlserver plan ${i.serviceId} --at '<TARGET TIME with zone>' --as ${shellQuote(asDb)} ${cfg}` }],
      notes: [],
    });
  } else {
    const view = i.plan.value;
    procedures.push({
      id: 'sql-latest',
      title: `Restore ${view.databaseName} as ${view.asDatabase} to the latest point (SQL Server)`,
      summary: `${view.plan.steps.length} step(s) from the backup history; run in SSMS or sqlcmd against the service's server. The original database is untouched (new name, MOVE to new files).`,
      before: [],
      steps: [{ title: 'T-SQL restore script', language: 'sql', code: view.script.text.trimEnd() }],
      notes: view.plan.warnings,
    });
    const offset = view.serverUtcOffsetMinutes;
    const pitr = restoreScript({ ...view.plan, target: { kind: 'time', time: new Date(SENTINEL).toISOString() } }, { asDatabase: view.asDatabase, replace: false, fileList: view.fileList, serverUtcOffsetMinutes: offset, checksum: true });
    const sentinelWall = wallTime(SENTINEL, offset);
    const text = pitr.text
      .split('\n')
      .map((l) => (l.startsWith('-- Target:') ? `-- Target: a point in time; write STOPAT in the server's local time (UTC offset ${offset} minutes)` : l))
      .join('\n')
      .split(sentinelWall)
      .join(STOPAT_PLACEHOLDER);
    procedures.push({
      id: 'sql-pitr',
      title: `Restore ${view.databaseName} as ${view.asDatabase} to a point in time (SQL Server)`,
      summary: `The latest chain with the same STOPAT on every RESTORE LOG. Replace ${STOPAT_PLACEHOLDER} everywhere; for a target before the last full backup, plan it with Lifeboat (first step), which picks the right chain.`,
      before: [{ title: 'Or let Lifeboat plan the exact chain for the target', language: 'sh', code: `lifeboat sqlserver plan ${i.serviceId} --at '<TARGET TIME with zone, e.g. 2026-11-25T14:03:00+00:00>' --as ${shellQuote(asDb)} ${cfg}` }],
      steps: [{ title: 'T-SQL restore script with STOPAT', language: 'sql', code: text.trimEnd() }],
      notes: ['A STOPAT beyond the end of the last log leaves the database RESTORING rather than recovering short of the target: that is deliberate.'],
    });
  }
  procedures.push({
    id: 'sql-verify',
    title: 'Verify the backups and run a drill (SQL Server)',
    summary: 'RESTORE VERIFYONLY WITH CHECKSUM of every backup in the latest chain; a drill restores under a scratch name, runs DBCC CHECKDB, measures the RTO and drops it.',
    before: [],
    steps: [
      { title: 'Verify', language: 'sh', code: `lifeboat sqlserver verify ${i.serviceId} ${cfg}` },
      { title: 'Drill', language: 'sh', code: `lifeboat sqlserver drill ${i.serviceId} ${cfg}` },
    ],
    notes: [],
  });
  procedures.push({ ...repositoryKeyProcedure({ known: true, value: { encrypted: false } }, cfg), summary: 'SQL Server backups are written by the server into policy.sqlServer.backupDirectory; their encryption uses the certificate named in the policy (see Policy above), held in the server\'s master database. Back up that certificate and its private key with BACKUP CERTIFICATE: without it no encrypted backup restores on another server. Lifeboat does not rotate certificates.' });
  return procedures;
}
