// A restore after a promotion follows the new timeline: Lifeboat streams WAL from the primary, a standby is
// promoted (timeline 2) and the service is pointed at it, a row is written there, and a restore to
// "latest" replays timeline 1 up to the switch and timeline 2 after it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { startPrimaryWithStandby, type StandbyPair } from '../support/pgCluster';
import { startTestCore, type TestCore } from '../support/testCore';

const password = `pw-${randomBytes(6).toString('hex')}`;
let pair: StandbyPair;
let t: TestCore;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; jobs: ${JSON.stringify(t.core.jobs.list().map((j) => [j.kind, j.state, j.progress.phase, j.error?.message]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function lastArchivedTimeline(): Promise<number> {
  const w = await t.call('window.get', { serviceId: 'shop' });
  return Math.max(0, ...w.intervals.map((i) => i.timeline));
}

beforeAll(async () => {
  pair = await startPrimaryWithStandby({ superuserPassword: password });
  t = await startTestCore();
  await pair.primary.query('create database shop');
  await pair.primary.query('create table items (id int primary key, at text)', [], 'shop');
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...pair.primary.connection('shop'), password: { kind: 'keychain' } } }, password });
  await t.call('repo.init', { path: `${t.dir}/repo`, encrypt: true });
  await t.call('wal.start', { serviceId: 'shop' });
  await until('the slot on the primary', async () => !!(await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  expect((await t.core.jobs.wait((job as Job).id)).state).toBe('succeeded');
}, 180_000);

afterAll(async () => {
  for (const s of await t?.call('scratch.list', {}).catch(() => []) ?? []) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t?.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
  await pair?.stop();
});

describe('timelines', () => {
  it('follows a promotion: the window moves to timeline 2 and a restore to latest holds rows from both', async () => {
    await pair.primary.query("insert into items values (1, 'timeline 1')", [], 'shop');
    await pair.primary.query('select pg_switch_wal()');
    await pair.waitForReplay();
    await until('row 1 archived', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.length > 0 && (await lastArchivedTimeline()) === 1 && (await t.call('wal.status', { serviceId: 'shop' })).archivedSegments >= 3);

    // Fail over: stop streaming from the old primary, promote the standby, point the service at it.
    await t.call('wal.stop', { serviceId: 'shop' });
    await pair.primary.stop();
    await pair.standby.query('select pg_promote(wait => true)');
    const [view] = await t.call('services.list', {});
    await t.call('services.update', { service: { ...view!.service, connection: { ...view!.service.connection, port: pair.standby.port } } });
    await t.call('wal.start', { serviceId: 'shop' });
    // WAL written before Lifeboat's slot exists on the new primary is not held for it.
    await until('the slot on the new primary', async () => !!(await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
    await pair.standby.query("insert into items values (2, 'timeline 2')", [], 'shop');
    await pair.standby.query('select pg_switch_wal()');
    await until('a timeline 2 segment archived', async () => /^00000002[0-9A-F]{16}$/.test((await t.call('wal.status', { serviceId: 'shop' })).lastArchived?.name ?? ''), 90_000);
    expect(await lastArchivedTimeline()).toBe(2);

    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.intervals.map((i) => i.timeline).sort()).toContain(2);
    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } })).id);
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    const client = new pg.Client({ host: scratch.connection.host, port: scratch.connection.port, user: scratch.connection.user, database: 'shop' });
    await client.connect();
    try {
      expect((await client.query('select id, at from items order by id')).rows).toEqual([{ id: 1, at: 'timeline 1' }, { id: 2, at: 'timeline 2' }]);
    } finally {
      await client.end();
    }
  });
});
