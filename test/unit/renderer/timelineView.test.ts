// Zoom from a month down to a minute, around the pointer; pan by a fraction; targets on whole seconds.
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../../src/renderer/src/components/timeline/timeScale';
import { dataExtent } from '../../../src/renderer/src/components/timeline/timelineData';
import { fitView, maxSpanFor, MIN_SPAN, MONTH_SPAN, nudgeStep, panView, presetView, snapToSecond, zoomView } from '../../../src/renderer/src/components/timeline/timelineView';

const T0 = Date.parse('2026-11-25T12:00:00Z');

describe('zoomView', () => {
  it('halves the span around the middle', () => {
    expect(zoomView({ start: T0, end: T0 + HOUR }, 0.5, MONTH_SPAN)).toEqual({ start: T0 + 15 * MINUTE, end: T0 + 45 * MINUTE });
  });

  it('keeps the instant under the pointer where it was', () => {
    const anchor = T0 + 15 * MINUTE; // a quarter of the way in
    const zoomed = zoomView({ start: T0, end: T0 + HOUR }, 0.5, MONTH_SPAN, anchor);
    expect(zoomed).toEqual({ start: T0 + 7.5 * MINUTE, end: T0 + 37.5 * MINUTE });
    expect((anchor - zoomed.start) / (zoomed.end - zoomed.start)).toBe(0.25);
  });

  it('stops at a minute and at the widest span', () => {
    const tight = zoomView({ start: T0, end: T0 + 90_000 }, 0.1, MONTH_SPAN);
    expect(tight.end - tight.start).toBe(MIN_SPAN);
    const wide = zoomView({ start: T0, end: T0 + 20 * DAY }, 4, MONTH_SPAN);
    expect(wide.end - wide.start).toBe(MONTH_SPAN);
  });

  it('lets Fit show more than a month when the history is longer', () => {
    const extent = { start: T0 - 90 * DAY, end: T0 };
    expect(maxSpanFor(extent)).toBe(90 * DAY * 1.2);
    expect(maxSpanFor({ start: T0 - DAY, end: T0 })).toBe(MONTH_SPAN);
  });
});

describe('panView', () => {
  it('moves by a fraction of the span', () => {
    expect(panView({ start: T0, end: T0 + HOUR }, 0.25)).toEqual({ start: T0 + 15 * MINUTE, end: T0 + 75 * MINUTE });
    expect(panView({ start: T0, end: T0 + HOUR }, -0.5)).toEqual({ start: T0 - 30 * MINUTE, end: T0 + 30 * MINUTE });
  });
});

describe('fitView and presets', () => {
  it('fits the extent with a margin either side', () => {
    expect(fitView({ start: T0, end: T0 + 100 * MINUTE }, 0.05)).toEqual({ start: T0 - 5 * MINUTE, end: T0 + 105 * MINUTE });
  });

  it('never fits narrower than a minute', () => {
    const v = fitView({ start: T0, end: T0 });
    expect(v.end - v.start).toBe(MIN_SPAN);
    expect((v.start + v.end) / 2).toBe(T0);
  });

  it('shows the last hour with now just inside the right edge', () => {
    const v = presetView('hour', T0);
    expect(v.end - v.start).toBe(HOUR);
    expect(v.end).toBeGreaterThan(T0);
    expect(v.end - T0).toBe(HOUR * 0.03);
  });

  it('finds the extent of the data and now', () => {
    const extent = dataExtent({
      now: T0,
      rows: [],
      intervals: [{ row: 'a', from: T0 - HOUR, to: T0 - MINUTE, detail: '' }],
      coverage: [{ row: 'a', from: undefined, to: T0 - 2 * HOUR, detail: '' }],
      gaps: [],
      marks: [{ id: 'b', row: 'a', at: T0 - 3 * HOUR, usable: true, title: '' }],
    });
    expect(extent).toEqual({ start: T0 - 3 * HOUR, end: T0 });
  });
});

describe('snapping', () => {
  it('snaps a picked time to the nearest second', () => {
    expect(snapToSecond(T0 + 499)).toBe(T0);
    expect(snapToSecond(T0 + 500)).toBe(T0 + 1000);
    expect(snapToSecond(T0 - 1)).toBe(T0);
  });

  it('moves the target by a round step that suits the zoom', () => {
    expect(nudgeStep({ start: T0, end: T0 + MINUTE })).toBe(5000);
    expect(nudgeStep({ start: T0, end: T0 + HOUR })).toBe(300_000);
    expect(nudgeStep({ start: T0, end: T0 + DAY })).toBe(1_800_000);
  });
});
