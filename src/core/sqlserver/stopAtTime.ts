// Target times for SQL Server restores: always carried with a zone, and turned into the server's local wall
// time only at the last moment, because RESTORE ... STOPAT reads its value in the server's local time.
import { LifeboatError } from '../lifeboatError';

const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an ISO time that names its zone; a time without one is refused, not guessed. */
export function parseZonedTime(text: string): number {
  const ms = ZONED.test(text.trim()) ? Date.parse(text.trim().replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new LifeboatError('INVALID_INPUT', `"${text}" is not a time with a zone.`, 'Give the target as ISO 8601 with its offset, e.g. 2026-11-25T14:03:00+01:00 or 2026-11-25T13:03:00Z.');
  }
  return ms;
}

/** "+01:00" or "-05:30" or "Z" as minutes east of UTC. */
export function parseUtcOffset(text: string): number {
  const m = /^(?:Z|([+-])(\d{1,2}):?(\d{2}))$/i.exec(text.trim());
  if (!m) throw new LifeboatError('INVALID_INPUT', `"${text}" is not a UTC offset.`, 'Write it like +01:00, -05:00 or Z.');
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) throw new LifeboatError('INVALID_INPUT', `"${text}" is beyond ±14:00.`, 'Write it like +01:00, -05:00 or Z.');
  return m[1] === '-' ? -minutes : minutes;
}

export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The wall time at `offsetMinutes` east of UTC as yyyy-mm-ddThh:mi:ss.mmm: ISO 8601 with a T is the one
 * datetime literal SQL Server reads the same under every SET LANGUAGE / DATEFORMAT.
 */
export function wallTime(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
}
