// The archive doors on object storage: a real cluster archives through `lifeboat wal-push --async` into an S3
// repository on Ceph's radosgw (credentials from environment variables the fleet file names, set in the
// server's archive_command as an operator would in its service environment), and a whole-cluster restore
// fetches its WAL back through `lifeboat wal-get --prefetch 8`. Every archived segment's sidecar records the
// server's bytes, and recovery stops exactly at the target.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, chmod, chown, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepositoryStore } from '../../src/core/repository/store/openRepositoryStore';
import { parseRepositoryLocation } from '../../src/core/repository/store/parseRepositoryLocation';
import type { RepositoryStore } from '../../src/core/repository/store/repositoryStore';
import type { Job } from '../../src/shared/jobs';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { radosgwMissing, startRadosgw, type Radosgw } from '../support/radosgw';
import { commitRow, midway } from '../support/rowStory';
import { startTestCore, type TestCore } from '../support/testCore';
import { clusterOsUser } from '../support/unprivilegedUser';
import { until } from '../support/until';
import { restoreThroughWalGet } from '../support/walGetRestore';

if (radosgwMissing()) throw new Error(`radosgw is needed: ${radosgwMissing()} (scripts/setup.sh installs it)`);

const password = `pw-${randomBytes(6).toString('hex')}`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let gateway: Radosgw;
let t: TestCore;
let cluster: PgCluster;
let store: RepositoryStore;
let location = '';
let keyFile = '';
let credentialEnv = '';
let backupId = '';
const commitTimes: string[] = [];

beforeAll(async () => {
  gateway = await startRadosgw();
  const bucket = `doors-${randomBytes(4).toString('hex')}`;
  const client = new S3Client({ endpoint: gateway.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: gateway.accessKeyId, secretAccessKey: gateway.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  process.env.LB_DOORS_S3_KEY_ID = gateway.accessKeyId;
  process.env.LB_DOORS_S3_SECRET = gateway.secretAccessKey;
  credentialEnv = `LB_DOORS_S3_KEY_ID=${gateway.accessKeyId} LB_DOORS_S3_SECRET=${gateway.secretAccessKey}`;
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-s3-doors-'));
  await chmod(dir, 0o755);
  t = await startTestCore(dir);
  location = `s3://${bucket}/lifeboat?endpoint=${gateway.endpoint}`;
  await t.call('repo.init', { path: location, encrypt: true, credentials: { source: { kind: 'env', accessKeyIdVariable: 'LB_DOORS_S3_KEY_ID', secretAccessKeyVariable: 'LB_DOORS_S3_SECRET' } } });
  store = await openRepositoryStore(parseRepositoryLocation(location), t.core.access.storeAccess(location));
  const { key } = await t.core.exportRepositoryKey();
  const user = clusterOsUser();
  keyFile = join(dir, 'repo.key');
  await writeFile(keyFile, `# Lifeboat repository key\n${key}\n`, { mode: 0o600 });
  await chown(keyFile, user.uid, user.gid);
  const cli = `${process.execPath} ${resolve('bin/lifeboat.mjs')} --config ${t.configPath}`;
  cluster = await startCluster({
    superuserPassword: password,
    settings: {
      archive_mode: 'on',
      archive_command: `${credentialEnv} LIFEBOAT_KEY_FILE=${keyFile} LIFEBOAT_WAL_WORKER_IDLE_SECONDS=3 ${cli} wal-push --async %p --service shop`,
      wal_keep_size: '1GB',
      track_commit_timestamp: true,
    },
  });
  await cluster.query('create database shop');
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await chmod(t.configPath, 0o644);
  const done = await t.core.jobs.wait(((await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' }))[0] as Job).id);
  expect(done.error).toBeUndefined();
  backupId = (done.result as { backupId: string }).backupId;
  await cluster.query('create table items (id int primary key, note text)', [], 'shop');
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await t?.close();
  await store?.close();
  await gateway?.stop();
});

describe('wal-push --async and wal-get --prefetch on S3', () => {
  it('archives every switched segment into the bucket with the server\'s bytes recorded, none acknowledged before', async () => {
    const switched: string[] = [];
    for (let id = 1; id <= 12; id++) {
      const { at, segment } = await commitRow(cluster, id);
      commitTimes.push(at);
      switched.push(segment);
    }
    const last = switched.at(-1)!;
    await until(`${last} archived`, async () => {
      const [row] = await cluster.query<{ w: string | null }>('select last_archived_wal as w from pg_stat_archiver');
      return (row!.w ?? '') >= last;
    }, 120_000);
    // Each acknowledged segment's sidecar is in the bucket and records the bytes the server still has.
    for (const name of switched) {
      const sidecar = JSON.parse((await store.getBytes(`shop/wal/${name}.json`)).toString()) as { sourceSha256: string };
      expect(sidecar.sourceSha256).toBe(sha256(await readFile(join(cluster.dataDir, 'pg_wal', name))));
    }
    const [stats] = await cluster.query<{ failed: string }>('select failed_count as failed from pg_stat_archiver');
    expect(Number(stats!.failed)).toBe(0);
  }, 180_000);

  it('restores the whole cluster to a time between rows 8 and 9 through the prefetching restore_command: exactly rows 1 to 8', async () => {
    const restored = await restoreThroughWalGet({ configPath: t.configPath, backupId, service: 'shop', password, targetTime: midway(commitTimes[7]!, commitTimes[8]!), keyFile, commandEnv: credentialEnv });
    try {
      expect((await restored.query<{ id: number }>('select id from items order by id', [], 'shop')).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(restored.logTail(200)).toMatch(/recovery stopping before commit of transaction/);
    } finally {
      await restored.stop();
    }
  }, 240_000);
});
