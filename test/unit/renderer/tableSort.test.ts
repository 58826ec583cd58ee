// Tables sort numbers by value, text as people read it ("svc-2" before "svc-10"), and empty cells last.
import { describe, expect, it } from 'vitest';
import { compareSortValues, timeSortValue } from '../../../src/renderer/src/components/tableSort';

describe('compareSortValues', () => {
  it('orders numbers by value and text with its numbers read as numbers', () => {
    expect([10, 2, 33].sort(compareSortValues)).toEqual([2, 10, 33]);
    expect(['svc-10', 'svc-2', 'Svc-1'].sort(compareSortValues)).toEqual(['Svc-1', 'svc-2', 'svc-10']);
  });

  it('puts empty values after every other', () => {
    expect(['', 'b', 'a'].sort(compareSortValues)).toEqual(['a', 'b', '']);
    expect(compareSortValues(undefined, 'a')).toBeGreaterThan(0);
    expect(compareSortValues(0, undefined)).toBeLessThan(0);
    expect(compareSortValues(undefined, '')).toBe(0);
  });

  it('reads ISO times as numbers and leaves a missing time empty', () => {
    expect(timeSortValue('2026-12-01T09:00:00Z')).toBe(Date.parse('2026-12-01T09:00:00Z'));
    expect(timeSortValue(undefined)).toBeUndefined();
    expect(timeSortValue('not a time')).toBeUndefined();
  });
});
