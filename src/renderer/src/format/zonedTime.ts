// Wall-clock times in a chosen zone (UTC, an IANA zone such as Europe/Berlin, or a fixed offset) and back to
// instants, so a restore target typed as "14:03:07 in Berlin" leaves as an ISO 8601 time with its offset.
// Pure: Intl does the zone rules; nothing here reads the workstation's zone except workstationZone().

export type TimeZoneChoice = { kind: 'utc' } | { kind: 'iana'; name: string } | { kind: 'offset'; minutes: number };

/** A clock reading without a zone; month 1–12; milliseconds only when a time was typed or pasted with them. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/** How a wall time that the zone's DST rules skip or repeat was read. */
export type WallAdjustment = 'skipped' | 'repeated';

export const UTC: TimeZoneChoice = { kind: 'utc' };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The widest offsets in use (UTC−12:00 to UTC+14:00). */
export const MAX_OFFSET_MINUTES = 14 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone name (a typo or an old runtime must not throw deep inside a render). */
export function isKnownZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone this computer runs in, e.g. "Europe/Berlin"; "UTC" when the runtime cannot tell. */
export function workstationZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const fractionOf = (ms: number) => ((ms % 1000) + 1000) % 1000;
const withFraction = (wall: WallTime, ms: number): WallTime => (fractionOf(ms) ? { ...wall, millisecond: fractionOf(ms) } : wall);

function wallFromUtcFields(ms: number): WallTime {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** The wall time read as if it were UTC, in ms: the arithmetic base for everything below. */
export function wallAsUtcMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
}

function ianaWall(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in minutes east: Europe/Berlin is 60 in January, 120 in July. */
export function offsetMinutesAt(ms: number, zone: TimeZoneChoice): number {
  if (zone.kind === 'utc') return 0;
  if (zone.kind === 'offset') return zone.minutes;
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((wallAsUtcMs(ianaWall(whole, zone.name)) - whole) / MINUTE_MS);
}

/** What a clock in the zone showed at the instant (milliseconds only when the instant has them). */
export function wallAt(ms: number, zone: TimeZoneChoice): WallTime {
  if (zone.kind === 'iana') return withFraction(ianaWall(ms, zone.name), ms);
  return withFraction(wallFromUtcFields(ms + offsetMinutesAt(ms, zone) * MINUTE_MS), ms);
}

/**
 * The instant a wall time in the zone names. A time the zone skips (02:30 on a spring-forward night) is read
 * with the offset before the change, i.e. one hour later on the clock; a time it repeats (02:30 on a
 * fall-back night) is the first of the two. Both are reported so the form can say so.
 */
export function instantOf(wall: WallTime, zone: TimeZoneChoice): { ms: number; adjustment?: WallAdjustment } {
  const fraction = wall.millisecond ?? 0;
  if (zone.kind !== 'iana') return { ms: wallAsUtcMs(wall) - offsetMinutesAt(0, zone) * MINUTE_MS };
  const { ms, adjustment } = wholeSecondInstant({ ...wall, millisecond: 0 }, zone.name);
  return { ms: ms + fraction, adjustment };
}

function wholeSecondInstant(wall: WallTime, zoneName: string): { ms: number; adjustment?: WallAdjustment } {
  const zone: TimeZoneChoice = { kind: 'iana', name: zoneName };
  const local = wallAsUtcMs(wall);
  // Offsets a day either side bracket any single transition near the wall time.
  const before = offsetMinutesAt(local - DAY_MS, zone);
  const after = offsetMinutesAt(local + DAY_MS, zone);
  const candidates = [...new Set([local - before * MINUTE_MS, local - after * MINUTE_MS])].sort((a, b) => a - b);
  const valid = candidates.filter((ms) => wallAsUtcMs(ianaWall(ms, zoneName)) === local);
  if (valid.length === 2) return { ms: valid[0]!, adjustment: 'repeated' };
  if (valid.length === 1) return { ms: valid[0]! };
  return { ms: local - before * MINUTE_MS, adjustment: 'skipped' };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-25T14:03:07" — the format of the target time field ("…:07.240" when there are milliseconds). */
export function formatWall(wall: WallTime): string {
  const fraction = wall.millisecond ? `.${pad(wall.millisecond, 3)}` : '';
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${fraction}`;
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * Reads "2026-11-25T14:03:07"; also a space instead of the T (as logs print it), no seconds, and up to three
 * decimals of a second (a commit time pasted from a log).
 */
export function parseWall(text: string): WallTime | undefined {
  const m = WALL_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const millisecond = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  return millisecond ? { year, month, day, hour, minute, second, millisecond } : { year, month, day, hour, minute, second };
}

/** "+01:00", "-03:30", "+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Reads "+05:30", "-0300", "+5", "UTC+2" or "−04:00" (a typographic minus); undefined when out of range. */
export function parseOffset(text: string): number | undefined {
  const m = /^(?:UTC|GMT)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (minutes > 59) return undefined;
  const total = (hours * 60 + minutes) * (m[1] === '+' ? 1 : -1);
  return Math.abs(total) <= MAX_OFFSET_MINUTES ? total : undefined;
}

/** "2026-11-25T14:03:07+01:00": the instant as the zone's clock shows it, with the offset in force then. */
export function isoWithOffset(ms: number, zone: TimeZoneChoice): string {
  return `${formatWall(wallAt(ms, zone))}${formatOffset(offsetMinutesAt(ms, zone))}`;
}

/**
 * For reading, not for sending: "2026-11-25 14:03:07 +01:00"; with `precise`, milliseconds too when the
 * instant has them ("14:03:07.240"), for exact window edges.
 */
export function formatInZone(ms: number, zone: TimeZoneChoice, precise = false): string {
  const shown = precise ? ms : Math.floor(ms / 1000) * 1000;
  return `${formatWall(wallAt(shown, zone)).replace('T', ' ')} ${formatOffset(offsetMinutesAt(shown, zone))}`;
}

/** "UTC", "Europe/Berlin", "UTC+05:30". */
export function zoneName(zone: TimeZoneChoice): string {
  if (zone.kind === 'utc') return 'UTC';
  if (zone.kind === 'iana') return zone.name;
  return `UTC${formatOffset(zone.minutes)}`;
}
