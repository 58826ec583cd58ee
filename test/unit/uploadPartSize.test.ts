import { describe, expect, it } from 'vitest';
import { AZURE_BLOCKS, S3_PARTS, uploadPartSize } from '../../src/core/repository/store/uploadPartSize';

const MiB = 1 << 20;
const GiB = 1 << 30;
const s3 = S3_PARTS;

describe('uploadPartSize', () => {
  it('unknown size: the store default, which holds a large object', () => {
    expect(uploadPartSize(undefined, s3)).toBe(32 * MiB);
    expect(uploadPartSize(Number.NaN, s3)).toBe(32 * MiB);
    expect(uploadPartSize(-1, s3)).toBe(32 * MiB);
  });

  it('a small object gets the smallest part, so its parts go up while it is written', () => {
    expect(uploadPartSize(0, s3)).toBe(5 * MiB);
    expect(uploadPartSize(456_000_000, s3)).toBe(5 * MiB);
  });

  it('a large object gets parts that hold half as much again within the part limit, in whole MiB', () => {
    const tb = 1e12;
    const part = uploadPartSize(tb, s3);
    expect(part % MiB).toBe(0);
    expect(part * s3.maxParts).toBeGreaterThanOrEqual(1.5 * tb);
    expect((part - MiB) * s3.maxParts).toBeLessThan(1.5 * tb);
    expect(part).toBe(144 * MiB);
  });

  it('never more than the store allows per part', () => {
    expect(uploadPartSize(1e20, s3)).toBe(5 * GiB);
  });
});


it("the stores' limits, as their documentation gives them, in bytes (a 32-bit shift would wrap 5 GiB)", () => {
  expect(S3_PARTS).toEqual({ min: 5 * MiB, max: 5_368_709_120, maxParts: 10_000, fallback: 32 * MiB });
  expect(AZURE_BLOCKS).toEqual({ min: 4 * MiB, max: 4_194_304_000, maxParts: 50_000, fallback: 8 * MiB });
  expect(uploadPartSize(1e20, AZURE_BLOCKS)).toBe(4_194_304_000);
  // 8 MiB blocks hold 390 GiB per blob, 32 MiB parts 312 GiB per object.
  expect(AZURE_BLOCKS.fallback * AZURE_BLOCKS.maxParts).toBeGreaterThan(390 * GiB);
  expect(S3_PARTS.fallback * S3_PARTS.maxParts).toBeGreaterThan(312 * GiB);
});
