import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInPgpass, lookupPgpass } from '../../src/core/secrets/pgpassLookup';

const key = { host: 'db1', port: 5432, database: 'orders', user: 'backup' };

describe('PostgreSQL passfile lookup', () => {
  it('takes the first matching line, with wildcards', () => {
    const text = '# comment\nother:5432:orders:backup:nope\n*:5432:orders:backup:first\ndb1:*:*:*:second\n';
    expect(findInPgpass(text, key)).toBe('first');
  });

  it('understands escaped colons and backslashes', () => {
    expect(findInPgpass('db1:5432:orders:backup:pa\\:ss\\\\word', key)).toBe('pa:ss\\word');
  });

  it('returns undefined when nothing matches', () => {
    expect(findInPgpass('db2:5432:orders:backup:x', key)).toBeUndefined();
  });

  it('refuses a passfile other users can read, as libpq does', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'lifeboat-pgpass-')), 'pgpass');
    await writeFile(path, 'db1:5432:orders:backup:secret\n');
    await chmod(path, 0o644);
    await expect(lookupPgpass(path, key)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await chmod(path, 0o600);
    await expect(lookupPgpass(path, key)).resolves.toBe('secret');
  });
});
