// A target typed on a Berlin clock leaves as the instant the DBA meant, with the offset in force that day.
import { describe, expect, it } from 'vitest';
import {
  formatInZone,
  formatOffset,
  formatWall,
  instantOf,
  isoWithOffset,
  offsetMinutesAt,
  parseOffset,
  parseWall,
  wallAt,
} from '../../../src/renderer/src/format/zonedTime';
import type { TimeZoneChoice } from '../../../src/renderer/src/format/zonedTime';

const BERLIN: TimeZoneChoice = { kind: 'iana', name: 'Europe/Berlin' };
const wall = (text: string) => parseWall(text)!;

describe('offsets', () => {
  it('knows Berlin is UTC+1 in winter and UTC+2 in summer', () => {
    expect(offsetMinutesAt(Date.parse('2026-01-15T12:00:00Z'), BERLIN)).toBe(60);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), BERLIN)).toBe(120);
  });

  it('switches at 01:00 UTC on the last Sunday of March and October', () => {
    expect(offsetMinutesAt(Date.parse('2026-03-29T00:59:59Z'), BERLIN)).toBe(60);
    expect(offsetMinutesAt(Date.parse('2026-03-29T01:00:00Z'), BERLIN)).toBe(120);
    expect(offsetMinutesAt(Date.parse('2026-10-25T00:59:59Z'), BERLIN)).toBe(120);
    expect(offsetMinutesAt(Date.parse('2026-10-25T01:00:00Z'), BERLIN)).toBe(60);
  });

  it('reads and writes fixed offsets', () => {
    expect(parseOffset('+05:30')).toBe(330);
    expect(parseOffset('-0300')).toBe(-180);
    expect(parseOffset('+5')).toBe(300);
    expect(parseOffset('UTC+2')).toBe(120);
    expect(parseOffset('\u221204:00')).toBe(-240);
    expect(parseOffset('+15:00')).toBeUndefined();
    expect(parseOffset('05:30')).toBeUndefined();
    expect(parseOffset('+05:75')).toBeUndefined();
    expect(formatOffset(330)).toBe('+05:30');
    expect(formatOffset(-570)).toBe('-09:30');
    expect(formatOffset(0)).toBe('+00:00');
  });
});

describe('wall times', () => {
  it('parses the field format, a log-style space, and no seconds', () => {
    expect(parseWall('2026-11-25T14:03:07')).toEqual({ year: 2026, month: 11, day: 25, hour: 14, minute: 3, second: 7 });
    expect(parseWall(' 2026-11-25 14:03:07 ')).toEqual({ year: 2026, month: 11, day: 25, hour: 14, minute: 3, second: 7 });
    expect(parseWall('2026-11-25T14:03')).toEqual({ year: 2026, month: 11, day: 25, hour: 14, minute: 3, second: 0 });
  });

  it('keeps milliseconds pasted from a log', () => {
    expect(parseWall('2026-11-25 14:03:07.24')).toEqual({ year: 2026, month: 11, day: 25, hour: 14, minute: 3, second: 7, millisecond: 240 });
    expect(formatWall(parseWall('2026-11-25T14:03:07.240')!)).toBe('2026-11-25T14:03:07.240');
    expect(parseWall('2026-11-25T14:03:07.2401')).toBeUndefined();
    expect(isoWithOffset(instantOf(parseWall('2026-11-25T14:03:07.240')!, BERLIN).ms, BERLIN)).toBe('2026-11-25T14:03:07.240+01:00');
  });

  it('refuses impossible dates and other formats', () => {
    expect(parseWall('2026-02-29T10:00:00')).toBeUndefined();
    expect(parseWall('2028-02-29T10:00:00')).toBeDefined();
    expect(parseWall('2026-11-25T24:00:00')).toBeUndefined();
    expect(parseWall('2026-11-25T14:03:07Z')).toBeUndefined();
    expect(parseWall('25/11/2026 14:03')).toBeUndefined();
  });

  it('formats with zero padding and seconds', () => {
    expect(formatWall({ year: 2026, month: 3, day: 9, hour: 7, minute: 5, second: 0 })).toBe('2026-03-09T07:05:00');
  });
});

describe('wall time in a zone -> ISO with offset', () => {
  it('sends a Berlin winter time with +01:00 and a summer time with +02:00', () => {
    const winter = instantOf(wall('2026-11-25T14:03:07'), BERLIN);
    expect(new Date(winter.ms).toISOString()).toBe('2026-11-25T13:03:07.000Z');
    expect(isoWithOffset(winter.ms, BERLIN)).toBe('2026-11-25T14:03:07+01:00');
    const summer = instantOf(wall('2026-07-01T14:03:07'), BERLIN);
    expect(isoWithOffset(summer.ms, BERLIN)).toBe('2026-07-01T14:03:07+02:00');
    expect(winter.adjustment).toBeUndefined();
  });

  it('reads a time the spring-forward night skips one hour later, and says so', () => {
    const skipped = instantOf(wall('2026-03-29T02:30:00'), BERLIN);
    expect(skipped.adjustment).toBe('skipped');
    expect(new Date(skipped.ms).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(isoWithOffset(skipped.ms, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
  });

  it('reads a time the fall-back night repeats as the first of the two, and says so', () => {
    const repeated = instantOf(wall('2026-10-25T02:30:00'), BERLIN);
    expect(repeated.adjustment).toBe('repeated');
    expect(isoWithOffset(repeated.ms, BERLIN)).toBe('2026-10-25T02:30:00+02:00');
    // One hour later the clock reads 02:30 again, now at +01:00.
    expect(isoWithOffset(repeated.ms + 3_600_000, BERLIN)).toBe('2026-10-25T02:30:00+01:00');
  });

  it('handles UTC and fixed offsets without zone rules', () => {
    const utc = instantOf(wall('2026-11-25T14:03:07'), { kind: 'utc' });
    expect(isoWithOffset(utc.ms, { kind: 'utc' })).toBe('2026-11-25T14:03:07+00:00');
    const india = instantOf(wall('2026-11-25T14:03:07'), { kind: 'offset', minutes: 330 });
    expect(new Date(india.ms).toISOString()).toBe('2026-11-25T08:33:07.000Z');
    expect(isoWithOffset(india.ms, { kind: 'offset', minutes: 330 })).toBe('2026-11-25T14:03:07+05:30');
  });

  it('keeps milliseconds when an instant has them', () => {
    expect(isoWithOffset(Date.parse('2026-11-25T13:03:07.250Z'), BERLIN)).toBe('2026-11-25T14:03:07.250+01:00');
  });

  it('round-trips every wall time of a normal day', () => {
    for (let h = 0; h < 24; h++) {
      const w = { year: 2026, month: 6, day: 10, hour: h, minute: 17, second: 42 };
      expect(wallAt(instantOf(w, BERLIN).ms, BERLIN)).toEqual(w);
    }
  });

  it('shows an instant side by side in UTC and Berlin', () => {
    const at = Date.parse('2026-11-25T13:03:07Z');
    expect(formatInZone(at, { kind: 'utc' })).toBe('2026-11-25 13:03:07 +00:00');
    expect(formatInZone(at, BERLIN)).toBe('2026-11-25 14:03:07 +01:00');
    expect(formatInZone(at + 240, BERLIN)).toBe('2026-11-25 14:03:07 +01:00');
    expect(formatInZone(at + 240, BERLIN, true)).toBe('2026-11-25 14:03:07.240 +01:00');
  });

  it('produces what the contract accepts', () => {
    const pattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;
    for (const zone of [BERLIN, { kind: 'utc' } as const, { kind: 'offset', minutes: -210 } as const]) {
      expect(isoWithOffset(Date.parse('2026-03-29T01:30:00Z'), zone)).toMatch(pattern);
    }
  });
});
