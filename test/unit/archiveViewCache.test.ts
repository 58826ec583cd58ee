// The archive doors' view of the fleet file is remembered between calls and used only while the file is
// unchanged: an edit (even one of the same length) is read again, a missing or SQL Server service is refused.
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceRepository } from '../../src/core/inventory/archiveViewCache';

const fleet = (repo: string) => `version: 1
repository: ${repo}
services:
  - { id: shop, name: Shop, engine: postgres, connection: { host: db1, port: 5432, database: shop, user: backup } }
  - { id: sales, name: Sales, engine: sqlserver, connection: { host: sql1, port: 1433, database: Sales, user: backup } }
`;

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-view-'));
  const env = { XDG_CACHE_HOME: join(dir, 'cache') } as NodeJS.ProcessEnv;
  const config = join(dir, 'fleet.yaml');
  await writeFile(config, fleet('/srv/repo-a'));
  return { dir, env, config };
}

describe('the archive view of the fleet file', () => {
  it('is remembered while the file is unchanged, and read again after an edit of the same length', async () => {
    const { dir, env, config } = await setup();
    expect((await serviceRepository(config, 'shop', env)).location).toBe('/srv/repo-a');
    const [cached] = await readdir(join(dir, 'cache', 'lifeboat'));
    const cacheFile = join(dir, 'cache', 'lifeboat', cached!);
    // Prove the remembered view is what answers: alter it, the file untouched.
    const record = JSON.parse(await readFile(cacheFile, 'utf8'));
    record.services.shop.repository = '/srv/from-the-cache';
    await writeFile(cacheFile, JSON.stringify(record));
    expect((await serviceRepository(config, 'shop', env)).location).toBe('/srv/from-the-cache');
    // An edit of the same length, with a new modification time: read again.
    await writeFile(config, fleet('/srv/repo-b'));
    const later = new Date(Date.now() + 5_000);
    await utimes(config, later, later);
    expect((await serviceRepository(config, 'shop', env)).location).toBe('/srv/repo-b');
  });

  it('refuses a service that is not in the file, a SQL Server service, and a broken file', async () => {
    const { env, config } = await setup();
    await expect(serviceRepository(config, 'nope', env)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(serviceRepository(config, 'sales', env)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(serviceRepository(config, '__proto__', env)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(config, 'version: 1\nservices: [ { id: shop\n');
    await expect(serviceRepository(config, 'shop', env)).rejects.toMatchObject({ code: 'CONFIG_INVALID', hint: expect.stringContaining('lifeboat services list') });
  });
});
