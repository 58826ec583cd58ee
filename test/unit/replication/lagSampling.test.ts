// Thresholds from the policy, the session's ring buffer, alerts raised once per change of level, the chart's
// series, the manual promotion steps and SQL Server times: pure pieces of the replication slice.
import { describe, expect, it } from 'vitest';
import { AlertTracker } from '../../../src/core/replication/alertTracker';
import { LagHistory } from '../../../src/core/replication/lagHistory';
import { DEFAULT_THRESHOLDS, durationMs, lagLevel, thresholdsOf } from '../../../src/core/replication/lagThresholds';
import { lsnDistance } from '../../../src/core/replication/lsnMath';
import { promotionManualSteps } from '../../../src/core/replication/promotionManualSteps';
import { serverLocalToIso } from '../../../src/core/replication/sqlServerHaView';
import type { LagPoint, ReplicationSample } from '../../../src/shared/replication';
import { appendSample, lagSeries } from '../../../src/renderer/src/pages/replication/lagSeries';

const point = (bytes: number | null, over: Partial<LagPoint> = {}): LagPoint => ({ standby: 'b', serviceId: 'orders-b', state: 'streaming', replayLagBytes: bytes, replayLagSeconds: 0, writeLagBytes: bytes, flushLagBytes: bytes, level: 'ok', ...over });
const sample = (at: number, points: LagPoint[]): ReplicationSample => ({ serviceId: 'orders', at: new Date(at).toISOString(), health: 'healthy', points });

describe('replication thresholds and sampling', () => {
  it('takes thresholds from the policy, with defaults and a 1 s floor on the interval', () => {
    expect(thresholdsOf(undefined)).toEqual(DEFAULT_THRESHOLDS);
    expect(thresholdsOf({ warnLagBytes: 10, sampleInterval: '30s' })).toMatchObject({ warnLagBytes: 10, criticalLagBytes: DEFAULT_THRESHOLDS.criticalLagBytes, sampleIntervalMs: 30_000 });
    expect(thresholdsOf({ sampleInterval: '0s' }).sampleIntervalMs).toBe(1000);
    expect(durationMs('2m')).toBe(120_000);
    const t = { ...DEFAULT_THRESHOLDS, warnLagBytes: 100, criticalLagBytes: 1000, warnLagSeconds: 10, criticalLagSeconds: 60 };
    expect(lagLevel({ seconds: null, bytes: null }, t)).toBe('ok');
    expect(lagLevel({ seconds: 11, bytes: 0 }, t)).toBe('warn');
    expect(lagLevel({ seconds: 0, bytes: 1000 }, t)).toBe('critical');
  });

  it('keeps the newest samples when the ring is full, oldest first', () => {
    const h = new LagHistory(3);
    for (let i = 1; i <= 5; i++) h.push(sample(i * 1000, []));
    expect(h.of('orders').map((s) => Date.parse(s.at) / 1000)).toEqual([3, 4, 5]);
    expect(h.of('other')).toEqual([]);
  });

  it('raises an alert when a standby crosses a threshold and when it comes back, not on every sample', () => {
    const t = { ...DEFAULT_THRESHOLDS, warnLagBytes: 100, criticalLagBytes: 1000 };
    const tracker = new AlertTracker();
    expect(tracker.update(sample(1, [point(0)]), t)).toEqual([]);
    const [warn] = tracker.update(sample(2, [point(500, { level: 'warn' })]), t);
    expect(warn).toMatchObject({ level: 'warn', previous: 'ok', metric: 'replayLagBytes', value: 500, threshold: 100 });
    expect(tracker.update(sample(3, [point(600, { level: 'warn' })]), t)).toEqual([]);
    expect(tracker.update(sample(4, [point(null, { state: 'disconnected', level: 'critical' })]), t)[0]).toMatchObject({ level: 'disconnected', metric: 'state' });
    expect(tracker.update(sample(5, [point(0)]), t)[0]).toMatchObject({ level: 'ok', previous: 'disconnected' });
    expect(tracker.update({ ...sample(6, []), error: 'unreachable' }, t)).toEqual([]);
  });

  it('draws a gap, not a zero, while a standby is disconnected', () => {
    const list = [sample(1000, [point(10)]), sample(2000, [point(null, { state: 'disconnected' })]), sample(3000, [point(30)])];
    expect(lagSeries(list)[0]?.points.map((p) => p.bytes)).toEqual([10, null, 30]);
    expect(appendSample(list, list[1]!, 10)).toHaveLength(3);
    expect(appendSample(list, sample(4000, []), 2).map((s) => Date.parse(s.at))).toEqual([3000, 4000]);
  });

  it('measures LSN distances across servers exactly', () => {
    expect(lsnDistance('1/0', '0/FFFFFFFF')).toBe(1);
    expect(lsnDistance('0/3000000', '0/3000148')).toBe(0);
    expect(lsnDistance(null, '0/1')).toBeNull();
  });

  it('writes the manual promotion steps with fencing first and pg_promote', () => {
    const text = promotionManualSteps({ serviceId: 'orders-b', standbyAddress: 'db2:5432', dataDirectory: '/var/lib/postgresql/15/main', oldPrimaryAddress: 'db1:5432', oldPrimaryServiceId: 'orders' });
    expect(text.indexOf('Fence db1:5432 (orders)')).toBeLessThan(text.indexOf('pg_promote(wait => true'));
    expect(text).toContain('pg_ctl promote -D /var/lib/postgresql/15/main');
    expect(text).toContain('psql -h db2 -p 5432');
  });

  it("converts SQL Server wall-clock times with the server's offset", () => {
    expect(serverLocalToIso('2026-11-25T15:28:23.120', 60)).toBe('2026-11-25T14:28:23.120Z');
    expect(serverLocalToIso('2026-11-25T10:00:00', -300)).toBe('2026-11-25T15:00:00.000Z');
    expect(serverLocalToIso(null, 0)).toBeNull();
  });
});
