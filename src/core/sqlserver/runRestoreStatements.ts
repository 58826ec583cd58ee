// Runs a restore script statement by statement: each RESTORE reports STATS progress scaled into the whole
// script, and the restored database must come out ONLINE.
import type { SqlPlanView, SqlRestoreResult } from '../../shared/sqlServerViews';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import { statsPercent } from './backupStatement';
import { databaseFacts } from './runSqlBackup';
import type { SqlSession } from './sqlServerSession';

export async function runRestoreStatements(ctx: JobContext, session: SqlSession, view: SqlPlanView): Promise<SqlRestoreResult> {
  const statements = view.script.statements;
  const total = statements.length;
  for (const [index, statement] of statements.entries()) {
    const phase = `step ${index + 1} of ${total}: ${statement.comment}`;
    const report = (percent: number) => ctx.progress({ phase, done: Math.round(((index + percent / 100) / total) * 100), total: 100, unit: 'percent' });
    report(0);
    await session.run(statement.sql, {
      long: true,
      onInfo: (m) => {
        const percent = statsPercent(m.message);
        if (percent !== undefined) report(percent);
      },
    });
  }
  const state = (await databaseFacts(session, view.asDatabase))?.state_desc;
  if (state !== 'ONLINE') {
    throw new LifeboatError(
      'INTERNAL',
      `The restore of ${view.asDatabase} ran every statement, but the database is ${state ?? 'missing'}, not ONLINE.`,
      'Look at the SQL Server error log; RESTORE DATABASE ... WITH RECOVERY brings a database left RESTORING online.',
    );
  }
  const last = view.plan.steps.at(-1);
  return {
    serviceId: view.serviceId,
    databaseName: view.databaseName,
    asDatabase: view.asDatabase,
    replaced: view.replaces,
    steps: total,
    target: last?.stopMark ?? last?.stopAt ?? 'latest',
  };
}
