// The lag chart's data: one series per standby from the session's samples, oldest first. Pure.
import type { ReplicationSample } from '../../../../shared/replication';

export interface LagSeriesPoint {
  at: number;
  bytes: number | null;
  seconds: number | null;
}

export interface LagSeries {
  standby: string;
  serviceId?: string;
  points: LagSeriesPoint[];
}

/** A sample where a standby is missing (it disconnected) leaves a gap (bytes null) rather than a false zero. */
export function lagSeries(samples: readonly ReplicationSample[]): LagSeries[] {
  const byName = new Map<string, LagSeries>();
  for (const s of samples) for (const p of s.points) if (!byName.has(p.standby)) byName.set(p.standby, { standby: p.standby, serviceId: p.serviceId, points: [] });
  for (const s of samples) {
    const at = Date.parse(s.at);
    for (const series of byName.values()) {
      const p = s.points.find((x) => x.standby === series.standby);
      series.points.push({ at, bytes: p && p.state !== 'disconnected' ? p.replayLagBytes : null, seconds: p ? p.replayLagSeconds : null });
    }
  }
  return [...byName.values()].sort((a, b) => a.standby.localeCompare(b.standby));
}

/** Appends a sample to a list capped at `capacity`, ignoring one already there (same time). */
export function appendSample(list: readonly ReplicationSample[], sample: ReplicationSample, capacity: number): ReplicationSample[] {
  if (list.some((s) => s.at === sample.at)) return list as ReplicationSample[];
  const next = [...list, sample].sort((a, b) => a.at.localeCompare(b.at));
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}
