// Before the DBA clicks, the form says whether the target is restorable and, if not, the nearest times that are.
import { describe, expect, it } from 'vitest';
import { checkTarget, windowSpans } from '../../../src/renderer/src/pages/recovery/windowCheck';

const at = (iso: string) => Date.parse(iso);
const { spans, holes } = windowSpans({
  intervals: [
    { timeline: 1, from: '2026-11-25T10:00:00.400Z', to: '2026-11-25T11:00:00.750Z', toLsn: '0/5000000', backupIds: ['b1'] },
    { timeline: 1, from: '2026-11-25T12:00:00Z', to: '2026-11-25T13:30:00Z', toLsn: '0/9000000', backupIds: ['b2'] },
  ],
  gaps: [{ timeline: 1, firstMissing: '000000010000000000000005', lastMissing: '000000010000000000000006', segments: 2, after: '2026-11-25T11:00:00.750Z', before: '2026-11-25T11:20:00Z' }],
});

describe('checkTarget', () => {
  it('is inside when the target lies in an interval, edges included', () => {
    expect(checkTarget(spans, holes, at('2026-11-25T10:30:00Z'))).toMatchObject({ inside: true, span: { timeline: 1 } });
    expect(checkTarget(spans, holes, at('2026-11-25T13:30:00Z')).inside).toBe(true);
    expect(checkTarget(spans, holes, at('2026-11-25T12:00:00Z')).inside).toBe(true);
  });

  it('offers the nearest whole seconds inside the window on either side', () => {
    expect(checkTarget(spans, holes, at('2026-11-25T11:40:00Z'))).toEqual({
      inside: false,
      before: at('2026-11-25T11:00:00Z'),
      after: at('2026-11-25T12:00:00Z'),
      gap: undefined,
      cutBy: { firstMissing: '000000010000000000000005', lastMissing: '000000010000000000000006', after: at('2026-11-25T11:00:00.750Z'), before: at('2026-11-25T11:20:00Z') },
      empty: false,
    });
  });

  it('rounds inwards: the suggestions are themselves inside', () => {
    const early = checkTarget(spans, holes, at('2026-11-25T09:00:00Z'));
    expect(early).toMatchObject({ inside: false, before: undefined, after: at('2026-11-25T10:00:01Z') });
    if (early.inside) throw new Error('unexpected');
    expect(checkTarget(spans, holes, early.after!).inside).toBe(true);
    const late = checkTarget(spans, holes, at('2026-11-25T14:00:00Z'));
    expect(late).toMatchObject({ inside: false, before: at('2026-11-25T13:30:00Z'), after: undefined });
  });

  it('names the gap of missing WAL the target falls in', () => {
    const result = checkTarget(spans, holes, at('2026-11-25T11:10:00Z'));
    expect(result).toMatchObject({ inside: false, gap: { firstMissing: '000000010000000000000005', lastMissing: '000000010000000000000006' } });
  });

  it('offers the exact edge of an interval shorter than a second', () => {
    const short = [{ timeline: 1, from: at('2026-11-25T10:00:09.100Z'), to: at('2026-11-25T10:00:09.240Z') }];
    expect(checkTarget(short, [], at('2026-11-25T10:05:00Z'))).toMatchObject({ inside: false, before: at('2026-11-25T10:00:09.240Z') });
    expect(checkTarget(short, [], at('2026-11-25T09:00:00Z'))).toMatchObject({ inside: false, after: at('2026-11-25T10:00:09.100Z') });
  });

  it('names the gap that ends the window before a later target', () => {
    const cut = windowSpans({
      intervals: [{ timeline: 1, from: '2026-11-25T10:00:00Z', to: '2026-11-25T10:00:09.240Z', toLsn: '0/4000000', backupIds: ['b1'] }],
      gaps: [{ timeline: 1, firstMissing: '000000010000000000000004', lastMissing: '000000010000000000000004', segments: 1, after: '2026-11-25T10:00:09.240Z', before: '2026-11-25T10:00:12Z' }],
    });
    const result = checkTarget(cut.spans, cut.holes, at('2026-11-25T10:30:00Z'));
    expect(result).toMatchObject({ inside: false, before: at('2026-11-25T10:00:09Z'), gap: undefined, cutBy: { firstMissing: '000000010000000000000004' } });
  });

  it('says when nothing is recoverable at all', () => {
    expect(checkTarget([], [], at('2026-11-25T11:10:00Z'))).toEqual({ inside: false, before: undefined, after: undefined, gap: undefined, cutBy: undefined, empty: true });
  });
});
