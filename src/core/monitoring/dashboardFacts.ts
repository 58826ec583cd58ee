// The facts the dashboard and the RPO watch need, read through the contract's own handlers, each with a time
// limit: one unreachable server must not hold the whole fleet's dashboard.
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { ReplicationHealth } from '../../shared/replication';
import type { SqlWindowView } from '../../shared/sqlServerViews';

export interface BackupFacts {
  lastGoodAt?: string;
  backups: Array<{ finishedAt: string; storedBytes: number }>;
  error?: string;
}

export interface ServiceFacts extends BackupFacts {
  window?: { from: string; to: string };
  lastDrill?: { at: string; ok: boolean; rtoMs?: number };
}

const LIMIT_MS = 8000;

export async function limited<T>(work: Promise<T>, ms = LIMIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (err: unknown) => (err as Error).message ?? String(err);

/** `sqlWindow`: an msdb read already under way for this service, so one read serves backups and window. */
export async function backupFacts(h: Handlers, service: Service, sqlWindow?: Promise<SqlWindowView>): Promise<BackupFacts> {
  try {
    if (service.engine === 'postgres') {
      const list = await limited(h['backups.list']({ serviceId: service.id }));
      // A backup whose last verification failed is not a good one; unverified ones count (newest first).
      const good = list.find((b) => b.lastVerification?.ok !== false);
      return { lastGoodAt: good?.finishedAt, backups: list.map((b) => ({ finishedAt: b.finishedAt, storedBytes: b.storedBytes })) };
    }
    const view = await (sqlWindow ?? limited(h['sqlserver.window']({ serviceId: service.id })));
    const sets = view.sets.filter((s) => !s.isDamaged).sort((a, b) => b.backupFinishDate.localeCompare(a.backupFinishDate));
    return { lastGoodAt: sets[0]?.backupFinishDate, backups: view.sets.map((s) => ({ finishedAt: s.backupFinishDate, storedBytes: s.compressedSizeBytes ?? s.backupSizeBytes ?? 0 })) };
  } catch (err) {
    return { backups: [], error: message(err) };
  }
}

export async function serviceFacts(h: Handlers, service: Service): Promise<ServiceFacts> {
  const sqlWindow = service.engine === 'sqlserver' ? limited(h['sqlserver.window']({ serviceId: service.id })) : undefined;
  sqlWindow?.catch(() => undefined); // each consumer below handles the failure its own way
  const [backups, window, lastDrill] = await Promise.all([
    backupFacts(h, service, sqlWindow),
    recoverableWindow(h, service, sqlWindow).catch(() => undefined),
    latestDrill(h, service).catch(() => undefined),
  ]);
  return { ...backups, window, lastDrill };
}

async function recoverableWindow(h: Handlers, service: Service, sqlWindow?: Promise<SqlWindowView>): Promise<{ from: string; to: string } | undefined> {
  const intervals =
    service.engine === 'postgres'
      ? (await limited(h['window.get']({ serviceId: service.id }))).intervals
      : (await (sqlWindow ?? limited(h['sqlserver.window']({ serviceId: service.id })))).window.intervals;
  if (!intervals.length) return undefined;
  return { from: intervals[0]!.from, to: intervals.at(-1)!.to };
}

async function latestDrill(h: Handlers, service: Service): Promise<ServiceFacts['lastDrill']> {
  const drills = service.engine === 'postgres' ? await limited(h['drills.list']({ serviceId: service.id })) : await limited(h['sqlserver.drills']({ serviceId: service.id }));
  const [last] = [...drills].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return last && { at: last.finishedAt, ok: last.ok, rtoMs: last.rtoMs };
}

export async function replicationRows(h: Handlers): Promise<Map<string, { health: ReplicationHealth; summary: string }>> {
  const rows = await limited(h['replication.overview']({}), 10_000).catch(() => []);
  return new Map(rows.map((r) => [r.serviceId, { health: r.health, summary: r.error ? r.error.message : r.summary }]));
}
