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

  it('says when nothing is recoverable at all', () => {
    expect(checkTarget([], [], at('2026-11-25T11:10:00Z'))).toEqual({ inside: false, before: undefined, after: undefined, gap: undefined, empty: true });
  });
});
