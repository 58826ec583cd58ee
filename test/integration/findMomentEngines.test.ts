// "Find the moment" on a service that pgBackRest or Barman backs up: the search reads Lifeboat's own WAL archive
// and base backups, which such a service does not have, so the core, `lifeboat find` and the recovery page refuse
// it with INVALID_INPUT, why, and the engine's own commands to run instead (the stanza or server named). The
// refusal comes from the service's policy before any engine is asked, so no engine needs to run here.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';

const password = 'find-engines';
const cluster = useCluster({ superuserPassword: password });
let t: TestCore;

beforeAll(async () => {
  t = await startTestCore();
  const connection = { ...cluster.connection('postgres'), password: { kind: 'keychain' as const } };
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection, policy: { engine: 'pgbackrest', pgbackrest: { stanza: 'main' } } }, password });
  await t.call('services.add', { service: { id: 'books', name: 'Books', engine: 'postgres', connection, policy: { engine: 'barman', barman: { server: 'pg' } } }, password });
});

afterAll(async () => {
  await t?.close();
});

describe('find the moment on a service backed up by pgBackRest or Barman', () => {
  it('is refused by the core with INVALID_INPUT, naming the engine and its own commands', async () => {
    await expect(t.call('findMoment.start', { serviceId: 'shop' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: "Find the moment reads Lifeboat's own WAL archive and base backups; shop is backed up by pgBackRest, whose WAL and backups Lifeboat does not scan yet.",
      hint: expect.stringContaining('pgbackrest --stanza=main archive-get <segment> <file>'),
    });
    await expect(t.call('findMoment.start', { serviceId: 'books', table: 'orders' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('books is backed up by Barman'),
      hint: expect.stringContaining('barman get-wal pg <segment> > <file>'),
    });
    // No job was started for either.
    expect((await t.call('jobs.list', {})).filter((j) => j.kind === 'find.moment')).toEqual([]);
  });

  it('is refused by lifeboat find with exit 2, the reason and a hint naming lifeboat pitr', async () => {
    const found = await runCli(['find', 'shop', '--config', t.configPath, '--data-dir', join(t.dir, 'data-cli')], { env: { LIFEBOAT_FROM_SOURCE: '1' } });
    expect(found.code).toBe(2);
    expect(found.stderr).toContain("error INVALID_INPUT: Find the moment reads Lifeboat's own WAL archive and base backups; shop is backed up by pgBackRest");
    expect(found.stderr).toContain('hint: Pick the time in the engine\'s window (lifeboat window shop) and restore a copy beside production: lifeboat pitr shop --at <time-with-zone>.');
    expect(found.stderr).toContain('lifeboat pitr shop --before-xid <xid>');
  });
});
