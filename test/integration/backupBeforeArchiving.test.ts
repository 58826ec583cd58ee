// A physical backup taken before WAL archiving began, on a real cluster. With no archived WAL after it, it is
// self-contained: restorable (and drilled) to its own end, the moment it became consistent. Once streaming
// starts, the archive begins at the segment holding the backup's stop point (the WAL from its start is inside
// its tar), and the window counts the backup from its stop: a restore to a time between two later commits
// holds exactly the rows committed before it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { DrillView, ScratchView } from '../../src/shared/recovery';
import { startTestCore, type TestCore } from '../support/testCore';
import { idsIn } from '../support/scratchQuery';
import { until } from '../support/until';
import { serverClockPast } from '../support/serverClockPast';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
let t: TestCore;
let backupId: string;

async function commitRow(id: number): Promise<string> {
  await cluster.query('insert into items values ($1)', [id], 'shop');
  const [row] = await cluster.query<{ at: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from items where id = $1", [id], 'shop');
  await cluster.query('select pg_switch_wal()');
  return row!.at;
}


beforeAll(async () => {
  t = await startTestCore();
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await t.call('repo.init', { path: `${t.dir}/repo`, encrypt: true });
  await cluster.query('create table items (id int primary key)', [], 'shop');
  await cluster.query('insert into items values (1)', [], 'shop');
  // The backup first, with nothing archiving WAL.
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  const done = await t.core.jobs.wait((job as Job).id);
  expect(done.state).toBe('succeeded');
  backupId = (done.result as { backupId: string }).backupId;
});

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
});

describe('a backup taken before WAL archiving began', () => {
  it('is self-contained: not in the window, restored to its own end with exactly the rows it holds', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.intervals).toEqual([]);
    expect(w.backups).toEqual([expect.objectContaining({ id: backupId, usable: false })]);
    const refused = await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining(`lifeboat pitr shop --immediate ${backupId}`) });

    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'immediate', backupId } })).id);
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    expect(scratch.backupId).toBe(backupId);
    expect(scratch.reached!.detail).toContain('stopped where the backup became consistent');
    expect(await idsIn(scratch)).toEqual([1]);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('is drilled to its own end when nothing else is recoverable, with a measured RTO', async () => {
    const job = await t.core.jobs.wait((await t.call('drills.start', { serviceId: 'shop' })).id);
    expect(job.error).toBeUndefined();
    const drill = job.result as DrillView;
    expect(drill.ok).toBe(true);
    expect(drill.backupId).toBe(backupId);
    expect(drill.rtoMs).toBeGreaterThan(0);
    expect(drill.pointReached).toContain('consistent');
  });

  it('counts from its stop point once WAL is archived after it: a restore between two later commits has exactly the rows before it', async () => {
    await t.call('wal.start', { serviceId: 'shop' });
    await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
    const two = await commitRow(2);
    await serverClockPast(cluster, two);
    const three = await commitRow(3);
    await until('WAL archived through row 3', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(three)), 60_000, async () => ({
      window: await t.call('window.get', { serviceId: 'shop' }),
      backup: (await t.call('backups.list', { serviceId: 'shop' }))[0],
    }));
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.intervals).toHaveLength(1);
    expect(w.intervals[0]!.backupIds).toEqual([backupId]);
    expect(w.backups).toEqual([expect.objectContaining({ id: backupId, usable: true })]);

    const between = new Date((Date.parse(two) + Date.parse(three)) / 2).toISOString();
    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } })).id);
    expect(job.error).toBeUndefined();
    expect(await idsIn(job.result as ScratchView)).toEqual([1, 2]);
  });

  it('is not steered by an old restore\'s settings that a backup carries: "latest" restores every archived row', async () => {
    // A server that was itself restored keeps that restore's lines in postgresql.auto.conf, and so do its backups.
    await cluster.query("alter system set recovery_target_time = '2001-01-01 00:00:00+00'");
    await cluster.query("alter system set restore_command = 'false'");
    try {
      const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
      expect((await t.core.jobs.wait((job as Job).id)).state).toBe('succeeded');
      const four = await commitRow(4);
      await until('WAL archived through row 4', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(four)));
      const restored = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } })).id);
      expect(restored.error).toBeUndefined();
      expect(await idsIn(restored.result as ScratchView)).toEqual([1, 2, 3, 4]);
    } finally {
      await cluster.query('alter system reset recovery_target_time');
      await cluster.query('alter system reset restore_command');
    }
  });
});
