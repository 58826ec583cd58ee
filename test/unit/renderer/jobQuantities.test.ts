// A job's progress in words: amounts in binary units, rates in MiB/s, a percentage and the time left.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDoneOfTotal,
  formatEta,
  formatPercent,
  formatRate,
  progressPercent,
} from '../../../src/renderer/src/format/jobQuantities';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  it('counts in 1024s and names the units as such', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1.5 * MiB)).toBe('1.5 MiB');
    expect(formatBytes(4 * GiB)).toBe('4.0 GiB');
    expect(formatBytes(3 * 1024 * GiB)).toBe('3.0 TiB');
  });

  it('stops at PiB however large the number', () => {
    expect(formatBytes(2048 * 1024 * 1024 * GiB)).toBe('2048.0 PiB');
  });
});

describe('formatDoneOfTotal', () => {
  it('shows bytes done of total', () => {
    expect(formatDoneOfTotal({ phase: 'copying', done: 1.2 * GiB, total: 4 * GiB, unit: 'bytes' })).toBe('1.2 GiB of 4.0 GiB');
  });

  it('shows only the amount done when the total is unknown', () => {
    expect(formatDoneOfTotal({ phase: 'dumping', done: 3 * MiB, unit: 'bytes' })).toBe('3.0 MiB');
  });

  it('counts files and steps in words', () => {
    expect(formatDoneOfTotal({ phase: 'x', done: 3, total: 12, unit: 'files' })).toBe('3 of 12 files');
    expect(formatDoneOfTotal({ phase: 'x', done: 1, total: 1, unit: 'steps' })).toBe('1 of 1 step');
    expect(formatDoneOfTotal({ phase: 'x', done: 1, unit: 'files' })).toBe('1 file');
  });

  it('shows a percentage unit as a rounded percentage', () => {
    expect(formatDoneOfTotal({ phase: 'x', done: 41.6, unit: 'percent' })).toBe('42%');
  });

  it('says nothing before anything is done', () => {
    expect(formatDoneOfTotal({ phase: 'checking the connection' })).toBeUndefined();
  });
});

describe('formatRate', () => {
  it('always gives byte rates in MiB/s', () => {
    expect(formatRate({ phase: 'x', rate: 35.24 * MiB, unit: 'bytes' })).toBe('35.2 MiB/s');
    expect(formatRate({ phase: 'x', rate: 512 * 1024, unit: 'bytes' })).toBe('0.50 MiB/s');
    expect(formatRate({ phase: 'x', rate: 2 * GiB, unit: 'bytes' })).toBe('2048 MiB/s');
  });

  it('gives other units per second', () => {
    expect(formatRate({ phase: 'x', rate: 2.25, unit: 'files' })).toBe('2.3 files/s');
    expect(formatRate({ phase: 'x', rate: 0.5, unit: 'percent' })).toBe('0.5%/s');
  });

  it('says nothing without a rate', () => {
    expect(formatRate({ phase: 'x', done: 5, unit: 'bytes' })).toBeUndefined();
  });
});

describe('progressPercent and formatPercent', () => {
  it('is done over total, clamped to 0–100', () => {
    expect(progressPercent({ phase: 'x', done: 25, total: 100, unit: 'bytes' })).toBe(25);
    expect(progressPercent({ phase: 'x', done: 150, total: 100, unit: 'bytes' })).toBe(100);
    expect(progressPercent({ phase: 'x', done: 130, unit: 'percent' })).toBe(100);
  });

  it('cannot tell without a total', () => {
    expect(progressPercent({ phase: 'x', done: 25, unit: 'bytes' })).toBeUndefined();
    expect(progressPercent({ phase: 'x', done: 0, total: 0, unit: 'bytes' })).toBeUndefined();
    expect(formatPercent({ phase: 'x', done: 25, unit: 'bytes' })).toBeUndefined();
  });

  it('rounds down, and unfinished work never reads 100%', () => {
    expect(formatPercent({ phase: 'x', done: 429, total: 1000, unit: 'bytes' })).toBe('42%');
    expect(formatPercent({ phase: 'x', done: 9999, total: 10000, unit: 'bytes' })).toBe('99%');
    expect(formatPercent({ phase: 'x', done: 10000, total: 10000, unit: 'bytes' })).toBe('100%');
  });
});

describe('formatEta', () => {
  it('is the bytes left over the rate', () => {
    expect(formatEta({ phase: 'x', done: 1 * GiB, total: 2 * GiB, rate: 10 * MiB, unit: 'bytes' })).toBe('about 1 min 43 s left');
    expect(formatEta({ phase: 'x', done: 0, total: 30 * MiB, rate: 1 * MiB, unit: 'bytes' })).toBe('about 30 s left');
  });

  it('says less than a second near the end', () => {
    expect(formatEta({ phase: 'x', done: 99, total: 100, rate: 1000, unit: 'bytes' })).toBe('less than a second left');
  });

  it('says nothing without a total, without a rate, with a zero rate or when done', () => {
    expect(formatEta({ phase: 'x', done: 10, rate: 5, unit: 'bytes' })).toBeUndefined();
    expect(formatEta({ phase: 'x', done: 10, total: 100, unit: 'bytes' })).toBeUndefined();
    expect(formatEta({ phase: 'x', done: 10, total: 100, rate: 0, unit: 'bytes' })).toBeUndefined();
    expect(formatEta({ phase: 'x', done: 100, total: 100, rate: 5, unit: 'bytes' })).toBeUndefined();
  });
});
