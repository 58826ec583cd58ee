// Where a transaction committed, for a restore target given as a bare transaction id (pitr --before-xid N):
// its commit record's LSN picks the base backup and how much WAL to stage. The archive is read newest first
// with pg_waldump --xid, which stops at the first batch that holds the commit.
import { join } from 'node:path';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupRepository } from '../repository/backupRepository';
import type { RestoreTarget } from '../wal/planRestore';
import { listWalEntries } from '../wal/walArchive';
import { planScanSegments } from './scanSegments';
import { parseTransactionEnd } from './transactionLedger';
import { readWaldumpLine } from './waldumpLine';
import { scanWithWaldump } from './waldumpScan';
import { findPgWaldump } from './waldumpTool';

export interface LocateDeps {
  repo: BackupRepository;
  serviceId: string;
  key: Buffer | undefined;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

/** A context for a lookup outside a job (restore.commands answers at once). */
export function detachedContext(signal: AbortSignal = new AbortController().signal): JobContext {
  return { jobId: '', signal, progress: () => undefined, claimPartialOutput: async () => undefined };
}

export async function locateCommit(ctx: JobContext, deps: LocateDeps, xid: string): Promise<{ commitLsn: string; commitTime: string }> {
  const wal = await listWalEntries(deps.repo, deps.serviceId);
  const plan = planScanSegments(wal, '1970-01-01T00:00:00Z', '9999-12-31T00:00:00Z');
  const backups = (await deps.repo.list(deps.serviceId)).map((e) => e.manifest).filter((m) => m.kind === 'physical');
  const newest = backups.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  if (!plan || !newest) throw new LifeboatError('OUT_OF_WINDOW', `There is no archived WAL of ${deps.serviceId} to find transaction ${xid} in.`, `Look at the window: lifeboat window ${deps.serviceId}.`);
  let found: { commitLsn: string; commitTime: string; aborted: boolean } | undefined;
  await scanWithWaldump({
    ctx: { ...ctx, progress: (p) => ctx.progress({ ...p, phase: `finding the commit of transaction ${xid}: ${p.phase}` }) },
    repo: deps.repo,
    serviceId: deps.serviceId,
    key: deps.key,
    runs: plan.runs,
    pgWaldump: await findPgWaldump(newest.server.major, deps.env),
    filters: ['--rmgr=Transaction', `--xid=${xid}`],
    workDir: join(deps.dataDir, 'tmp'),
    newestFirst: true,
    stopWhen: () => found !== undefined,
    onLine: (text, from, to) => {
      const r = readWaldumpLine(text.slice(from, to));
      if (!r || !/^(COMMIT|ABORT)/.test(r.op)) return;
      const end = parseTransactionEnd(r.desc);
      if (end.time) found = { commitLsn: r.lsn, commitTime: end.time, aborted: r.op.startsWith('ABORT') };
    },
  });
  if (!found) throw new LifeboatError('OUT_OF_WINDOW', `Transaction ${xid} does not commit in the archived WAL of ${deps.serviceId}.`, `List the transactions worth restoring around: lifeboat find ${deps.serviceId}.`);
  if (found.aborted) throw new LifeboatError('INVALID_INPUT', `Transaction ${xid} was rolled back (${found.commitTime}): it changed nothing to restore around.`, `List the transactions worth restoring around: lifeboat find ${deps.serviceId}.`);
  return found;
}

/** A transaction target with its commit record's LSN, looked up when the caller did not give it. */
export async function withCommitLsn(ctx: JobContext, deps: LocateDeps, target: RestoreTarget): Promise<RestoreTarget> {
  if (target.kind !== 'xid' || target.commitLsn) return target;
  return { ...target, commitLsn: (await locateCommit(ctx, deps, target.xid)).commitLsn };
}
