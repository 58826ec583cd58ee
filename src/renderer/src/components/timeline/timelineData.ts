// What the recovery timeline draws, as plain data independent of the engine: rows (PostgreSQL timelines,
// later SQL Server databases), recoverable intervals, WAL or log coverage bars, gaps and backup marks.
// Times are epoch milliseconds; an unknown time is undefined and the item is listed, not drawn.
import type { TimeRange } from './timeScale';

export interface TimelineRow {
  key: string;
  label: string;
}

export interface TimelineInterval {
  row: string;
  from: number;
  to: number;
  /** Words for the text alternative: backups, end LSN. */
  detail: string;
}

export interface TimelineCoverage {
  row: string;
  from?: number;
  to?: number;
  detail: string;
}

export interface TimelineGap {
  row: string;
  /** Last known time before the gap and first after it. */
  from?: number;
  to?: number;
  /** Drawn beside the gap, e.g. "missing 0000000100000000000000A3..0000000100000000000000A5". */
  label: string;
  detail: string;
}

export interface TimelineMark {
  id: string;
  row: string;
  at: number;
  /** Usable marks are solid, the others hollow. */
  usable: boolean;
  /** The tooltip and the text alternative's words. */
  title: string;
}

/** A moment worth restoring around (a transaction that dropped or emptied a table): a flag over the chart. */
export interface TimelineEvent {
  id: string;
  at: number;
  /** Beside the flag, short: "DROP public.orders". */
  label: string;
  /** The tooltip and the text alternative's words. */
  title: string;
  selected?: boolean;
}

export interface TimelineData {
  now: number;
  rows: TimelineRow[];
  intervals: TimelineInterval[];
  coverage: TimelineCoverage[];
  gaps: TimelineGap[];
  marks: TimelineMark[];
  events?: TimelineEvent[];
}

/** The span of every known time in the data, and now. */
export function dataExtent(data: TimelineData): TimeRange {
  const times = [
    data.now,
    ...data.intervals.flatMap((i) => [i.from, i.to]),
    ...data.coverage.flatMap((c) => [c.from, c.to]),
    ...data.gaps.flatMap((g) => [g.from, g.to]),
    ...data.marks.map((m) => m.at),
    ...(data.events ?? []).map((e) => e.at),
  ].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return { start: Math.min(...times), end: Math.max(...times) };
}
