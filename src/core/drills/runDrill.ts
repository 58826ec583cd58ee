// A restore drill: restore the latest point (or a chosen one) into a scratch cluster, measure the RTO (job
// start to ready for queries), run pg_amcheck and the policy's own check queries, record the result (in the
// repository, or beside Lifeboat's state for an engine's backups), and remove the scratch cluster whatever
// happened.
import pg from 'pg';
import type { DrillCheck, Service } from '../../shared/domain';
import type { DrillView } from '../../shared/recovery';
import { findPgTools } from '../engines/postgres/pgTools';
import { runPgTool } from '../engines/postgres/pgToolProcess';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupRepository } from '../repository/backupRepository';
import type { ScratchClusters, ScratchRecord } from '../scratch/scratchClusters';
import type { RestoreTarget } from '../wal/planRestore';
import { restoreToScratch } from '../wal/restoreToScratch';

/** A drill's outcome as stored in the repository and shown by every door. */
export type DrillRecord = DrillView;

/** What a drill restored: the running scratch copy, the backup it came from and the target it reached. */
export interface DrillRestore {
  scratch: ScratchRecord;
  backupId: string;
  describe: string;
  /** The backup's PostgreSQL major version (pg_amcheck of the same version or newer). */
  major: number;
}

export async function runDrill(ctx: JobContext, deps: { service: Service; repo: BackupRepository; key: Buffer | undefined; scratch: ScratchClusters; env: NodeJS.ProcessEnv }, target: RestoreTarget): Promise<DrillRecord> {
  return drillRestoredCopy(ctx, {
    service: deps.service,
    scratch: deps.scratch,
    env: deps.env,
    targetKind: target.kind,
    restore: async () => {
      const { record, plan } = await restoreToScratch(ctx, { ...deps, purpose: 'drill' }, target);
      return { scratch: record, backupId: plan.backup.id, describe: plan.describe, major: plan.backup.server.major };
    },
    save: async (record) => {
      await deps.repo.writeDrill(deps.service.id, record.id, record);
    },
  });
}

/** A drill on whatever restored the copy (Lifeboat's repository, pgBackRest, Barman): measure, check, record. */
export async function drillRestoredCopy(
  ctx: JobContext,
  deps: { service: Service; scratch: ScratchClusters; env: NodeJS.ProcessEnv; targetKind: string; restore: () => Promise<DrillRestore>; save: (record: DrillRecord) => Promise<void> },
): Promise<DrillRecord> {
  const started = Date.now();
  const record: DrillRecord = { id: `drill-${new Date(started).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`, serviceId: deps.service.id, startedAt: new Date(started).toISOString(), finishedAt: '', ok: false, target: deps.targetKind, checks: [] };
  let scratchId: string | undefined;
  try {
    const { scratch, backupId, describe, major } = await deps.restore();
    scratchId = scratch.id;
    record.rtoMs = Date.now() - started;
    record.backupId = backupId;
    record.target = describe;
    record.pointReached = scratch.reached?.detail;
    const conn = { host: scratch.dir, port: scratch.port, user: scratch.superuser ?? deps.service.connection.user };

    ctx.progress({ phase: 'pg_amcheck' });
    const tools = await findPgTools(major, deps.env);
    // verify_heapam (the heap check) came with PostgreSQL 14's amcheck: an older server's B-tree indexes are
    // checked with their heap instead (--heapallindexed: every heap tuple must be in its indexes).
    const heapCheck = major >= 14;
    const scope = heapCheck ? [] : ['--index', '*'];
    const amcheck = runPgTool(tools.path('pg_amcheck'), ['-h', conn.host, '-p', String(conn.port), '-U', conn.user, '--all', '--install-missing', '--heapallindexed', ...scope], { env: { ...process.env, PGSSLMODE: 'disable' }, signal: ctx.signal });
    let out = '';
    amcheck.child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await amcheck.done;
      const what = heapCheck ? 'in any table or index' : `in any B-tree index or the heap tuples it covers (PostgreSQL ${major} has no heap check)`;
      record.amcheck = { ok: true, detail: out.trim() || `no corruption found ${what}` };
    } catch (err) {
      record.amcheck = { ok: false, detail: (out + amcheck.stderr()).trim().split('\n').slice(0, 5).join(' / ') || (err as Error).message };
    }

    ctx.progress({ phase: 'check queries' });
    for (const check of deps.service.policy.drillChecks ?? []) record.checks.push(await runCheck(conn, deps.service, check));
    record.ok = record.amcheck.ok && record.checks.every((c) => c.ok);
    if (!record.ok) {
      const failed = record.checks.find((c) => !c.ok);
      record.error = failed
        ? { code: 'CHECKSUM_MISMATCH', message: `Check "${failed.name}" failed: ${failed.error ?? `got ${failed.value}`}` }
        : { code: 'CHECKSUM_MISMATCH', message: `pg_amcheck found corruption: ${record.amcheck.detail}` };
    }
  } catch (err) {
    const e = err as LifeboatError;
    record.error = { code: e.code ?? 'INTERNAL', message: e.message };
    if (ctx.signal.aborted) throw err;
  } finally {
    record.finishedAt = new Date().toISOString();
    if (scratchId) await deps.scratch.remove(scratchId).catch(() => undefined);
  }
  await deps.save(record);
  if (!record.ok) throw new LifeboatError((record.error?.code as never) ?? 'INTERNAL', `Drill of ${deps.service.id} failed: ${record.error?.message}`, 'The drill is recorded in the history; fix the cause and run it again.');
  return record;
}

async function runCheck(conn: { host: string; port: number; user: string }, service: Service, check: DrillCheck): Promise<DrillRecord['checks'][number]> {
  const client = new pg.Client({ ...conn, database: check.database ?? service.connection.database, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query({ text: check.sql, rowMode: 'array' });
    const value = Number(result.rows[0]?.[0]);
    const min = check.min ?? 1;
    return { name: check.name, ok: Number.isFinite(value) && value >= min, value, error: Number.isFinite(value) ? (value >= min ? undefined : `${value} is below ${min}`) : 'the query did not return a number' };
  } catch (err) {
    return { name: check.name, ok: false, error: (err as Error).message };
  } finally {
    await client.end().catch(() => {});
  }
}
