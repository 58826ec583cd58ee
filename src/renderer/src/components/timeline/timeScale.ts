// The time axis of the recovery timeline: instants to pixels and back, and ticks at round clock times of the
// chosen zone (every 10 s when a minute is shown, every day when a week is), labelled for that zoom level.
// Pure, so the scale is tested with plain numbers.
import { instantOf, wallAsUtcMs, wallAt } from '../../format/zonedTime';
import type { TimeZoneChoice, WallTime } from '../../format/zonedTime';

export interface TimeRange {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

export interface TimeScale {
  range: TimeRange;
  x0: number;
  x1: number;
  toX(ms: number): number;
  toTime(x: number): number;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** A linear map from [start, end] to [x0, x1]; an empty range maps everything to its left edge. */
export function timeScale(range: TimeRange, x0: number, x1: number): TimeScale {
  const span = range.end - range.start;
  const width = x1 - x0;
  return {
    range,
    x0,
    x1,
    toX: (ms) => (span > 0 ? x0 + ((ms - range.start) / span) * width : x0),
    toTime: (x) => (width > 0 ? range.start + ((x - x0) / width) * span : range.start),
  };
}

export type TickUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface TickStep {
  unit: TickUnit;
  count: number;
  /** Approximate length, for choosing a step (months and years vary). */
  ms: number;
}

const step = (unit: TickUnit, count: number, unitMs: number): TickStep => ({ unit, count, ms: count * unitMs });

/** Round steps a DBA expects on a clock and a calendar, smallest first. */
export const TICK_STEPS: readonly TickStep[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => step('second', n, SECOND)),
  ...[1, 2, 5, 10, 15, 30].map((n) => step('minute', n, MINUTE)),
  ...[1, 2, 3, 6, 12].map((n) => step('hour', n, HOUR)),
  ...[1, 2].map((n) => step('day', n, DAY)),
  step('week', 1, WEEK),
  ...[1, 3, 6].map((n) => step('month', n, 30 * DAY)),
  ...[1, 2, 5, 10].map((n) => step('year', n, 365 * DAY)),
];

/** The smallest round step that puts at most maxTicks ticks on the span. */
export function chooseTickStep(spanMs: number, maxTicks: number): TickStep {
  const limit = Math.max(1, maxTicks);
  return TICK_STEPS.find((s) => spanMs / s.ms <= limit) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
}

export interface Tick {
  at: number;
  label: string;
  /** A second line where the larger unit changes: the date under clock times, the year under dates. */
  context?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Moves a wall time by whole units, as a calendar does (Jan 31 + 1 month = Mar 3 is never asked for: ticks start on the 1st). */
function addToWall(wall: WallTime, unit: TickUnit, n: number): WallTime {
  const w = { ...wall };
  switch (unit) {
    case 'second':
      w.second += n;
      break;
    case 'minute':
      w.minute += n;
      break;
    case 'hour':
      w.hour += n;
      break;
    case 'day':
      w.day += n;
      break;
    case 'week':
      w.day += 7 * n;
      break;
    case 'month':
      w.month += n;
      break;
    case 'year':
      w.year += n;
      break;
  }
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** The latest round wall time of the step at or before `wall` (Mondays for weeks, the 1st for months). */
function floorWall(wall: WallTime, s: TickStep): WallTime {
  const floor = (v: number, base = 0) => base + Math.floor((v - base) / s.count) * s.count;
  const { year, month, day, hour, minute, second } = wall;
  switch (s.unit) {
    case 'second':
      return { year, month, day, hour, minute, second: floor(second) };
    case 'minute':
      return { year, month, day, hour, minute: floor(minute), second: 0 };
    case 'hour':
      return { year, month, day, hour: floor(hour), minute: 0, second: 0 };
    case 'day':
      return { year, month, day: floor(day, 1), hour: 0, minute: 0, second: 0 };
    case 'week': {
      const weekday = (new Date(wallAsUtcMs({ year, month, day, hour: 0, minute: 0, second: 0 })).getUTCDay() + 6) % 7; // Monday = 0
      return addToWall({ year, month, day, hour: 0, minute: 0, second: 0 }, 'day', -weekday);
    }
    case 'month':
      return { year, month: floor(month, 1), day: 1, hour: 0, minute: 0, second: 0 };
    case 'year':
      return { year: floor(year), month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  }
}

const dateLabel = (w: WallTime) => `${MONTHS[w.month - 1]} ${w.day}`;

function tickLabel(w: WallTime, s: TickStep): string {
  switch (s.unit) {
    case 'second':
      return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
    case 'minute':
    case 'hour':
      return `${pad(w.hour)}:${pad(w.minute)}`;
    case 'day':
    case 'week':
      return dateLabel(w);
    case 'month':
      return `${MONTHS[w.month - 1]} ${w.year}`;
    case 'year':
      return String(w.year);
  }
}

function contextOf(w: WallTime, previous: WallTime | undefined, s: TickStep): string | undefined {
  if (s.unit === 'second' || s.unit === 'minute' || s.unit === 'hour') {
    const changed = !previous || previous.day !== w.day || previous.month !== w.month || previous.year !== w.year;
    return changed ? dateLabel(w) : undefined;
  }
  if (s.unit === 'day' || s.unit === 'week') return !previous || previous.year !== w.year ? String(w.year) : undefined;
  return undefined;
}

/** Ticks inside the range at round times of the zone's clock, at most about maxTicks of them. */
export function timeTicks(range: TimeRange, maxTicks: number, zone: TimeZoneChoice): Tick[] {
  const span = range.end - range.start;
  if (!(span > 0)) return [];
  const s = chooseTickStep(span, maxTicks);
  let wall = floorWall(wallAt(range.start, zone), s);
  const ticks: Tick[] = [];
  let previous: WallTime | undefined;
  // Bounded: a step never yields more than maxTicks + 2 candidates; DST can add one or two duplicates.
  for (let i = 0; i < maxTicks + 8; i++) {
    const { ms, adjustment } = instantOf(wall, zone);
    if (ms > range.end) break;
    const last = ticks[ticks.length - 1];
    if (ms >= range.start && (!last || ms > last.at)) {
      // A clock time the zone skips (02:00 on a spring-forward night) is labelled with what the clock showed.
      const shown = adjustment === 'skipped' ? wallAt(ms, zone) : wall;
      ticks.push({ at: ms, label: tickLabel(shown, s), context: contextOf(shown, previous, s) });
      previous = shown;
    }
    wall = addToWall(wall, s.unit, s.count);
  }
  return ticks;
}
