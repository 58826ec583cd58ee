// Turns samples into threshold alerts: an alert when a standby's level changes (up or back down), never
// one per sample, so the monitoring slice can notify on each alert as it comes.
import type { LagLevel, LagThresholds, ReplicationAlert, ReplicationSample } from '../../shared/replication';
import { levelOf } from './lagThresholds';

type Level = LagLevel | 'disconnected';

export class AlertTracker {
  private levels = new Map<string, Level>();

  update(sample: ReplicationSample, thresholds: LagThresholds): ReplicationAlert[] {
    if (sample.error) return [];
    const alerts: ReplicationAlert[] = [];
    for (const p of sample.points) {
      const key = `${sample.serviceId}\u0000${p.standby}`;
      const level: Level = p.state === 'disconnected' ? 'disconnected' : p.level;
      const previous = this.levels.get(key);
      this.levels.set(key, level);
      if (previous === level || (previous === undefined && level === 'ok')) continue;
      const secondsLevel = levelOf(p.replayLagSeconds, thresholds.warnLagSeconds, thresholds.criticalLagSeconds);
      const bySeconds = level !== 'disconnected' && secondsLevel === level && level !== 'ok';
      const metric: ReplicationAlert['metric'] = level === 'disconnected' ? 'state' : bySeconds ? 'replayLagSeconds' : 'replayLagBytes';
      const value = metric === 'state' ? p.state : metric === 'replayLagSeconds' ? p.replayLagSeconds : p.replayLagBytes;
      const threshold = level === 'warn' ? (bySeconds ? thresholds.warnLagSeconds : thresholds.warnLagBytes) : level === 'critical' ? (bySeconds ? thresholds.criticalLagSeconds : thresholds.criticalLagBytes) : null;
      const name = p.serviceId ?? p.standby;
      const message =
        level === 'disconnected' ? `Standby ${name} of ${sample.serviceId} is disconnected.`
        : level === 'ok' ? `Standby ${name} of ${sample.serviceId} is back within its thresholds.`
        : `Standby ${name} of ${sample.serviceId} is over its ${level} threshold: ${metric === 'replayLagSeconds' ? `${value} s` : `${value} bytes`} behind (threshold ${threshold}).`;
      alerts.push({ serviceId: sample.serviceId, standby: p.standby, at: sample.at, level, previous: previous ?? 'none', metric, value, threshold, message });
    }
    return alerts;
  }
}
