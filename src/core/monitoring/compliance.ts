// Fleet compliance as pure decisions on plain data: the recoverable point's age against the RPO, a drill's RTO
// against its target, replication health (judgeService puts them together: the one rule every view shows),
// success rates from the job history, storage growth from the manifests.
import type { Job } from '../../shared/jobs';
import { FLEET_FACTS, type ComplianceLevel, type DailyOutcome, type FailureView, type FleetFactName, type ServiceCompliance, type StorageSeries, type UnknownFact } from '../../shared/monitoring';
import { unknownText, type Fact } from '../fleet/fact';
import type { FleetServiceFacts } from '../fleet/fleetFacts';
import { formatTime } from '../formatFacts';
import type { ReplicationHealth } from '../../shared/replication';
import { durationMs } from '../replication/lagThresholds';

/** Amber from this share of the RPO (or RTO) on: time to look before the breach. */
export const WARNING_SHARE = 0.8;

const DAY_MS = 86_400_000;

/** "45 min", "3 h 20 min", "2 d 4 h": what a DBA reads at a glance. */
export function formatAge(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const UNIT_WORD: Record<string, string> = { s: 's', m: 'min', h: 'h', d: 'd', w: 'w' };

/** A policy duration as the DBA wrote it: "24h" -> "24 h", "15m" -> "15 min". */
export function policyText(duration: string): string {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(duration);
  return m ? `${m[1]} ${UNIT_WORD[m[2]!]}` : duration;
}

function levelOf(value: number, limit: number): ComplianceLevel {
  if (value > limit) return 'breach';
  return value > limit * WARNING_SHARE ? 'warning' : 'ok';
}

/**
 * The RPO against the newest point a restore can reach: the end of the recoverable window when WAL is kept,
 * else the last good backup. The dashboard, the fleet page, the report and the RPO watch all judge by this.
 */
export function backupCompliance(lastGoodAt: string | undefined, rpo: string | undefined, now: number, windowEnd?: string): ServiceCompliance['backup'] {
  const rpoMs = rpo ? durationMs(rpo) : undefined;
  const rpoSeconds = rpoMs !== undefined ? rpoMs / 1000 : undefined;
  const byWindow = !!windowEnd && (!lastGoodAt || Date.parse(windowEnd) > Date.parse(lastGoodAt));
  const pointAt = byWindow ? windowEnd : lastGoodAt;
  if (!pointAt) {
    return rpoMs !== undefined
      ? { level: 'breach', text: `No good backup yet (RPO ${policyText(rpo!)})`, rpoSeconds }
      : { level: 'unknown', text: 'No backup yet; no RPO set' };
  }
  const ageMs = Math.max(0, now - Date.parse(pointAt));
  const base = { lastGoodAt, ageSeconds: Math.round(ageMs / 1000), rpoSeconds };
  const point = byWindow ? `recoverable up to ${formatAge(ageMs)} ago` : `last good backup ${formatAge(ageMs)} ago`;
  if (rpoMs === undefined) return { ...base, level: 'unknown', text: `${point[0]!.toUpperCase()}${point.slice(1)}; no RPO set` };
  const level = levelOf(ageMs, rpoMs);
  const target = policyText(rpo!);
  const text =
    level === 'breach'
      ? `RPO breached: ${point} (RPO ${target})`
      : level === 'warning'
        ? `Near RPO: ${point}, ${Math.round((ageMs / rpoMs) * 100)} % of ${target}`
        : `Within RPO: ${point} (RPO ${target})`;
  return { ...base, level, text };
}

export function rtoCompliance(lastDrill: { at: string; ok: boolean; rtoMs?: number } | undefined, rto: string | undefined): ServiceCompliance['rto'] {
  const targetMs = rto ? durationMs(rto) : undefined;
  if (!lastDrill) return { level: targetMs !== undefined ? 'warning' : 'unknown', text: targetMs !== undefined ? `No drill yet (RTO ${policyText(rto!)})` : 'No drill yet; no RTO set', targetMs };
  const base = { lastDrillAt: lastDrill.at, rtoMs: lastDrill.rtoMs, targetMs };
  if (!lastDrill.ok) return { ...base, level: 'breach', text: 'Last drill failed' };
  if (lastDrill.rtoMs === undefined) return { ...base, level: 'unknown', text: 'Last drill passed; no time measured' };
  const took = formatAge(lastDrill.rtoMs);
  if (targetMs === undefined) return { ...base, level: 'unknown', text: `Last drill restored in ${took}; no RTO set` };
  const level = levelOf(lastDrill.rtoMs, targetMs);
  const verdict = level === 'breach' ? 'RTO missed' : level === 'warning' ? 'Near RTO' : 'Within RTO';
  return { ...base, level, text: `${verdict}: last drill restored in ${took} (RTO ${policyText(rto!)})` };
}

/** No standby is fine for a service whose policy asks nothing of replication; with replication thresholds
 * in its policy, a missing standby is amber. */
export function replicationCompliance(row: { health: ReplicationHealth; summary: string } | undefined, policySetsReplication = false): ServiceCompliance['replication'] {
  if (!row) return { level: 'unknown', text: 'Not checked' };
  if (row.health === 'none') return policySetsReplication ? { level: 'warning', text: 'No standby, though the policy sets replication thresholds' } : { level: 'ok', text: 'No replication' };
  const level: Record<ReplicationHealth, ComplianceLevel> = { healthy: 'ok', lagging: 'warning', broken: 'breach', unknown: 'unknown', none: 'ok' };
  return { level: level[row.health], text: row.summary };
}

const finalAt = (j: Job) => Date.parse(j.finishedAt ?? j.createdAt);

/** Succeeded and failed jobs over 7 and 30 days (cancelled ones are neither), and per day for 30 days. */
export function jobRates(jobs: Job[], now: number): { rates: Array<{ days: 7 | 30; succeeded: number; failed: number; successRate: number | null }>; daily: DailyOutcome[] } {
  const ended = jobs.filter((j) => j.state === 'succeeded' || j.state === 'failed');
  const rates = ([7, 30] as const).map((days) => {
    const inRange = ended.filter((j) => now - finalAt(j) <= days * DAY_MS);
    const succeeded = inRange.filter((j) => j.state === 'succeeded').length;
    const failed = inRange.length - succeeded;
    return { days, succeeded, failed, successRate: inRange.length ? succeeded / inRange.length : null };
  });
  const daily: DailyOutcome[] = [];
  for (let i = 29; i >= 0; i--) {
    const day = new Date(now - i * DAY_MS).toISOString().slice(0, 10);
    const ofDay = ended.filter((j) => new Date(finalAt(j)).toISOString().slice(0, 10) === day);
    daily.push({ day, succeeded: ofDay.filter((j) => j.state === 'succeeded').length, failed: ofDay.filter((j) => j.state === 'failed').length });
  }
  return { rates, daily };
}

/** Stored bytes of the backups and archived WAL that exist, at the end of each of the last 30 days: the
 * repository's own figures, or what pgBackRest or Barman report for an engine's service. */
export function storageSeries(serviceId: string, backups: Array<{ finishedAt: string; storedBytes: number }>, now: number, wal: Array<{ bytes: number; archivedAt: string }> = []): StorageSeries {
  const stored = [...backups.map((b) => ({ at: Date.parse(b.finishedAt), bytes: b.storedBytes })), ...wal.map((w) => ({ at: Date.parse(w.archivedAt), bytes: w.bytes }))];
  const total = (until: number) => stored.filter((s) => s.at <= until).reduce((n, s) => n + s.bytes, 0);
  const points: StorageSeries['points'] = [];
  for (let i = 29; i >= 0; i--) {
    const end = now - i * DAY_MS;
    points.push({ day: new Date(end).toISOString().slice(0, 10), bytes: total(end) });
  }
  const storedBytes = total(now);
  const walBytes = wal.filter((w) => Date.parse(w.archivedAt) <= now).reduce((n, w) => n + w.bytes, 0);
  return { serviceId, storedBytes, walBytes, growth7d: storedBytes - total(now - 7 * DAY_MS), growth30d: storedBytes - total(now - 30 * DAY_MS), points };
}

export function recentFailures(jobs: Array<Job & { agent?: string }>, limit = 10): FailureView[] {
  return jobs
    .filter((j) => j.state === 'failed' && j.error)
    .sort((a, b) => finalAt(b) - finalAt(a))
    .slice(0, limit)
    .map((j) => ({ jobId: j.id, kind: j.kind, serviceId: j.serviceId, title: j.title, at: j.finishedAt ?? j.createdAt, error: j.error!, source: j.agent ? `agent ${j.agent}` : 'this computer' }));
}

const LEVEL_ORDER: ComplianceLevel[] = ['ok', 'unknown', 'warning', 'breach'];

/** The worst of several levels; "unknown" ranks above ok and below amber: a DBA looks at it, after the red. */
export function worstLevel(levels: ComplianceLevel[]): ComplianceLevel {
  return levels.reduce((worst, l) => (LEVEL_ORDER.indexOf(l) > LEVEL_ORDER.indexOf(worst) ? l : worst), 'ok');
}

export interface JudgeContext {
  now: number;
  version?: string;
  nextRun?: ServiceCompliance['nextRun'];
  missedRuns?: number;
}

/**
 * The one compliance rule: a service's backups and window against its RPO, its last drill against its RTO,
 * its replication health, and what could not be learned. The dashboard, the fleet page and the fleet report
 * all show this verdict, so they cannot disagree.
 */
export function judgeService(f: FleetServiceFacts, ctx: JudgeContext): ServiceCompliance {
  const { service } = f;
  const p = service.policy;
  const unknown = (text: string) => ({ level: 'unknown' as const, text });
  const lastGood = f.backups.known ? f.backups.value.find((b) => b.verified !== false) : undefined;
  const windowEnd = f.window.known ? f.window.value?.to : undefined;
  const backup =
    !f.backups.known && !f.window.known
      ? unknown(unknownText(f.backups, formatTime))
      : backupCompliance(lastGood?.finishedAt, p.rpo, ctx.now, windowEnd);
  const lastDrill = f.drills.known ? f.drills.value[0] : undefined;
  const rto = f.drills.known ? rtoCompliance(lastDrill && { at: lastDrill.finishedAt, ok: lastDrill.ok, rtoMs: lastDrill.rtoMs }, p.rto) : unknown(unknownText(f.drills, formatTime));
  const replication = f.replication.known ? { ...replicationCompliance(f.replication.value, !!p.replication), health: f.replication.value.health } : { ...unknown(unknownText(f.replication, formatTime)), health: 'unknown' as const };
  const facts: Record<FleetFactName, Fact<unknown>> = { backups: f.backups, window: f.window, drills: f.drills, wal: f.wal, replication: f.replication };
  return {
    serviceId: service.id,
    name: service.name,
    engine: service.engine,
    team: service.team,
    owner: service.owner,
    tags: service.tags,
    version: ctx.version,
    state: worstLevel([backup.level, rto.level, replication.level]),
    backup,
    window: f.window.known && f.window.value ? { from: f.window.value.from, to: f.window.value.to } : undefined,
    rto,
    replication,
    nextRun: ctx.nextRun,
    missedRuns: ctx.missedRuns ?? 0,
    ...(f.copies?.known && f.copies.value ? { copies: f.copies.value } : {}),
    unknown: FLEET_FACTS.flatMap((name): UnknownFact[] => {
      const x = facts[name];
      return x.known ? [] : [{ fact: name, reason: x.reason, ...(x.lastKnown ? { lastKnown: x.lastKnown } : {}) }];
    }),
  };
}
