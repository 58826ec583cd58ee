// PostgreSQL backups end to end against real clusters: round trips that compare data, damage and
// truncation caught by verify, cancel and crash leaving nothing that looks complete, wrong key, and the
// classified errors a DBA meets.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupRepository } from '../../src/core/repository/backupRepository';
import { keyAccount } from '../../src/core/repository/repositoryKeys';
import { readStoredFile } from '../../src/core/repository/storedFileIo';
import { KeytarSecretStore } from '../../src/core/secrets/keytarSecretStore';
import type { Job } from '../../src/shared/jobs';
import type { Connection } from '../../src/shared/domain';
import { filesContaining } from '../support/filesContaining';
import { freePort } from '../support/freePort';
import { startCluster, startClusterFromDataDir } from '../support/pgCluster';
import { runCli } from '../support/runCli';
import { tableFingerprints } from '../support/tableFingerprints';
import { startTestCore, type TestCore } from '../support/testCore';
import { jobBytesFlowing } from '../support/jobBytesFlowing';
import { useCluster } from '../support/useCluster';

const MARKER = `lifeboat-marker-${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query(`create table orders (id int primary key, customer text, amount numeric(12,2), created_at timestamptz default now());
      insert into orders select g, '${MARKER}-' || g, g * 1.25, now() - g * interval '1 minute' from generate_series(1, 20000) g;
      create table blobs (id int primary key, payload bytea);
      insert into blobs select g, decode(md5(g::text) || md5((g * 7)::text), 'hex') from generate_series(1, 5000) g;
      create role reader login password 'reader-pw'; grant select on orders to reader;`, [], 'orders');
  },
});
const exec = promisify(execFile);
let t: TestCore;
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });
let repoPath: string;

async function finished(job: Job): Promise<Job> {
  return t.core.jobs.wait(job.id);
}

async function backup(kind: 'physical' | 'logical', extra: Record<string, unknown> = {}): Promise<Job> {
  const [job] = await t.call('backups.start', { serviceIds: ['orders'], kind, ...extra });
  return finished(job!);
}

beforeAll(async () => {
  t = await startTestCore();
  repoPath = join(t.dir, 'repo');
  await t.call('services.add', {
    service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: keychain(cluster.connection('orders')), policy: { retention: { keep: 1 } } },
    password,
  });
  await t.call('repo.init', { path: repoPath, encrypt: true });
});

afterAll(async () => {
  await t?.close();
});

describe('PostgreSQL backups', () => {
  it('creates an encrypted repository whose description holds only the key fingerprint', async () => {
    const info = JSON.parse(await readFile(join(repoPath, 'lifeboat-repo.json'), 'utf8'));
    expect(info).toMatchObject({ format: 1, encryption: { alg: 'aes-256-gcm-chunked-v1', keyFingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const key = await new KeytarSecretStore().get(keyAccount(info.encryption.keyFingerprint));
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(await filesContaining([repoPath, t.dir], key!)).toEqual([]);
  });

  it('round-trips a logical backup: the restored database holds exactly the same rows', async () => {
    const job = await backup('logical');
    expect(job.state).toBe('succeeded');
    const backupId = (job.result as { backupId: string }).backupId;
    const [view] = await t.call('backups.list', { serviceId: 'orders' });
    expect(view).toMatchObject({ id: backupId, kind: 'logical', encrypted: true, compression: 'zstd' });
    expect(view!.storedBytes).toBeGreaterThan(0);
    expect(view!.sourceBytes).toBeGreaterThan(view!.storedBytes);
    const files = await readdir(join(repoPath, 'orders', 'backups', backupId));
    expect(files.sort()).toEqual(['dump.pgdump.zst.enc', 'globals.sql.zst.enc', 'manifest.json', 'reserved.json']);

    const restore = await finished(await t.call('backups.restore', { backupId, database: 'orders_copy' }));
    expect(restore.state).toBe('succeeded');
    expect(restore.result).toMatchObject({ database: 'orders_copy', tables: 2, replaced: false });
    const source = await tableFingerprints(cluster, 'orders');
    expect(source['public.orders']!.rows).toBe(20000);
    expect(await tableFingerprints(cluster, 'orders_copy')).toEqual(source);
  });

  it('restores a logical backup into another registered server, roles and all', async () => {
    const other = await startCluster({ superuserPassword: password });
    try {
      await t.call('services.add', { service: { id: 'other', name: 'Other server', engine: 'postgres', connection: keychain(other.connection('postgres')) }, password });
      const [latest] = (await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'logical');
      const job = await finished(await t.call('backups.restore', { backupId: latest!.id, database: 'orders_elsewhere', targetServiceId: 'other', withGlobals: true }));
      expect(job.error).toBeUndefined();
      expect(job.result).toMatchObject({ target: 'other', tables: 2 });
      expect(await tableFingerprints(other, 'orders_elsewhere')).toEqual(await tableFingerprints(cluster, 'orders'));
      // The globals came along: the role exists there now and still owns nothing it should not.
      expect(await other.query("select rolname from pg_roles where rolname = 'reader'")).toEqual([{ rolname: 'reader' }]);
      await t.call('services.remove', { id: 'other' });
    } finally {
      await other.stop();
    }
  });

  it('refuses to restore over an existing database unless its name is typed, then replaces it', async () => {
    const [latest] = await t.call('backups.list', { serviceId: 'orders' });
    await expect(t.call('backups.restore', { backupId: latest!.id, database: 'orders_copy' }).then(finished)).resolves.toMatchObject({ state: 'failed', error: { code: 'CONFLICT' } });
    await cluster.query('delete from orders where id <= 10', [], 'orders_copy');
    const wrong = await finished(await t.call('backups.restore', { backupId: latest!.id, database: 'orders_copy', confirmReplace: 'orders_cop' }));
    expect(wrong.error?.code).toBe('CONFLICT');
    expect((await tableFingerprints(cluster, 'orders_copy'))['public.orders']!.rows).toBe(19990);
    const replaced = await finished(await t.call('backups.restore', { backupId: latest!.id, database: 'orders_copy', confirmReplace: 'orders_copy' }));
    expect(replaced.result).toMatchObject({ replaced: true });
    expect((await tableFingerprints(cluster, 'orders_copy'))['public.orders']!.rows).toBe(20000);
  });

  it('round-trips a physical backup: the unpacked cluster starts and holds exactly the same rows', async () => {
    const job = await backup('physical');
    expect(job.state).toBe('succeeded');
    const backupId = (job.result as { backupId: string }).backupId;
    const repo = await BackupRepository.open(repoPath, {});
    const { manifest } = await repo.read('orders', backupId);
    expect(manifest.physical).toMatchObject({ startLsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/), timeline: 1, walMethod: 'fetch' });
    const [{ lsn }] = (await cluster.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
    const toNum = (l: string) => { const [hi, lo] = l.split('/'); return BigInt('0x' + hi) * 2n ** 32n + BigInt('0x' + lo); };
    expect(toNum(manifest.physical!.stopLsn)).toBeLessThanOrEqual(toNum(lsn));
    expect(toNum(manifest.physical!.startLsn)).toBeLessThan(toNum(manifest.physical!.stopLsn));

    const source = await tableFingerprints(cluster, 'orders');
    const key = Buffer.from((await new KeytarSecretStore().get(keyAccount(repo.info.encryption!.keyFingerprint)))!, 'base64');
    const restored = await startClusterFromDataDir(async (dataDir) => {
      const tar = spawn('tar', ['-x', '-f', '-', '-C', dataDir], { stdio: ['pipe', 'ignore', 'inherit'] });
      const exited = new Promise((resolve) => tar.on('close', resolve));
      await pipeline(readStoredFile(repo.backupFolder('orders', backupId), manifest.files[0]!, key), tar.stdin);
      expect(await exited).toBe(0);
    }, password);
    try {
      expect(await tableFingerprints(restored, 'orders')).toEqual(source);
    } finally {
      await restored.stop();
    }
  });

  it('verifies a physical backup with pg_verifybackup and records it in the backup\'s history', async () => {
    const [physical] = (await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'physical');
    const job = await finished(await t.call('backups.verify', { backupId: physical!.id }));
    expect(job.state).toBe('succeeded');
    expect((job.result as { detail: string }).detail).toMatch(/backup successfully verified/);
    const [after] = (await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'physical');
    expect(after!.lastVerification).toMatchObject({ ok: true });
  });

  it('verifies a logical backup by listing the archive', async () => {
    const [logical] = (await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'logical');
    const job = await finished(await t.call('backups.verify', { backupId: logical!.id }));
    expect((job.result as { detail: string }).detail).toMatch(/pg_restore --list: \d+ entries, 2 tables with data/);
  });

  it('lets a fresh install pointed at the repository list, verify and restore with nothing but the key', async () => {
    const { key, fingerprint } = await t.core.exportRepositoryKey();
    const store = new KeytarSecretStore();
    await store.delete(keyAccount(fingerprint)); // this "computer" has never seen the key
    const fresh = await startTestCore();
    try {
      await fresh.call('services.add', { service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: keychain(cluster.connection('orders')) }, password });
      expect(await fresh.call('repo.use', { path: repoPath })).toMatchObject({ encrypted: true, keyFingerprint: fingerprint, keyAvailable: false });
      const listed = await fresh.call('backups.list', { serviceId: 'orders' });
      expect(listed.map((b) => b.kind).sort()).toEqual(['logical', 'physical']);
      await expect(fresh.call('backups.verify', { backupId: listed[0]!.id })).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('repo key import') });
      await expect(fresh.call('repo.importKey', { key: randomBytes(32).toString('base64') })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      expect(await fresh.call('repo.importKey', { key })).toMatchObject({ keyAvailable: true });
      const logical = listed.find((b) => b.kind === 'logical')!;
      expect((await fresh.core.jobs.wait((await fresh.call('backups.verify', { backupId: logical.id })).id)).state).toBe('succeeded');
      const restore = await fresh.core.jobs.wait((await fresh.call('backups.restore', { backupId: logical.id, database: 'orders_fresh' })).id);
      expect(restore.state).toBe('succeeded');
      expect(await tableFingerprints(cluster, 'orders_fresh')).toEqual(await tableFingerprints(cluster, 'orders'));
    } finally {
      await store.set(keyAccount(fingerprint), key);
      await fresh.close();
    }
  });

  it('keeps the data unreadable on disk: no plaintext marker in any stored file', async () => {
    expect((await cluster.query('select count(*)::int as n from orders where customer like $1', [`${MARKER}%`], 'orders'))[0]).toEqual({ n: 20000 });
    expect(await filesContaining([repoPath], MARKER)).toEqual([]);
  });

  it('fails verification with CHECKSUM_MISMATCH naming the file when one stored byte is flipped', async () => {
    const job = await backup('logical');
    const backupId = (job.result as { backupId: string }).backupId;
    const path = join(repoPath, 'orders', 'backups', backupId, 'dump.pgdump.zst.enc');
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 3)]! ^= 0x01;
    await writeFile(path, bytes);
    const verify = await finished(await t.call('backups.verify', { backupId }));
    expect(verify.state).toBe('failed');
    expect(verify.error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('dump.pgdump.zst.enc') });
    const view = (await t.call('backups.list', { serviceId: 'orders' })).find((b) => b.id === backupId);
    expect(view!.lastVerification).toMatchObject({ ok: false });
  });

  it('detects a truncated stored file', async () => {
    const job = await backup('physical');
    const backupId = (job.result as { backupId: string }).backupId;
    const path = join(repoPath, 'orders', 'backups', backupId, 'base.tar.zst.enc');
    await truncate(path, (await stat(path)).size - 1000);
    const verify = await finished(await t.call('backups.verify', { backupId }));
    expect(verify.error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('base.tar.zst.enc') });
  });

  it('leaves no backup and no files when cancelled halfway', async () => {
    await cluster.query(`create table bulk as select g as id, decode(string_agg(md5(g::text || r::text), ''), 'hex') as payload
      from generate_series(1, 6000) g, generate_series(1, 64) r group by g`, [], 'orders');
    const before = (await t.call('backups.list', { serviceId: 'orders' })).length;
    const [job] = await t.call('backups.start', { serviceIds: ['orders'], kind: 'physical', maxRate: '1M' });
    // Wait until data is flowing, then cancel.
    await jobBytesFlowing(t, job!.id);
    await t.call('jobs.cancel', { id: job!.id });
    const done = await finished(job!);
    expect(done.state).toBe('cancelled');
    expect((await t.call('backups.list', { serviceId: 'orders' })).length).toBe(before);
    const dirs = await readdir(join(repoPath, 'orders', 'backups'));
    expect(dirs.filter((d) => d.endsWith('-physical')).length).toBe((await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'physical').length);
  });

  it.skipIf(process.getuid?.() !== 0)('reports NO_SPACE when the repository disk fills up, and leaves nothing behind', async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'lifeboat-full-'));
    await exec('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]);
    try {
      await BackupRepository.init(mountPoint, null, {});
      await t.call('services.add', { service: { id: 'tiny', name: 'Tiny disk', engine: 'postgres', connection: keychain(cluster.connection('orders')), policy: { repository: mountPoint } }, password });
      // The bulk table holds several MiB of random bytes: more than the 2 MiB disk.
      const [job] = await t.call('backups.start', { serviceIds: ['tiny'], kind: 'logical', compression: 'none' });
      const done = await finished(job!);
      expect(done.state).toBe('failed');
      expect(done.error).toMatchObject({ code: 'NO_SPACE', hint: expect.stringMatching(/space/i) });
      expect(await t.call('backups.list', { serviceId: 'tiny' })).toEqual([]);
      expect(await readdir(join(mountPoint, 'tiny', 'backups'))).toEqual([]);
    } finally {
      await exec('umount', [mountPoint]);
    }
  });

  it('after kill -9 of a running backup, the next start shows it interrupted and removes the partial backup', async () => {
    const globals = ['--config', t.configPath, '--data-dir', t.dataDir];
    const child = spawn('node', ['bin/lifeboat.mjs', ...globals, 'backup', 'orders', '--kind', 'physical', '--max-rate', '1M'], { stdio: 'ignore' });
    const backupsDir = join(repoPath, 'orders', 'backups');
    const known = new Set(await readdir(backupsDir));
    let partial: string | undefined;
    for (let i = 0; i < 300 && !partial; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const fresh = (await readdir(backupsDir)).filter((d) => !known.has(d));
      if (fresh.length && (await readdir(join(backupsDir, fresh[0]!))).length) partial = fresh[0];
    }
    expect(partial).toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(await readdir(backupsDir)).toContain(partial);

    const jobs = await runCli([...globals, 'jobs', '--json']);
    const interrupted = (JSON.parse(jobs.stdout) as Job[]).filter((j) => j.error?.message.startsWith('Interrupted'));
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(await readdir(backupsDir)).not.toContain(partial);
    // Let the orphaned pg_basebackup notice its closed pipe and go.
    await new Promise((r) => execFile('pkill', ['-f', 'pg_basebackup.*--max-rate'], () => r(undefined)));
  });

  it('refuses a wrong key with a clear error and writes nothing', async () => {
    const repo = await BackupRepository.open(repoPath, {});
    const account = keyAccount(repo.info.encryption!.keyFingerprint);
    const store = new KeytarSecretStore();
    const realKey = (await store.get(account))!;
    await store.set(account, randomBytes(32).toString('base64'));
    try {
      const [logical] = (await t.call('backups.list', { serviceId: 'orders' })).filter((b) => b.kind === 'logical' && b.lastVerification?.ok !== false);
      const restore = await finished(await t.call('backups.restore', { backupId: logical!.id, database: 'never_created' }));
      expect(restore.state).toBe('failed');
      expect(restore.error).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('another key') });
      expect(await cluster.query("select 1 from pg_database where datname = 'never_created'")).toEqual([]);
    } finally {
      await store.set(account, realKey);
    }
  });

  it('names the cause of a failure: wrong password, server down, no REPLICATION privilege', async () => {
    await t.call('services.add', { service: { id: 'badpw', name: 'Bad password', engine: 'postgres', connection: keychain(cluster.connection('orders')) }, password: 'wrong' });
    const port = await freePort();
    await t.call('services.add', { service: { id: 'down', name: 'Down', engine: 'postgres', connection: { ...keychain(cluster.connection('orders')), port } }, password });
    await t.call('services.add', { service: { id: 'reader', name: 'Reader', engine: 'postgres', connection: keychain(cluster.connection('orders', 'reader')) }, password: 'reader-pw' });
    const outcome = async (serviceId: string) => {
      const [job] = await t.call('backups.start', { serviceIds: [serviceId], kind: 'physical' });
      return (await finished(job!)).error?.code;
    };
    expect(await outcome('badpw')).toBe('AUTH_FAILED');
    expect(await outcome('down')).toBe('UNREACHABLE');
    expect(await outcome('reader')).toBe('PERMISSION_DENIED');
  });

  it('applies retention: a dry run lists what would go, apply removes it, the newest verified backup stays', async () => {
    // Logical so far: the verified one and the damaged one; one more makes the damaged one surplus.
    expect((await backup('logical')).state).toBe('succeeded');
    const all = await t.call('backups.list', { serviceId: 'orders' });
    const plan = await t.call('retention.plan', { serviceId: 'orders' });
    expect(plan.policy).toEqual({ keep: 1 });
    expect(plan.remove.length + plan.keep.length).toBe(all.length);
    expect(plan.remove).toEqual([{ id: all.filter((b) => b.kind === 'logical')[1]!.id, reason: 'older than the newest 1' }]);
    expect((await t.call('backups.list', { serviceId: 'orders' })).length).toBe(all.length);
    const verifiedPhysical = all.find((b) => b.kind === 'physical' && b.lastVerification?.ok);
    expect(plan.keep.map((k) => k.id)).toContain(verifiedPhysical!.id);
    await t.call('retention.apply', { serviceId: 'orders' });
    const left = (await t.call('backups.list', { serviceId: 'orders' })).map((b) => b.id).sort();
    expect(left).toEqual(plan.keep.map((k) => k.id).sort());
    expect((await readdir(join(repoPath, 'orders', 'backups'))).sort()).toEqual(left);
  });
});
