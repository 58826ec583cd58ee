// Numbers and times as a DBA reads them in a runbook or a fleet view: sizes in MB/GB, ages and durations in
// words, times in UTC with their zone. Pure.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** 95_000 -> "1 min 35 s"; 3_700_000 -> "1 h 1 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** An ISO time as "2026-11-25 14:03:07Z" (UTC, seconds). */
export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '-';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatAge(iso: string, now: number): string {
  return `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_WORD: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };

/** A policy duration ("15m") in milliseconds. */
export function policyDurationMs(text: string): number {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(text);
  if (!m) return Number.NaN;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** "15m" -> "15 minutes (15m)". */
export function describePolicyDuration(text: string | undefined): string {
  if (!text) return 'not set';
  const m = /^(\d+)(s|m|h|d|w)$/.exec(text);
  if (!m) return text;
  const n = Number(m[1]);
  return `${n} ${UNIT_WORD[m[2]!]}${n === 1 ? '' : 's'} (${text})`;
}
