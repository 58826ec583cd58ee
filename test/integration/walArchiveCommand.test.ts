// archive_command and restore_command with the real CLI: a server archives through `lifeboat wal-push`
// (running as the postgres account, with the repository key in a key file), and `lifeboat wal-get` hands a
// segment back byte for byte; a missing file answers non-zero, as PostgreSQL expects.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { runCli } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { clusterOsUser } from '../support/unprivilegedUser';

const password = `pw-${randomBytes(6).toString('hex')}`;
let dir: string;
let t: TestCore;
let cluster: PgCluster;
let globals: string[];

beforeAll(async () => {
  const user = clusterOsUser();
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-'));
  await chmod(dir, 0o755);
  t = await startTestCore(dir);
  await t.call('repo.init', { path: join(dir, 'repo'), encrypt: true });
  const { key } = await t.core.exportRepositoryKey();
  // What the DBA sets up on the database server: a key file and a data dir for the postgres account.
  const keyFile = join(dir, 'repo.key');
  await writeFile(keyFile, `# Lifeboat repository key\n${key}\n`, { mode: 0o600 });
  const agentData = join(dir, 'pg-lifeboat');
  await mkdir(join(dir, 'repo', 'shop', 'wal'), { recursive: true });
  await mkdir(agentData, { recursive: true });
  for (const path of [keyFile, agentData, join(dir, 'repo', 'shop'), join(dir, 'repo', 'shop', 'wal')]) await chown(path, user.uid, user.gid);
  const cli = `${process.execPath} ${resolve('bin/lifeboat.mjs')} --config ${t.configPath} --data-dir ${agentData}`;
  cluster = await startCluster({
    superuserPassword: password,
    settings: { archive_mode: 'on', archive_command: `LIFEBOAT_KEY_FILE=${keyFile} ${cli} wal-push %p --service shop`, track_commit_timestamp: true },
  });
  await cluster.query('create database shop');
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  globals = ['--config', t.configPath, '--data-dir', t.dataDir];
});

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await cluster?.stop();
  await t?.close();
});

async function archivedCount(): Promise<number> {
  const [row] = await cluster.query<{ n: string; failed: string; last_failed_wal: string | null }>('select archived_count as n, failed_count as failed, last_failed_wal from pg_stat_archiver');
  if (Number(row!.failed) > 0) throw new Error(`archive_command failed for ${row!.last_failed_wal}:\n${cluster.logTail(20)}`);
  return Number(row!.n);
}

describe('archive_command and restore_command through the CLI', () => {
  it('archives every switched segment through lifeboat wal-push, encrypted, and restores from them', async () => {
    const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
    expect((await t.core.jobs.wait((job as Job).id)).state).toBe('succeeded');
    await cluster.query('create table items (id int primary key)', [], 'shop');
    await cluster.query('insert into items select generate_series(1, 1000)', [], 'shop');
    const [{ name }] = (await cluster.query<{ name: string }>('select pg_walfile_name(pg_switch_wal()) as name')) as [{ name: string }];
    const deadline = Date.now() + 60_000;
    const lastArchived = async () => (await archivedCount(), (await cluster.query<{ w: string | null }>('select last_archived_wal as w from pg_stat_archiver'))[0]!.w ?? '');
    while ((await lastArchived()) < name && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(await lastArchived()).toBe(name);

    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.intervals).toHaveLength(1);
    const restored = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } })).id);
    expect(restored.error).toBeUndefined();
    const scratch = restored.result as ScratchView;
    const pg = await import('pg');
    const client = new pg.default.Client({ host: scratch.connection.host, port: scratch.connection.port, user: scratch.connection.user, database: 'shop' });
    await client.connect();
    try {
      expect((await client.query('select count(*)::int as n from items')).rows[0].n).toBe(1000);
    } finally {
      await client.end();
    }
  });

  it('hands a segment back byte for byte through lifeboat wal-get, and says no for a missing one', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    const name = w.coverage[0]!.lastSegment;
    const sidecar = JSON.parse(await readFile(join(dir, 'repo', 'shop', 'wal', `${name}.json`), 'utf8'));
    const dest = join(dir, 'fetched');
    const got = await runCli([...globals, 'wal-get', name, dest, '--service', 'shop']);
    expect(got.code).toBe(0);
    const bytes = await readFile(dest);
    expect(bytes.length).toBe(16 * 1024 * 1024);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sidecar.sourceSha256);
    const missing = await runCli([...globals, 'wal-get', '00000009.history', join(dir, 'nope'), '--service', 'shop']);
    expect(missing.code).toBe(1);
    // The stored copy is encrypted: the segment's header magic is not in it.
    const stored = await readFile(join(dir, 'repo', 'shop', 'wal', sidecar.file.name));
    expect(stored.subarray(0, 4).toString()).toBe('LBE1');
    await new Promise((r) => execFile('true', r));
  });
});
