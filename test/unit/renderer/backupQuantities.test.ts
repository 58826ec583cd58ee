// How the backups table words a backup: duration, compression ratio, finish time in UTC.
import { describe, expect, it } from 'vitest';
import { compressionRatio, formatCompressionRatio } from '../../../src/renderer/src/format/compressionRatio';
import { formatUtc } from '../../../src/renderer/src/format/dateTime';
import { formatDuration } from '../../../src/renderer/src/format/duration';

describe('formatDuration', () => {
  it('uses milliseconds under a second and tenths under ten seconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1000)).toBe('1.0 s');
    expect(formatDuration(4390)).toBe('4.3 s');
  });

  it('uses whole seconds, then two units at most', () => {
    expect(formatDuration(45_900)).toBe('45 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3 * 60_000)).toBe('3 min');
    expect(formatDuration(3_840_000)).toBe('1 h 4 min');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59_000)).toBe('2 d 3 h');
  });

  it('shows a dash for a duration that makes no sense', () => {
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('compression ratio', () => {
  it('is source bytes over stored bytes', () => {
    expect(compressionRatio(420, 100)).toBe(4.2);
    expect(formatCompressionRatio(420, 100)).toBe('4.2×');
    expect(formatCompressionRatio(100, 100)).toBe('1.0×');
  });

  it('drops the decimal on very large ratios', () => {
    expect(formatCompressionRatio(123_456, 1000)).toBe('123×');
  });

  it('shows a dash when nothing was stored', () => {
    expect(compressionRatio(100, 0)).toBeUndefined();
    expect(formatCompressionRatio(100, 0)).toBe('—');
  });
});

describe('formatUtc', () => {
  it('gives the instant in UTC to the second', () => {
    expect(formatUtc('2025-06-01T12:15:07.123+02:00')).toBe('2025-06-01 10:15:07 UTC');
  });

  it('returns what it cannot read as it is', () => {
    expect(formatUtc('not a date')).toBe('not a date');
  });
});
