// A service's replication thresholds (policy.replication, with Lifeboat's defaults) and the pure decisions
// made with them: the level of one standby's lag, of a slot's retained WAL, and a service's health.
import type { ReplicationThresholds } from '../../shared/domain';
import type { LagLevel, LagThresholds, ReplicationHealth } from '../../shared/replication';

/** Defaults: a standby a minute behind deserves a look, five minutes is an incident; 64 MB / 1 GB of WAL. */
export const DEFAULT_THRESHOLDS: LagThresholds = {
  warnLagSeconds: 60,
  criticalLagSeconds: 300,
  warnLagBytes: 64 * 1024 * 1024,
  criticalLagBytes: 1024 * 1024 * 1024,
  sampleIntervalMs: 5000,
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30s", "5m" -> milliseconds (the policy schema already checked the shape). */
export function durationMs(text: string): number {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function thresholdsOf(policy: ReplicationThresholds | undefined): LagThresholds {
  const p = policy ?? {};
  return {
    warnLagSeconds: p.warnLagSeconds ?? DEFAULT_THRESHOLDS.warnLagSeconds,
    criticalLagSeconds: p.criticalLagSeconds ?? DEFAULT_THRESHOLDS.criticalLagSeconds,
    warnLagBytes: p.warnLagBytes ?? DEFAULT_THRESHOLDS.warnLagBytes,
    criticalLagBytes: p.criticalLagBytes ?? DEFAULT_THRESHOLDS.criticalLagBytes,
    // Below one second the sampling itself would load the server more than it tells.
    sampleIntervalMs: Math.max(1000, p.sampleInterval ? durationMs(p.sampleInterval) : DEFAULT_THRESHOLDS.sampleIntervalMs),
  };
}

const RANK: Record<LagLevel, number> = { ok: 0, warn: 1, critical: 2 };

export function worstLevel(...levels: LagLevel[]): LagLevel {
  return levels.reduce<LagLevel>((worst, l) => (RANK[l] > RANK[worst] ? l : worst), 'ok');
}

export function levelOf(value: number | null, warn: number, critical: number): LagLevel {
  if (value === null) return 'ok';
  if (value >= critical) return 'critical';
  if (value >= warn) return 'warn';
  return 'ok';
}

/** A standby's lag level: the worse of replay delay in seconds and bytes behind. */
export function lagLevel(lag: { seconds: number | null; bytes: number | null }, t: LagThresholds): LagLevel {
  return worstLevel(levelOf(lag.seconds, t.warnLagSeconds, t.criticalLagSeconds), levelOf(lag.bytes, t.warnLagBytes, t.criticalLagBytes));
}

export function healthOfLevel(level: LagLevel): ReplicationHealth {
  return level === 'ok' ? 'healthy' : level === 'warn' ? 'lagging' : 'broken';
}

const HEALTH_RANK: Record<ReplicationHealth, number> = { none: 0, healthy: 1, unknown: 2, lagging: 3, broken: 4 };

export function worstHealth(...healths: ReplicationHealth[]): ReplicationHealth {
  return healths.reduce<ReplicationHealth>((worst, h) => (HEALTH_RANK[h] > HEALTH_RANK[worst] ? h : worst), 'none');
}
