// A whole repository in object storage, against real servers: Azure Blob on Azurite and S3 on Ceph's
// radosgw. For each: `repo init` on an azure:// or s3:// location (credentials in the keychain or named
// environment variables), a physical backup streamed into it (nothing on local disk), verify, WAL streamed
// into it, a restore to a second between two commits, wal-push and wal-get through the CLI byte for byte, a
// drill, a flipped byte in a stored object found, a cancelled upload leaving nothing, and a server that goes
// away mid-backup.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepositoryStore } from '../../src/core/repository/store/openRepositoryStore';
import { parseRepositoryLocation } from '../../src/core/repository/store/parseRepositoryLocation';
import type { RepositoryStore } from '../../src/core/repository/store/repositoryStore';
import type { RepositoryCredentialsInput } from '../../src/shared/repositoryCredentials';
import type { Connection } from '../../src/shared/domain';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { startAzurite, type Azurite } from '../support/azurite';
import { radosgwMissing, startRadosgw, type Radosgw } from '../support/radosgw';
import { runCli } from '../support/runCli';
import { commitRow, midway } from '../support/rowStory';
import { idsIn } from '../support/scratchQuery';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';
import { until } from '../support/until';
import { serverClockPast } from '../support/serverClockPast';
import { jobBytesFlowing } from '../support/jobBytesFlowing';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });

interface ObjectServer {
  label: string;
  /** A location on the server, its container or bucket created, and how the repository gets its credentials. */
  start(): Promise<{ location: string; credentials: RepositoryCredentialsInput; env: NodeJS.ProcessEnv }>;
  /** Stops the server for good: what a repository sees when its store is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function azuriteServer(): ObjectServer {
  let azurite: Azurite | undefined;
  return {
    label: 'Azure Blob on Azurite (credentials in the keychain)',
    async start() {
      azurite = await startAzurite();
      const container = `lifeboat-${randomBytes(4).toString('hex')}`;
      await new ContainerClient(`${azurite.endpoint}/${container}`, new StorageSharedKeyCredential(azurite.account, azurite.accountKey)).create();
      return { location: `azure://${azurite.account}/${container}/fleet?endpoint=${azurite.endpoint}`, credentials: { keychain: { accountKey: azurite.accountKey } }, env: {} };
    },
    kill: async () => azurite?.stop(),
    stop: async () => azurite?.stop(),
  };
}

function radosgwServer(): ObjectServer {
  let gateway: Radosgw | undefined;
  return {
    label: 'S3 on Ceph radosgw (credentials in environment variables the fleet file names)',
    async start() {
      gateway = await startRadosgw();
      const bucket = `lifeboat-${randomBytes(4).toString('hex')}`;
      const client = new S3Client({ endpoint: gateway.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: gateway.accessKeyId, secretAccessKey: gateway.secretAccessKey } });
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      client.destroy();
      process.env.LB_TEST_S3_KEY_ID = gateway.accessKeyId;
      process.env.LB_TEST_S3_SECRET = gateway.secretAccessKey;
      return {
        location: `s3://${bucket}/fleet?endpoint=${gateway.endpoint}`,
        credentials: { source: { kind: 'env', accessKeyIdVariable: 'LB_TEST_S3_KEY_ID', secretAccessKeyVariable: 'LB_TEST_S3_SECRET' } },
        env: { LB_TEST_S3_KEY_ID: gateway.accessKeyId, LB_TEST_S3_SECRET: gateway.secretAccessKey },
      };
    },
    kill: async () => gateway?.kill(),
    stop: async () => gateway?.stop(),
  };
}

const servers = [azuriteServer(), ...(radosgwMissing() ? [] : [radosgwServer()])];
if (radosgwMissing() && process.env.CI) throw new Error(`radosgw is needed in CI: ${radosgwMissing()}`);

async function keysUnder(store: RepositoryStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}

describe.each(servers)('$label', (server) => {
  let t: TestCore;
  let location = '';
  let env: NodeJS.ProcessEnv = {};
  let store: RepositoryStore;
  const commits: string[] = [];
  const finished = (job: Job) => t.core.jobs.wait(job.id);
  const cli = (args: string[], stdin?: string) => runCli(['--config', t.configPath, '--data-dir', t.dataDir, ...args], { env: { ...process.env, ...env }, stdin });


  beforeAll(async () => {
    const started = await server.start();
    location = started.location;
    env = started.env;
    t = await startTestCore();
    const view = await t.call('repo.init', { path: location, encrypt: true, credentials: started.credentials });
    expect(view).toMatchObject({ path: location, storage: location.startsWith('s3://') ? 's3' : 'azure', encrypted: true, keyAvailable: true });
    store = await openRepositoryStore(parseRepositoryLocation(location), t.core.access.storeAccess(location));
    await cluster.query('drop table if exists items', [], 'shop');
    await cluster.query('create table items (id int primary key, note text)', [], 'shop');
    await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: keychain(cluster.connection('shop')), policy: {} }, password });
  }, 120_000);

  afterAll(async () => {
    for (const s of await t?.call('scratch.list', {}).catch(() => []) ?? []) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
    await t?.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
    await t?.close();
    await store?.close();
    await server.stop();
  });

  it('keeps no secret in the fleet file: the repository by its location, credentials by source only', async () => {
    const fleetText = await readFile(t.configPath, 'utf8');
    expect(fleetText).toContain(location);
    for (const value of Object.values(env)) expect(fleetText).not.toContain(value!);
    // The description at the root, readable by any tool that lists the container or bucket.
    expect(await keysUnder(store, 'lifeboat-repo.json')).toEqual(['lifeboat-repo.json']);
    expect(JSON.parse((await store.getBytes('lifeboat-repo.json')).toString()).encryption.keyFingerprint).toMatch(/^[0-9a-f]+$/);
  });

  it('backs up into the store, verifies it there, and restores to a second between two commits', async () => {
    await t.call('wal.start', { serviceId: 'shop' });
    await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
    const [backup] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
    const done = await finished(backup!);
    expect(done.error).toBeUndefined();
    const [listed] = await t.call('backups.list', { serviceId: 'shop' });
    expect(listed!.id).toBe((done.result as { backupId: string }).backupId);
    // Every stored file of the backup is an object under its folder, the manifest among them.
    const keys = await keysUnder(store, `shop/backups/${listed!.id}/`);
    expect(keys).toContain(`shop/backups/${listed!.id}/manifest.json`);
    expect(keys.some((k) => /base\.tar\.[a-z]+\.enc$/.test(k))).toBe(true);

    const verified = await finished(await t.call('backups.verify', { backupId: listed!.id }));
    expect(verified.error).toBeUndefined();
    expect(verified.result).toMatchObject({ ok: true });

    for (const id of [1, 2, 3]) {
      commits.push((await commitRow(cluster, id)).at);
      await serverClockPast(cluster, commits.at(-1)!);
    }
    await until(`WAL archived through ${commits[2]}`, async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[2]!)), 90_000);
    expect((await keysUnder(store, 'shop/wal/')).filter((k) => k.endsWith('.json')).length).toBeGreaterThanOrEqual(3);

    const between = midway(commits[1]!, commits[2]!);
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } }));
    expect(job.error).toBeUndefined();
    expect(await idsIn(job.result as ScratchView)).toEqual([1, 2]);
    await t.call('scratch.remove', { id: (job.result as ScratchView).id });
  }, 300_000);

  it('drills on the stored backup and keeps the drill record in the store', async () => {
    const job = await finished(await t.call('drills.start', { serviceId: 'shop' }));
    expect(job.error).toBeUndefined();
    const [drill] = await t.call('drills.list', { serviceId: 'shop' });
    expect(drill).toMatchObject({ ok: true });
    expect((await keysUnder(store, 'shop/drills/')).length).toBe(1);
  }, 300_000);

  it('pushes and fetches a WAL file through the CLI byte for byte, and one push of a file only', async () => {
    const folder = join(t.dir, 'wal-cli');
    await mkdir(folder, { recursive: true });
    // A segment-sized file under a timeline no server uses here: records that compress, then zeros.
    const name = '0000000900000000000000A1';
    const content = Buffer.alloc(16 << 20);
    randomBytes(3 << 20).copy(content, 0);
    await writeFile(join(folder, name), content);
    const pushed = await cli(['wal-push', join(folder, name), '--service', 'shop']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(await keysUnder(store, `shop/wal/${name}`)).toEqual(expect.arrayContaining([`shop/wal/${name}.json`]));
    const again = await cli(['wal-push', join(folder, name), '--service', 'shop']);
    expect(again.code, again.stderr).toBe(0);
    const fetched = await cli(['wal-get', name, join(folder, 'fetched'), '--service', 'shop']);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(createHash('sha256').update(await readFile(join(folder, 'fetched'))).digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
    const missing = await cli(['wal-get', '0000000900000000000000A2', join(folder, 'none'), '--service', 'shop']);
    expect(missing.code).toBe(1);
  }, 120_000);

  it('finds a flipped byte in a stored object: CHECKSUM_MISMATCH naming the file', async () => {
    const [listed] = await t.call('backups.list', { serviceId: 'shop' });
    const key = (await keysUnder(store, `shop/backups/${listed!.id}/`)).find((k) => /base\.tar\.[a-z]+\.enc$/.test(k))!;
    const original = await store.getBytes(key);
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    await store.put(key, Readable.from([damaged]));
    try {
      const verified = await finished(await t.call('backups.verify', { backupId: listed!.id }));
      expect(verified.state).toBe('failed');
      expect(verified.error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining(key.split('/').at(-1)!) });
    } finally {
      await store.put(key, Readable.from([original]));
    }
  }, 120_000);

  /** Starts a slow backup and resolves once its bytes are flowing into the store. */
  async function backupUnderWay(): Promise<Job> {
    const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical', maxRate: '1M' });
    await jobBytesFlowing(t, job!.id);
    return job!;
  }

  it('leaves nothing of a backup cancelled mid-upload: not listed, no object, no unfinished upload', async () => {
    await cluster.query(`create table if not exists bulk as select g as id, decode(string_agg(md5(g::text || r::text), ''), 'hex') as payload
      from generate_series(1, 6000) g, generate_series(1, 64) r group by g`, [], 'shop');
    const before = (await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id);
    const job = await backupUnderWay();
    await t.call('jobs.cancel', { id: job.id });
    expect((await finished(job)).state).toBe('cancelled');
    expect((await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id)).toEqual(before);
    const folders = new Set((await keysUnder(store, 'shop/backups/')).map((k) => k.split('/')[2]));
    expect([...folders].sort()).toEqual([...before].sort());
    // The multipart or block upload was aborted with the job: nothing is left for the next start to clean.
    expect(await store.cleanIncomplete('shop/backups/', { startedBefore: new Date() })).toBe(0);
  }, 180_000);

  it('after kill -9 of a backup streaming into the store, the next start shows it interrupted and removes what it stored', async () => {
    const globals = ['--config', t.configPath, '--data-dir', t.dataDir];
    const before = (await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id);
    // Claims already in the journal (the cancelled backup's) are not this one's.
    const claims = async () => (await readFile(join(t.dataDir, 'state', 'jobs.jsonl'), 'utf8').catch(() => '')).split('"repository:{').length;
    const claimedBefore = await claims();
    const child = spawn(process.execPath, ['bin/lifeboat.mjs', ...globals, 'backup', 'shop', '--kind', 'physical', '--max-rate', '1M'], { stdio: 'ignore', env: { ...process.env, ...env } });
    // Killed while pg_basebackup streams: the job has claimed its folder in the store and bytes are flowing.
    await until('the backup to claim its folder in the store', async () => (await claims()) > claimedBefore, 60_000);
    await until('pg_basebackup to stream', async () => (await cluster.query<{ n: string }>("select count(*) as n from pg_stat_replication where state = 'backup'"))[0]!.n === '1', 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));

    const jobs = await cli(['jobs', '--json']);
    expect((JSON.parse(jobs.stdout) as Job[]).some((j) => j.kind === 'backup.physical' && j.error?.message.startsWith('Interrupted'))).toBe(true);
    expect((await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id)).toEqual(before);
    const folders = new Set((await keysUnder(store, 'shop/backups/')).map((k) => k.split('/')[2]));
    expect([...folders].sort()).toEqual([...before].sort());
    expect(await store.cleanIncomplete('shop/backups/', { startedBefore: new Date() })).toBe(0);
    // Let the orphaned pg_basebackup notice its closed pipe and go.
    await new Promise((r) => execFile('pkill', ['-f', 'pg_basebackup.*--max-rate'], () => r(undefined)));
  }, 180_000);

  it('fails a backup whose store goes away mid-upload with UNREACHABLE naming the repository, and refuses the next', async () => {
    await t.call('wal.stop', { serviceId: 'shop' });
    const job = await backupUnderWay();
    await server.kill();
    const done = await finished(job);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining(location) });
    await expect(t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' })).rejects.toMatchObject({ code: 'UNREACHABLE', message: expect.stringContaining(location) });
  }, 180_000);
});
