// Compliance decisions on plain data: a backup's age against the RPO (green, amber from 80 %, red past it),
// a drill against the RTO, success rates over 7 and 30 days, storage growth, and the failures list.
import { describe, expect, it } from 'vitest';
import { backupCompliance, formatAge, jobRates, judgeService, recentFailures, rtoCompliance, storageSeries, worstLevel } from '../../../src/core/monitoring/compliance';
import type { FleetServiceFacts } from '../../../src/core/fleet/fleetFacts';
import type { Service } from '../../../src/shared/domain';
import type { DrillView, WindowView } from '../../../src/shared/recovery';
import type { Job } from '../../../src/shared/jobs';

const now = Date.parse('2026-11-25T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const H = 3_600_000;
const D = 24 * H;

describe('backups against the RPO', () => {
  it('is green within 80 % of the RPO, amber above it, red past it', () => {
    expect(backupCompliance(ago(3 * H), '24h', now)).toMatchObject({ level: 'ok', text: 'Within RPO: last good backup 3 h ago (RPO 24 h)', ageSeconds: 3 * 3600, rpoSeconds: 86400 });
    expect(backupCompliance(ago(20 * H), '24h', now)).toMatchObject({ level: 'warning', text: 'Near RPO: last good backup 20 h ago, 83 % of 24 h' });
    expect(backupCompliance(ago(25 * H + 30 * 60_000), '24h', now)).toMatchObject({ level: 'breach', text: 'RPO breached: last good backup 1 d 1 h ago (RPO 24 h)' });
  });

  it('is red with no backup when an RPO is set, unknown without an RPO', () => {
    expect(backupCompliance(undefined, '4h', now)).toMatchObject({ level: 'breach', text: 'No good backup yet (RPO 4 h)' });
    expect(backupCompliance(undefined, undefined, now)).toMatchObject({ level: 'unknown' });
    expect(backupCompliance(ago(2 * D), undefined, now)).toMatchObject({ level: 'unknown', text: 'Last good backup 2 d ago; no RPO set' });
  });
});

describe('drills against the RTO', () => {
  it('compares the last drill\'s measured restore time with the target; a failed drill is red', () => {
    expect(rtoCompliance({ at: ago(D), ok: true, rtoMs: 10 * 60_000 }, '30m')).toMatchObject({ level: 'ok', text: 'Within RTO: last drill restored in 10 min (RTO 30 min)' });
    expect(rtoCompliance({ at: ago(D), ok: true, rtoMs: 27 * 60_000 }, '30m').level).toBe('warning');
    expect(rtoCompliance({ at: ago(D), ok: true, rtoMs: 31 * 60_000 }, '30m')).toMatchObject({ level: 'breach', text: 'RTO missed: last drill restored in 31 min (RTO 30 min)' });
    expect(rtoCompliance({ at: ago(D), ok: false }, '30m')).toMatchObject({ level: 'breach', text: 'Last drill failed' });
    expect(rtoCompliance(undefined, '30m')).toMatchObject({ level: 'warning', text: 'No drill yet (RTO 30 min)' });
  });
});

const job = (state: Job['state'], finishedAgo: number, extra: Partial<Job> = {}): Job => ({
  id: `${state}-${finishedAgo}`,
  kind: 'backup.logical',
  title: 'Logical backup of orders',
  serviceId: 'orders',
  state,
  progress: { phase: 'done' },
  revision: 3,
  createdAt: ago(finishedAgo + 60_000),
  finishedAt: ago(finishedAgo),
  ...extra,
});

describe('rates, storage and failures', () => {
  it('counts succeeded and failed jobs over 7 and 30 days, ignoring cancelled and running ones', () => {
    const jobs = [job('succeeded', H), job('succeeded', 2 * D), job('failed', 3 * D), job('succeeded', 10 * D), job('failed', 40 * D), job('cancelled', H), job('running', 0, { finishedAt: undefined })];
    const { rates, daily } = jobRates(jobs, now);
    expect(rates).toEqual([
      { days: 7, succeeded: 2, failed: 1, successRate: 2 / 3 },
      { days: 30, succeeded: 3, failed: 1, successRate: 0.75 },
    ]);
    expect(daily).toHaveLength(30);
    expect(daily.at(-1)).toEqual({ day: '2026-11-25', succeeded: 1, failed: 0 });
    expect(daily.find((d) => d.day === '2026-11-22')).toEqual({ day: '2026-11-22', succeeded: 0, failed: 1 });
    expect(jobRates([], now).rates[0]!.successRate).toBeNull();
  });

  it('shows storage at the end of each day and the growth over 7 and 30 days', () => {
    const s = storageSeries('orders', [
      { finishedAt: ago(40 * D), storedBytes: 1000 },
      { finishedAt: ago(10 * D), storedBytes: 200 },
      { finishedAt: ago(2 * D), storedBytes: 30 },
    ], now);
    expect(s).toMatchObject({ serviceId: 'orders', storedBytes: 1230, growth7d: 30, growth30d: 230 });
    expect(s.points).toHaveLength(30);
    expect(s.points[0]!.bytes).toBe(1000);
    expect(s.points.at(-1)!.bytes).toBe(1230);
  });

  it("counts archived WAL (the repository's, or what pgBackRest or Barman report) in storage and its growth", () => {
    const s = storageSeries('shop', [{ finishedAt: ago(10 * D), storedBytes: 200 }], now, [
      { bytes: 50, archivedAt: ago(9 * D) },
      { bytes: 7, archivedAt: ago(H) },
    ]);
    expect(s).toMatchObject({ storedBytes: 257, walBytes: 57, growth7d: 7, growth30d: 257 });
    expect(s.points.at(-2)!.bytes).toBe(250);
  });

  it('lists the newest failures first with their error, hint and where they ran', () => {
    const error = { code: 'UNREACHABLE', message: 'Nothing accepts connections', hint: 'Check the port' };
    const failures = recentFailures([job('failed', 2 * H, { id: 'old', error }), { ...job('failed', H, { id: 'new', error }), agent: 'db-backup-1' }, job('succeeded', 0)]);
    expect(failures.map((f) => [f.jobId, f.source])).toEqual([
      ['new', 'agent db-backup-1'],
      ['old', 'this computer'],
    ]);
    expect(failures[0]!.error).toEqual(error);
  });

  it('writes ages the way a DBA reads them', () => {
    expect([30_000, 5 * 60_000, 3 * H + 20 * 60_000, 2 * D + 4 * H, 3 * D].map(formatAge)).toEqual(['30 s', '5 min', '3 h 20 min', '2 d 4 h', '3 d']);
  });
});

describe('the one compliance rule (judgeService): what the dashboard, the fleet page and the report show', () => {
  const service = { id: 'orders', name: 'Orders', engine: 'postgres', team: 'checkout', owner: 'ana', tags: ['tier-1'], policy: { rpo: '1h', rto: '30m' }, connection: { host: 'h', port: 1, database: 'd', user: 'u', tls: 'prefer', password: { kind: 'keychain' } } } as Service;
  const drill = (over: Partial<DrillView>): DrillView => ({ id: 'd1', serviceId: 'orders', startedAt: ago(D + 60_000), finishedAt: ago(D), ok: true, target: 'latest', checks: [], ...over });
  const facts = (over: Partial<FleetServiceFacts> = {}): FleetServiceFacts => ({
    service,
    backups: { known: true, value: [{ finishedAt: ago(3 * H), storedBytes: 10, verified: true }] },
    window: { known: true, value: { from: ago(3 * H), to: ago(2 * 60_000), source: { engine: 'postgres', view: {} as WindowView } } },
    drills: { known: true, value: [drill({ ok: true, rtoMs: 5 * 60_000 })] },
    walFiles: { known: true, value: [] },
    wal: { known: true, value: { streaming: true } },
    encrypted: { known: true, value: true },
    replication: { known: true, value: { health: 'healthy', summary: '1 of 1 standby streaming' } },
    ...over,
  });

  it('measures the RPO from the newest recoverable point: the window\'s end when WAL is kept, else the last good backup', () => {
    expect(judgeService(facts(), { now }).backup).toMatchObject({ level: 'ok', text: 'Within RPO: recoverable up to 2 min ago (RPO 1 h)', lastGoodAt: ago(3 * H) });
    expect(judgeService(facts({ window: { known: true, value: null } }), { now }).backup).toMatchObject({ level: 'breach', text: 'RPO breached: last good backup 3 h ago (RPO 1 h)' });
    // A backup whose verification failed is not good: the one before it counts.
    const failedNewest = facts({ window: { known: true, value: null }, backups: { known: true, value: [{ finishedAt: ago(10 * 60_000), storedBytes: 1, verified: false }, { finishedAt: ago(50 * 60_000), storedBytes: 1 }] } });
    expect(judgeService(failedNewest, { now }).backup).toMatchObject({ level: 'warning', text: 'Near RPO: last good backup 50 min ago, 83 % of 1 h' });
  });

  it('says what it could not learn, with the last value kept; a host that does not answer is unknown, not broken', () => {
    const lastKnown = { text: 'healthy: 1 of 1 standby streaming', at: '2026-11-25T11:00:00.000Z' };
    const judged = judgeService(facts({ replication: { known: false, reason: 'no answer within 2 s (TIMEOUT)', lastKnown }, wal: { known: false, reason: 'no answer within 2 s (TIMEOUT)' } }), { now });
    expect(judged.replication).toEqual({ level: 'unknown', health: 'unknown', text: 'unknown: no answer within 2 s (TIMEOUT), last known healthy: 1 of 1 standby streaming at 2026-11-25 11:00:00Z' });
    expect(judged.unknown).toEqual([
      { fact: 'replication', reason: 'no answer within 2 s (TIMEOUT)', lastKnown },
      { fact: 'wal', reason: 'no answer within 2 s (TIMEOUT)' },
    ]);
    expect(judged.backup.level).toBe('ok'); // the repository still answered
    expect(judged.state).toBe('unknown');
  });

  it('counts no standby as fine, unless the policy sets replication thresholds', () => {
    const none = { known: true as const, value: { health: 'none' as const, summary: 'no standbys' } };
    expect(judgeService(facts({ replication: none }), { now }).replication).toEqual({ level: 'ok', text: 'No replication', health: 'none' });
    const wanted = judgeService({ ...facts({ replication: none }), service: { ...service, policy: { ...service.policy, replication: { warnLagSeconds: 30 } } } as Service }, { now });
    expect(wanted.replication).toMatchObject({ level: 'warning', text: 'No standby, though the policy sets replication thresholds' });
  });

  it('puts the worst level in state, and the service\'s identity beside the verdicts', () => {
    const judged = judgeService(facts({ drills: { known: true, value: [drill({ ok: false })] } }), { now, version: '15.8', missedRuns: 2 });
    expect(judged).toMatchObject({ serviceId: 'orders', team: 'checkout', owner: 'ana', tags: ['tier-1'], version: '15.8', missedRuns: 2, state: 'breach', rto: { level: 'breach', text: 'Last drill failed' } });
    expect(worstLevel(['ok', 'unknown'])).toBe('unknown');
    expect(worstLevel(['unknown', 'warning', 'ok'])).toBe('warning');
  });
});
