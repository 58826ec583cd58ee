// A restore drill: the latest chain restored under a scratch name, DBCC CHECKDB, the measured RTO (job start
// to restored and online), and the scratch database dropped whatever happened. The result is recorded.
import { randomUUID } from 'node:crypto';
import type { Service } from '../../shared/domain';
import type { DrillView } from '../../shared/recovery';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError, toWireError } from '../lifeboatError';
import { prepareRestore } from './restorePreparation';
import { runRestoreStatements } from './runRestoreStatements';
import { saveSqlDrill } from './sqlDrillRecords';
import { withSqlSession, type SqlSession } from './sqlServerSession';
import { quoteName, quoteString } from './tsqlQuote';

export interface SqlDrillOptions {
  service: Service;
  password: string | undefined;
  database: string;
  dataDir: string;
  now?: () => Date;
}

/** lifeboat_drill_<db>_<yyyymmddhhmmss>: letters, digits and _ only, at most 128 characters. */
export function drillDatabaseName(database: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `lifeboat_drill_${database.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80)}_${stamp}`;
}

export function checkDbStatement(database: string): string {
  return `DBCC CHECKDB (${quoteName(database)}) WITH NO_INFOMSGS;`;
}

export function dropScratchStatement(database: string): string {
  return `IF DB_ID(${quoteString(database)}) IS NOT NULL DROP DATABASE ${quoteName(database)};`;
}

export async function runSqlDrill(ctx: JobContext, options: SqlDrillOptions): Promise<DrillView> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const scratch = drillDatabaseName(options.database, started);
  const drill: DrillView = { id: `${started.toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`, serviceId: options.service.id, startedAt: started.toISOString(), finishedAt: '', ok: false, target: 'latest', checks: [] };
  let failure: unknown;
  try {
    await withSqlSession(options.service.connection, { password: options.password, operation: `Restore drill of ${options.database}`, database: 'master', signal: ctx.signal }, async (session) => {
      try {
        ctx.progress({ phase: 'planning the latest restore chain' });
        const view = await prepareRestore(session, { serviceId: options.service.id, database: options.database, target: { kind: 'latest' }, asDatabase: scratch });
        if (view.replaces) throw new LifeboatError('CONFLICT', `A database named ${scratch} already exists.`, 'A drill never overwrites a database: drop it or run the drill again in a second.');
        drill.backupId = view.plan.steps[0]?.backupSetId;
        drill.pointReached = view.plan.window.intervals.at(-1)?.to ?? view.plan.window.fulls.at(-1)?.finishedAt;
        await runRestoreStatements(ctx, session, view);
        drill.rtoMs = now().getTime() - started.getTime();
        drill.checks.push({ name: `restore as ${scratch}`, ok: true, value: drill.rtoMs });
        ctx.progress({ phase: `DBCC CHECKDB of ${scratch}` });
        try {
          await session.run(checkDbStatement(scratch), { long: true });
          drill.checks.push({ name: 'DBCC CHECKDB WITH NO_INFOMSGS', ok: true });
        } catch (error) {
          drill.checks.push({ name: 'DBCC CHECKDB WITH NO_INFOMSGS', ok: false, error: toWireError(error).message });
          throw new LifeboatError('CHECKSUM_MISMATCH', `DBCC CHECKDB found problems in the restored copy of ${options.database}: ${toWireError(error).message}`, 'Run DBCC CHECKDB on the production database too, and keep the backups that restore cleanly.');
        }
      } finally {
        await dropScratch(ctx, session, scratch, drill);
      }
    });
  } catch (error) {
    failure = error;
    const wire = toWireError(error);
    drill.error = { code: wire.code, message: wire.message };
  }
  drill.finishedAt = now().toISOString();
  drill.ok = !failure && drill.checks.every((c) => c.ok);
  await saveSqlDrill(options.dataDir, drill);
  if (failure) throw failure;
  return drill;
}

/** Always, also after a failure or a cancel; a drop that fails is a failed check naming the database left. */
async function dropScratch(ctx: JobContext, session: SqlSession, scratch: string, drill: DrillView): Promise<void> {
  ctx.progress({ phase: `dropping ${scratch}` });
  try {
    await session.run(dropScratchStatement(scratch), { evenIfCancelled: true });
    drill.checks.push({ name: `drop ${scratch}`, ok: true });
  } catch (error) {
    drill.checks.push({ name: `drop ${scratch}`, ok: false, error: `${toWireError(error).message} Drop it by hand: DROP DATABASE ${quoteName(scratch)};` });
  }
}
