// A second copy of every backup and WAL segment (policy.repositories), against a real cluster, a local folder
// repository and an Azure Blob one on Azurite: the backup copied and read back, WAL stored in both, 3-2-1 on
// the dashboard ("2 copies", one off-site) and in the fleet report, a service with one copy amber, and
// restores that take the other copy when a stored file in the first fails its checksum.
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepositoryStore } from '../../src/core/repository/store/openRepositoryStore';
import { parseRepositoryLocation } from '../../src/core/repository/store/parseRepositoryLocation';
import type { RepositoryStore } from '../../src/core/repository/store/repositoryStore';
import type { Connection } from '../../src/shared/domain';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { startAzurite, type Azurite } from '../support/azurite';
import { commitRow, midway } from '../support/rowStory';
import { idsIn } from '../support/scratchQuery';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';
import { until } from '../support/until';
import { serverClockPast } from '../support/serverClockPast';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });

let azurite: Azurite;
let t: TestCore;
let folder = '';
let offsite = '';
let offsiteStore: RepositoryStore;
const commits: string[] = [];
const finished = (job: Job) => t.core.jobs.wait(job.id);

async function keysUnder(store: RepositoryStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}


beforeAll(async () => {
  azurite = await startAzurite();
  const container = `offsite-${randomBytes(4).toString('hex')}`;
  await new ContainerClient(`${azurite.endpoint}/${container}`, new StorageSharedKeyCredential(azurite.account, azurite.accountKey)).create();
  t = await startTestCore();
  folder = join(t.dir, 'repo');
  offsite = `azure://${azurite.account}/${container}/lifeboat?endpoint=${azurite.endpoint}`;
  const primary = await t.call('repo.init', { path: folder, encrypt: true });
  const copy = await t.call('repo.init', { path: offsite, encrypt: true, sameKeyAs: folder, makeDefault: false, credentials: { keychain: { accountKey: azurite.accountKey } } });
  expect(copy.keyFingerprint).toBe(primary.keyFingerprint);
  const info = (await t.call('repo.info', {}))!;
  expect(info.path).toBe(folder);
  // Recorded in the fleet file before any service names it, so Settings lists it after a restart.
  expect(info.createdForCopies).toEqual([offsite]);
  expect(await readFile(t.configPath, 'utf8')).toContain(`copyRepositories:\n  - ${offsite}`);
  offsiteStore = await openRepositoryStore(parseRepositoryLocation(offsite), t.core.access.storeAccess(offsite));
  await cluster.query('create table items (id int primary key, note text)', [], 'shop');
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: keychain(cluster.connection('shop')), policy: { repositories: [folder, offsite] } }, password });
  await t.call('services.add', { service: { id: 'lonely', name: 'One copy', engine: 'postgres', connection: keychain(cluster.connection('shop')), policy: {} }, password });
}, 120_000);

afterAll(async () => {
  for (const s of (await t?.call('scratch.list', {}).catch(() => [])) ?? []) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t?.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
  await offsiteStore?.close();
  await azurite?.stop();
});

describe('a second copy of every backup', () => {
  it('copies a new backup into the other repository, reads it back there, and stores every WAL segment in both', async () => {
    await t.call('wal.start', { serviceId: 'shop' });
    await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
    const done = await finished((await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' }))[0]!);
    expect(done.error).toBeUndefined();
    const { backupId, copies } = done.result as { backupId: string; copies: Array<{ to: string; ok: boolean }> };
    expect(copies).toEqual([{ to: offsite, ok: true }]);
    // The same files under the same keys, the manifest among them, and the copy's own verification.
    const local = (await readdir(join(folder, 'shop', 'backups', backupId))).sort();
    const remote = (await keysUnder(offsiteStore, `shop/backups/${backupId}/`)).map((k) => k.split('/').at(-1)!).sort();
    // The copy's own history (its read-back) is the one file the first repository does not have yet.
    expect(remote.filter((n) => n !== 'history.json')).toEqual(local.filter((n) => n !== 'history.json'));
    const history = JSON.parse((await offsiteStore.getBytes(`shop/backups/${backupId}/history.json`)).toString());
    expect(history.at(-1)).toMatchObject({ ok: true, detail: expect.stringContaining(`copied from ${folder}`) });

    for (const id of [1, 2, 3]) {
      commits.push((await commitRow(cluster, id)).at);
      await serverClockPast(cluster, commits.at(-1)!);
    }
    await until(`WAL archived through ${commits[2]}`, async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[2]!)), 90_000);
    const localWal = (await readdir(join(folder, 'shop', 'wal'))).filter((n) => n.endsWith('.json')).sort();
    const remoteWal = (await keysUnder(offsiteStore, 'shop/wal/')).filter((k) => k.endsWith('.json')).map((k) => k.split('/').at(-1)!).sort();
    expect(localWal.length).toBeGreaterThanOrEqual(3);
    expect(remoteWal).toEqual(localWal);
  }, 240_000);

  it('shows 3-2-1 on the dashboard: 2 copies, one off-site, ok; a service kept in one repository is amber', async () => {
    const dashboard = await t.call('monitoring.dashboard', {});
    const shop = dashboard.services.find((s) => s.serviceId === 'shop')!;
    expect(shop.copies).toMatchObject({ level: 'ok', copies: 2, offsite: true, storageKinds: 2 });
    expect(shop.copies!.text).toMatch(/^2 copies \(1 verified\), 2 kinds of storage, 1 off-site$/);
    expect(shop.copies!.repositories.map((r) => [r.location, r.storage, r.holdsNewest])).toEqual([[folder, 'folder', true], [offsite, 'azure', true]]);
    expect(shop.copies!.repositories[1]!.storedBytes).toBeGreaterThan(0);

    await finished((await t.call('backups.start', { serviceIds: ['lonely'], kind: 'logical' }))[0]!);
    const lonely = (await t.call('monitoring.dashboard', {})).services.find((s) => s.serviceId === 'lonely')!;
    expect(lonely.copies).toMatchObject({ level: 'warning', copies: 1 });
    expect(lonely.copies!.text).toContain('one copy only');

    const report = (await t.call('runbooks.render', { document: { kind: 'report', days: 7 }, format: 'md' })).content;
    expect(report).toContain('## Backup copies (3-2-1)');
    expect(report).toMatch(/`shop`: \*\*met\*\*, 2 copies/);
    expect(report).toMatch(/`lonely`: \*\*NOT MET\*\*, 1 copy/);
    expect(report).toContain(`| \`${offsite}\` | Azure Blob | yes | yes, verified |`);
  }, 120_000);

  it('restores from the other copy when a stored file in the first fails its checksum', async () => {
    const [backup] = await t.call('backups.list', { serviceId: 'shop' });
    const base = (await readdir(join(folder, 'shop', 'backups', backup!.id))).find((n) => n.startsWith('base.tar'))!;
    const path = join(folder, 'shop', 'backups', backup!.id, base);
    const original = await readFile(path);
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    await writeFile(path, damaged);
    // And one WAL segment the restore needs, damaged in the first repository only.
    const sidecars = (await readdir(join(folder, 'shop', 'wal'))).filter((n) => /^[0-9A-F]{24}\.json$/.test(n)).sort();
    const segment = JSON.parse(await readFile(join(folder, 'shop', 'wal', sidecars[1]!), 'utf8')).file.name as string;
    const segmentPath = join(folder, 'shop', 'wal', segment);
    const segmentBytes = await readFile(segmentPath);
    const flipped = Buffer.from(segmentBytes);
    flipped[flipped.length - 20]! ^= 0x01;
    await writeFile(segmentPath, flipped);
    try {
      const between = midway(commits[1]!, commits[2]!);
      const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } }));
      expect(job.error).toBeUndefined();
      const scratch = job.result as ScratchView;
      expect(await idsIn(scratch)).toEqual([1, 2]);
      expect(scratch.target).toContain(`from the copy in ${offsite}`);
      await t.call('scratch.remove', { id: scratch.id });
    } finally {
      await writeFile(path, original);
      await writeFile(segmentPath, segmentBytes);
    }
  }, 240_000);

  it('applies retention in each repository on its own', async () => {
    const second = await finished((await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' }))[0]!);
    expect((second.result as { copies: Array<{ ok: boolean }> }).copies).toEqual([{ to: offsite, ok: true }]);
    const ids = (await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id);
    expect(ids).toHaveLength(2);
    const service = (await t.call('services.get', { id: 'shop' })).service;
    await t.call('services.update', { service: { ...service, policy: { ...service.policy, retention: { keep: 1 } } } });
    const plan = await t.call('retention.apply', { serviceId: 'shop' });
    expect(plan.remove.map((r) => r.id)).toEqual([ids[1]]);
    expect((await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id)).toEqual([ids[0]]);
    const remote = new Set((await keysUnder(offsiteStore, 'shop/backups/')).map((k) => k.split('/')[2]));
    expect([...remote]).toEqual([ids[0]]);
  }, 240_000);
});
