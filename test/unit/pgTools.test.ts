import { describe, expect, it } from 'vitest';
import { chooseToolSet, findPostgresServer, listToolSets, type PgToolSet } from '../../src/core/engines/postgres/pgTools';

const set = (major: number): PgToolSet => ({ dir: `/pg/${major}/bin`, major, version: `${major}.1`, path: (t) => `/pg/${major}/bin/${t}` });

describe('choosing PostgreSQL client tools', () => {
  it('prefers the same major version as the server', () => {
    expect(chooseToolSet([set(13), set(15), set(16)], 15).major).toBe(15);
  });

  it('falls back to the nearest newer version', () => {
    expect(chooseToolSet([set(13), set(17), set(16)], 15).major).toBe(16);
  });

  it('refuses when only older tools exist, naming what was found', () => {
    expect(() => chooseToolSet([set(13), set(14)], 16)).toThrow(expect.objectContaining({ code: 'TOOL_VERSION', message: expect.stringContaining('13, 14'), hint: expect.stringContaining('apt install postgresql-client-16') }));
  });

  it('says which tools to install when there are none', () => {
    expect(() => chooseToolSet([], 15)).toThrow(expect.objectContaining({ code: 'TOOL_MISSING', hint: expect.stringContaining('postgresql-client-15') }));
  });

  it('finds the tools installed on this machine', async () => {
    const sets = await listToolSets({ PATH: '' });
    expect(sets.map((s) => s.major)).toContain(15);
  });

  it('finds the server programs of exactly the backup\'s major version, and names the package when they are absent', async () => {
    const found = await findPostgresServer(15, { PATH: '', LIFEBOAT_PG_SERVER_BIN: '/usr/lib/postgresql/15/bin' });
    expect(found.major).toBe(15);
    expect(found.path('pg_ctl')).toBe('/usr/lib/postgresql/15/bin/pg_ctl');
    await expect(findPostgresServer(12, { PATH: '', LIFEBOAT_PG_SERVER_BIN: '/usr/lib/postgresql/15/bin' })).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      hint: expect.stringMatching(/apt install postgresql-12.*LIFEBOAT_PG_SERVER_BIN/s),
    });
  });
});
