import { describe, expect, it } from 'vitest';
import { compressArg } from '../../src/core/engines/postgres/physicalBackup';

describe("pg_basebackup's --compress argument", () => {
  it('asks for zstd level 1 on one thread per core, at most four', () => {
    expect(compressArg('zstd', 1)).toBe('client-zstd:level=1,workers=1');
    expect(compressArg('zstd', 2)).toBe('client-zstd:level=1,workers=2');
    expect(compressArg('zstd', 32)).toBe('client-zstd:level=1,workers=4');
  });

  it('keeps gzip at level 1 and passes none through', () => {
    expect(compressArg('gzip', 8)).toBe('client-gzip:1');
    expect(compressArg('none', 8)).toBe('none');
  });
});
