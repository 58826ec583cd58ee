// A drill's RTO is judged against the policy: green within, amber above 80 % of it, red over it.
import { describe, expect, it } from 'vitest';
import { compareRto, formatRtoSeconds, parsePolicyDuration } from '../../../src/renderer/src/pages/recovery/rtoComparison';

describe('parsePolicyDuration', () => {
  it('reads the fleet file units', () => {
    expect(parsePolicyDuration('30s')).toBe(30_000);
    expect(parsePolicyDuration('5m')).toBe(300_000);
    expect(parsePolicyDuration('1h')).toBe(3_600_000);
    expect(parsePolicyDuration('2d')).toBe(172_800_000);
    expect(parsePolicyDuration('1w')).toBe(604_800_000);
    expect(parsePolicyDuration('1.5h')).toBeUndefined();
    expect(parsePolicyDuration(undefined)).toBeUndefined();
  });
});

describe('compareRto', () => {
  it('is green well within the policy', () => {
    expect(compareRto(42_000, '5m')).toEqual({ tone: 'ok', text: 'Within 5m', share: 0.14 });
  });

  it('is amber above 80 % of it, still within', () => {
    expect(compareRto(250_000, '5m')).toMatchObject({ tone: 'warn', text: 'Close to 5m' });
    expect(compareRto(300_000, '5m')).toMatchObject({ tone: 'warn', share: 1 });
    expect(compareRto(240_000, '5m')).toMatchObject({ tone: 'ok' });
  });

  it('is red over it', () => {
    expect(compareRto(301_000, '5m')).toMatchObject({ tone: 'error', text: 'Over 5m' });
    expect(compareRto(2 * 3_600_000, '1h')).toMatchObject({ tone: 'error', share: 2 });
  });

  it('is grey without a policy or a measurement', () => {
    expect(compareRto(42_000, undefined)).toEqual({ tone: 'untested', text: 'No RTO in the policy' });
    expect(compareRto(undefined, '1h')).toEqual({ tone: 'untested', text: 'Not measured' });
  });

  it('shows seconds', () => {
    expect(formatRtoSeconds(42_345)).toBe('42.3 s');
    expect(formatRtoSeconds(312_600)).toBe('313 s');
  });
});
