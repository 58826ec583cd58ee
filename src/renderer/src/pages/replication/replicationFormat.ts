// Words and tones for replication figures: health and levels as badge tones, lag as bytes and seconds.
import type { LagLevel, ReplicationHealth } from '../../../../shared/replication';
import type { StatusTone } from '../../components/StatusBadge';
import { formatBytes } from '../../format/jobQuantities';

export const HEALTH_TONE: Record<ReplicationHealth, StatusTone> = { healthy: 'ok', lagging: 'warn', broken: 'error', unknown: 'untested', none: 'info' };
export const HEALTH_LABEL: Record<ReplicationHealth, string> = { healthy: 'Healthy', lagging: 'Lagging', broken: 'Broken', unknown: 'Unknown', none: 'No replication' };
export const LEVEL_TONE: Record<LagLevel, StatusTone> = { ok: 'ok', warn: 'warn', critical: 'error' };

export function bytesText(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : formatBytes(n);
}

export function secondsText(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 10) return `${n.toFixed(2)} s`;
  if (n < 3600) return `${Math.round(n)} s`;
  return `${(n / 3600).toFixed(1)} h`;
}

export const orDash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : String(v));
