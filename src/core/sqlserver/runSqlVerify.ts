// A verify job: RESTORE VERIFYONLY ... WITH CHECKSUM of every backup in the database's latest restore chain,
// so a damaged or missing file is found before the day it is needed. Each set's outcome goes to onSet as it
// is known, so the caller can record how far a failed verification got.
import type { Service } from '../../shared/domain';
import type { SqlVerifiedSet } from '../../shared/sqlServerViews';
import type { JobContext } from '../jobs/jobRunner';
import { toWireError } from '../lifeboatError';
import { statsPercent } from './backupStatement';
import { planRestoreChain } from './planRestoreChain';
import { msdbHistory, RESTORE_STATS_PERCENT } from './restorePreparation';
import { withSqlSession } from './sqlServerSession';
import { quoteString } from './tsqlQuote';

export interface SqlVerifyResult {
  serviceId: string;
  database: string;
  verified: Array<{ backupSetId: string; type: string; devices: string[]; statement: string }>;
}

export function verifyOnlyStatement(devices: readonly string[], position: number): string {
  return `RESTORE VERIFYONLY FROM ${devices.map((d) => `DISK = ${quoteString(d)}`).join(', ')} WITH FILE = ${position}, CHECKSUM, STATS = ${RESTORE_STATS_PERCENT};`;
}

export async function runSqlVerify(ctx: JobContext, options: { service: Service; password: string | undefined; database: string; onSet?(set: SqlVerifiedSet): void }): Promise<SqlVerifyResult> {
  const { service, database } = options;
  ctx.progress({ phase: 'reading the backup history' });
  return withSqlSession(service.connection, { password: options.password, operation: `Verification of the backups of ${database}`, database: 'master', signal: ctx.signal }, async (session) => {
    const plan = planRestoreChain(await msdbHistory(session, database), database, { kind: 'latest' });
    const verified: SqlVerifyResult['verified'] = [];
    for (const [index, step] of plan.steps.entries()) {
      const statement = verifyOnlyStatement(step.devices, step.position);
      const phase = `verifying ${index + 1} of ${plan.steps.length}: ${step.devices.join(', ')}`;
      const report = (percent: number) => ctx.progress({ phase, done: Math.round(((index + percent / 100) / plan.steps.length) * 100), total: 100, unit: 'percent' });
      report(0);
      const set = { backupSetId: step.backupSetId, type: step.type, devices: step.devices };
      try {
        await session.run(statement, { long: true, onInfo: (m) => { const p = statsPercent(m.message); if (p !== undefined) report(p); } });
      } catch (err) {
        if (!ctx.signal.aborted) options.onSet?.({ ...set, ok: false, error: toWireError(err) });
        throw err;
      }
      options.onSet?.({ ...set, ok: true });
      verified.push({ ...set, statement });
    }
    return { serviceId: service.id, database, verified };
  });
}
