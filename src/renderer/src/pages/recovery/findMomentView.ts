// What the "Find the moment" panel decides without React: the time range a preset covers (counted back from
// the end of the recoverable window, never before its start), a finding in a few words, and the findings as
// flags on the recovery timeline.
import type { MomentFinding } from '../../../../shared/findMoment';
import type { WindowView } from '../../../../shared/recovery';
import type { TimelineEvent } from '../../components/timeline/timelineData';

export type RangePreset = '1h' | '24h' | '7d' | 'window' | 'custom';

export const RANGE_PRESETS: { value: RangePreset; label: string }[] = [
  { value: '1h', label: 'The last hour of the window' },
  { value: '24h', label: 'The last 24 hours of the window' },
  { value: '7d', label: 'The last 7 days of the window' },
  { value: 'window', label: 'The whole window' },
  { value: 'custom', label: 'From … to …' },
];

const SPAN_MS: Record<Exclude<RangePreset, 'window' | 'custom'>, number> = { '1h': 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 };

/** The window's first and last recoverable (or archived) times; undefined while nothing is archived. */
export function windowBounds(window: WindowView): { start: number; end: number } | undefined {
  const times = [...window.intervals.flatMap((i) => [i.from, i.to]), ...window.coverage.flatMap((c) => [c.from, c.to])].filter((t): t is string => t !== undefined).map(Date.parse);
  if (!times.length) return undefined;
  return { start: Math.min(...times), end: Math.max(...times) };
}

/**
 * ISO times for a preset within the window's bounds (windowBounds, or a SQL Server history's); undefined for
 * "custom" or an empty window. One second past the end keeps its last commit in.
 */
export function presetRange(preset: RangePreset, bounds: { start: number; end: number } | undefined): { from: string; to: string } | undefined {
  if (!bounds || preset === 'custom') return undefined;
  const from = preset === 'window' ? bounds.start : Math.max(bounds.start, bounds.end - SPAN_MS[preset]);
  return { from: new Date(from).toISOString(), to: new Date(bounds.end + 1000).toISOString() };
}

export const ACTION_WORD: Record<MomentFinding['action'], string> = { drop: 'DROP', truncate: 'TRUNCATE', delete: 'DELETE', update: 'UPDATE' };

export function findingTables(f: MomentFinding): string {
  return f.relations.map((r) => r.name ?? `unnamed (${r.file})`).join(', ');
}

export function findingRows(f: MomentFinding): string {
  const deleted = f.relations.reduce((n, r) => n + r.rowsDeleted, 0);
  const updated = f.relations.reduce((n, r) => n + r.rowsUpdated, 0);
  return [deleted && `${deleted.toLocaleString('en')} deleted`, updated && `${updated.toLocaleString('en')} updated`].filter(Boolean).join(', ') || '—';
}

/** A finding's key in the page: its transaction id (unique per service and timeline). */
export const findingKey = (f: MomentFinding) => f.xid;

export function findingEvents(findings: readonly MomentFinding[], selected: string | undefined): TimelineEvent[] {
  return findings.map((f) => ({
    id: findingKey(f),
    at: Date.parse(f.commitTime),
    label: `${ACTION_WORD[f.action]} ${findingTables(f)}`,
    title: `${ACTION_WORD[f.action]} of ${findingTables(f)} by transaction ${f.xid}${f.role.name ? ` (${f.role.name})` : ''}: click to restore to just before it`,
    selected: findingKey(f) === selected,
  }));
}
