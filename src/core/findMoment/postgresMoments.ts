// "Find the moment" for a PostgreSQL service: the archived WAL of a time range read with pg_waldump, the
// transactions that dropped, truncated or mass-changed a table named through the nearest base backup's
// catalog and the live one, and who ran them where the server log says so.
import { join } from 'node:path';
import type { MomentScanView } from '../../shared/findMoment';
import type { Service } from '../../shared/domain';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import type { ScratchClusters } from '../scratch/scratchClusters';
import { listWalEntries, type WalEntry } from '../wal/walArchive';
import { backupCatalogSource, readBackupCatalog, readLiveCatalog } from './catalogReaders';
import { findingOf } from './momentFindings';
import { CatalogIndex, type RelationCatalog } from './relationCatalog';
import { planScanSegments, type ScanPlan } from './scanSegments';
import { attachRoles } from './serverLogRoles';
import { TransactionLedger, type ClosedTransaction } from './transactionLedger';
import { readHeapRecords } from './heapRecordReader';
import { HeapEventQueue, momentLineSink } from './momentLines';
import { scanWithWaldump } from './waldumpScan';
import { findPgWaldump, momentFilters } from './waldumpTool';

export interface PostgresMomentDeps {
  service: Service;
  repo: BackupRepository;
  key: Buffer | undefined;
  scratch: ScratchClusters;
  password: string | undefined;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

export interface MomentRequest {
  table?: string;
  from?: string;
  to?: string;
  minRows: number;
}

const DAY_MS = 24 * 3600_000;

/** The range asked for, or the last 24 hours of the archive; checked against what the archive holds. Before any job runs. */
export async function planPostgresScan(repo: BackupRepository, serviceId: string, request: MomentRequest): Promise<{ from: string; to: string; plan: ScanPlan; wal: WalEntry[]; backups: BackupManifest[] }> {
  const wal = await listWalEntries(repo, serviceId);
  const backups = (await repo.list(serviceId)).map((e) => e.manifest).filter((m) => m.kind === 'physical' && m.physical);
  if (!backups.length) throw new LifeboatError('OUT_OF_WINDOW', `${serviceId} has no physical backup: there is no WAL to read and no catalog to name tables by.`, `Take one: lifeboat backup ${serviceId} --kind physical, and keep WAL: lifeboat wal stream ${serviceId}.`);
  const lastCommit = wal.reduce((m, e) => (e.lastXactTime && e.lastXactTime > m ? e.lastXactTime : m), '');
  if (!lastCommit) throw new LifeboatError('OUT_OF_WINDOW', `No archived WAL of ${serviceId} holds a commit.`, `Keep WAL: lifeboat wal stream ${serviceId}, then look again.`);
  const to = request.to ? new Date(Date.parse(request.to)).toISOString() : lastCommit;
  const from = request.from ? new Date(Date.parse(request.from)).toISOString() : new Date(Date.parse(to) - DAY_MS).toISOString();
  if (Date.parse(from) >= Date.parse(to)) throw new LifeboatError('INVALID_INPUT', `The range ${from} .. ${to} is empty.`, 'Give --from before --to.');
  const plan = planScanSegments(wal, from, to);
  if (!plan) {
    const firstCommit = wal.reduce((m, e) => (e.firstXactTime && (!m || e.firstXactTime < m) ? e.firstXactTime : m), '');
    throw new LifeboatError('OUT_OF_WINDOW', `No archived WAL of ${serviceId} commits between ${from} and ${to}.`, `The archive's commits run from ${firstCommit} to ${lastCommit}: lifeboat find ${serviceId} --from <time> --to <time> inside it.`);
  }
  return { from, to, plan, wal, backups };
}

/** The newest base backup that ended at or before the range's start (else the oldest): its catalog still has what the range drops. */
export function nearestBackupBefore(backups: BackupManifest[], from: string): BackupManifest {
  const sorted = [...backups].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  return sorted.filter((b) => Date.parse(b.finishedAt) <= Date.parse(from)).at(-1) ?? sorted[0]!;
}

export async function findPostgresMoments(ctx: JobContext, deps: PostgresMomentDeps, request: MomentRequest): Promise<MomentScanView> {
  const { service } = deps;
  const { from, to, plan, backups } = await planPostgresScan(deps.repo, service.id, request);
  const backup = nearestBackupBefore(backups, from);
  const major = backup.server.major;
  const pgWaldump = await findPgWaldump(major, deps.env);
  const notes: string[] = [];
  for (const g of plan.gaps) notes.push(`WAL is missing ${g.from} and ${g.to}: transactions there cannot be seen.`);
  if (Date.parse(backup.finishedAt) > Date.parse(from)) notes.push(`No base backup ended before ${from}: names come from ${backupCatalogSource(backup)}, which misses tables dropped before it ended.`);

  // 1. The WAL, transaction by transaction.
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const closed: ClosedTransaction[] = [];
  const ledger = new TransactionLedger(request.minRows, (t) => {
    const at = Date.parse(t.commitTime);
    if (at >= fromMs && at <= toMs) closed.push(t);
  });
  const heap = new HeapEventQueue(ledger);
  const scanned = await scanWithWaldump({
    ctx,
    repo: deps.repo,
    serviceId: service.id,
    key: deps.key,
    runs: plan.runs,
    pgWaldump,
    filters: momentFilters(major),
    workDir: join(deps.dataDir, 'tmp'),
    // Heap rows are counted from the records themselves while pg_waldump reads the rest (heapRecordReader.ts).
    alongside: (segments, own, firstSegNo) => {
      const events = readHeapRecords(segments, own, firstSegNo);
      return () => heap.push(events);
    },
    onLine: momentLineSink(ledger, heap),
  });

  // 2. Names, only when there is something to name.
  const catalogs: RelationCatalog[] = [];
  const catalogNotes: string[] = [];
  if (closed.length) {
    ctx.progress({ phase: `naming ${closed.length} transaction(s): reading the catalog of backup ${backup.id}` });
    try {
      catalogs.push(await readBackupCatalog(ctx, { service, repo: deps.repo, key: deps.key, scratch: deps.scratch, env: deps.env, dataDir: deps.dataDir }, backup));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      catalogNotes.push(`${backupCatalogSource(backup)} could not be read: ${toWireError(err).message}`);
    }
    ctx.progress({ phase: 'naming: reading the live catalog' });
    const dbs = new Set(closed.flatMap((t) => [...t.dropped, ...t.created].map((f) => f.db).concat([...t.rows.keys()].map((k) => Number(k.split('/')[1])))));
    try {
      catalogs.push(await readLiveCatalog(service, deps.password, dbs));
    } catch (err) {
      catalogNotes.push(`The live catalog could not be read: ${toWireError(err).message}`);
    }
  }
  const index = new CatalogIndex(catalogs);
  const live = catalogs.find((c) => c.source === 'the live catalog');
  const findings = closed
    .map((t) => findingOf(t, { index, live, backupSource: backupCatalogSource(backup), minRows: request.minRows, table: request.table, timeline: plan.timeline }))
    .filter((f) => f !== undefined);

  // 3. Who ran them, where the server log says so.
  if (findings.length) {
    ctx.progress({ phase: 'looking for the statements in the server log' });
    await attachRoles(service, deps.password, findings, notes);
  }
  const segments = plan.runs.flatMap((r) => r.segments);
  return {
    serviceId: service.id,
    engine: 'postgres',
    from,
    to,
    table: request.table,
    minRows: request.minRows,
    scanned: { segments: scanned.segments, bytes: scanned.bytes, first: segments[0]?.name, last: segments.at(-1)?.name, tool: `pg_waldump ${major} (${momentFilters(major).join(' ') || 'every record'}) and Lifeboat's reading of Heap records` },
    catalogs: [...catalogs.map((c) => c.source), ...catalogNotes],
    notes,
    findings,
  };
}
