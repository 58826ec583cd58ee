// The axis shows round clock times suited to the zoom: seconds when a minute is shown, days for a week.
import { describe, expect, it } from 'vitest';
import { chooseTickStep, DAY, HOUR, MINUTE, timeScale, timeTicks, WEEK } from '../../../src/renderer/src/components/timeline/timeScale';

const UTC = { kind: 'utc' } as const;
const BERLIN = { kind: 'iana', name: 'Europe/Berlin' } as const;
const at = (iso: string) => Date.parse(iso);

describe('timeScale', () => {
  it('maps the range onto the pixels and back', () => {
    const s = timeScale({ start: at('2026-01-01T00:00:00Z'), end: at('2026-01-01T01:00:00Z') }, 100, 700);
    expect(s.toX(at('2026-01-01T00:00:00Z'))).toBe(100);
    expect(s.toX(at('2026-01-01T00:30:00Z'))).toBe(400);
    expect(s.toX(at('2026-01-01T01:00:00Z'))).toBe(700);
    expect(s.toTime(250)).toBe(at('2026-01-01T00:15:00Z'));
  });

  it('maps an empty range to its left edge instead of dividing by zero', () => {
    const s = timeScale({ start: 5, end: 5 }, 10, 20);
    expect(s.toX(5)).toBe(10);
  });
});

describe('chooseTickStep', () => {
  it('picks the smallest round step that fits', () => {
    expect(chooseTickStep(MINUTE, 8)).toMatchObject({ unit: 'second', count: 10 });
    expect(chooseTickStep(HOUR, 8)).toMatchObject({ unit: 'minute', count: 10 });
    expect(chooseTickStep(DAY, 8)).toMatchObject({ unit: 'hour', count: 3 });
    expect(chooseTickStep(WEEK, 8)).toMatchObject({ unit: 'day', count: 1 });
    expect(chooseTickStep(30 * DAY, 8)).toMatchObject({ unit: 'week', count: 1 });
    expect(chooseTickStep(3 * 365 * DAY, 8)).toMatchObject({ unit: 'month', count: 6 });
  });
});

describe('timeTicks', () => {
  it('labels a minute with seconds, and the date once', () => {
    const ticks = timeTicks({ start: at('2026-11-25T14:03:05Z'), end: at('2026-11-25T14:04:05Z') }, 8, UTC);
    expect(ticks.map((t) => t.label)).toEqual(['14:03:10', '14:03:20', '14:03:30', '14:03:40', '14:03:50', '14:04:00']);
    expect(ticks.map((t) => t.context)).toEqual(['Nov 25', undefined, undefined, undefined, undefined, undefined]);
  });

  it('labels an hour with minutes', () => {
    const ticks = timeTicks({ start: at('2026-11-25T13:55:00Z'), end: at('2026-11-25T14:55:00Z') }, 8, UTC);
    expect(ticks.map((t) => t.label)).toEqual(['14:00', '14:10', '14:20', '14:30', '14:40', '14:50']);
  });

  it('repeats the date where a day view crosses midnight', () => {
    const ticks = timeTicks({ start: at('2026-11-25T12:00:00Z'), end: at('2026-11-26T12:00:00Z') }, 8, UTC);
    expect(ticks.map((t) => t.label)).toEqual(['12:00', '15:00', '18:00', '21:00', '00:00', '03:00', '06:00', '09:00', '12:00']);
    expect(ticks[0]!.context).toBe('Nov 25');
    expect(ticks[4]!.context).toBe('Nov 26');
  });

  it('puts day ticks at midnight of the chosen zone, not of UTC', () => {
    const ticks = timeTicks({ start: at('2026-11-20T00:00:00Z'), end: at('2026-11-23T00:00:00Z') }, 3, BERLIN);
    expect(ticks.map((t) => new Date(t.at).toISOString())).toEqual(['2026-11-20T23:00:00.000Z', '2026-11-21T23:00:00.000Z', '2026-11-22T23:00:00.000Z']);
    expect(ticks.map((t) => t.label)).toEqual(['Nov 21', 'Nov 22', 'Nov 23']);
    expect(ticks[0]!.context).toBe('2026');
  });

  it('starts week ticks on Mondays', () => {
    const ticks = timeTicks({ start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z') }, 8, UTC);
    expect(ticks.map((t) => t.label)).toEqual(['Nov 2', 'Nov 9', 'Nov 16', 'Nov 23', 'Nov 30']);
    for (const t of ticks) expect(new Date(t.at).getUTCDay()).toBe(1);
  });

  it('keeps hourly ticks in order across the spring-forward night, labelled as the clock read', () => {
    const ticks = timeTicks({ start: at('2026-03-28T23:30:00Z'), end: at('2026-03-29T04:30:00Z') }, 8, BERLIN);
    expect(ticks.map((t) => t.label)).toEqual(['01:00', '02:00', '03:00', '04:00', '05:00', '06:00'].filter((l) => l !== '02:00'));
    const times = ticks.map((t) => t.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });

  it('gives nothing for an empty range', () => {
    expect(timeTicks({ start: 10, end: 10 }, 8, UTC)).toEqual([]);
  });
});
