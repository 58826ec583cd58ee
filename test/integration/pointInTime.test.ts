// Point-in-time recovery against a real cluster: WAL streamed through a replication slot, three rows
// committed at known times with WAL switches between them, restores to a second between two commits and to
// the latest, a target outside the window, a stopped-and-restarted stream with no gap, drills, a
// deliberately removed segment named as a gap, the stream resumed when Lifeboat starts again, and the slot
// dropped only with its name typed.
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import type { Connection } from '../../src/shared/domain';
import { startTestCore, type TestCore } from '../support/testCore';
import { idsIn } from '../support/scratchQuery';
import { useCluster } from '../support/useCluster';
import { until } from '../support/until';
import { serverClockPast } from '../support/serverClockPast';

const password = `pw-${randomBytes(6).toString('hex')}`;
// track_commit_timestamp lets the test read each row's exact commit time, the one recovery targets see.
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });
let t: TestCore;
let repoPath: string;
const commits: string[] = [];


/** Commits one row and returns its commit time as the server saw it; then switches WAL segment. */
async function commitRow(id: number): Promise<string> {
  await cluster.query('insert into items values ($1, $2)', [id, `row ${id}`], 'shop');
  const [row] = await cluster.query<{ at: string }>(
    "select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from items where id = $1",
    [id],
    'shop',
  );
  await cluster.query('select pg_switch_wal()');
  return row!.at;
}


async function finished(job: Job): Promise<Job> {
  return t.core.jobs.wait(job.id);
}

async function archivedThrough(time: string): Promise<void> {
  await until(`WAL archived through ${time}`, async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    return w.intervals.some((i) => Date.parse(i.to) >= Date.parse(time));
  }, 60_000, async () => ({ window: await t.call('window.get', { serviceId: 'shop' }), status: await t.call('wal.status', { serviceId: 'shop' }), jobs: t.core.jobs.list().map((j) => [j.kind, j.state, j.progress.phase, j.error?.message]) }));
}

beforeAll(async () => {
  t = await startTestCore();
  repoPath = join(t.dir, 'repo');
  await t.call('services.add', {
    service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: keychain(cluster.connection('shop')), policy: { drillChecks: [{ name: 'items exist', sql: 'select count(*) from items' }] } },
    password,
  });
  await t.call('repo.init', { path: repoPath, encrypt: true });
  await cluster.query('create table items (id int primary key, note text)', [], 'shop');
  await t.call('wal.start', { serviceId: 'shop' });
  await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  const [backup] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  expect((await finished(backup!)).state).toBe('succeeded');
  for (const id of [1, 2, 3]) {
    commits.push(await commitRow(id));
    await serverClockPast(cluster, commits.at(-1)!);
  }
  await archivedThrough(commits[2]!);
});

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
});

describe('point-in-time recovery', () => {
  it('computes a window from the backup to the last archived commit, with commit times from the WAL', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.intervals).toHaveLength(1);
    expect(w.intervals[0]!.timeline).toBe(1);
    expect(Date.parse(w.intervals[0]!.from)).toBeLessThan(Date.parse(commits[0]!));
    // The last archived commit is row 3's, to the microsecond as pg_waldump reads it.
    expect(Math.abs(Date.parse(w.intervals[0]!.to) - Date.parse(commits[2]!))).toBeLessThan(5);
    expect(w.gaps).toEqual([]);
    const status = await t.call('wal.status', { serviceId: 'shop' });
    expect(status).toMatchObject({ streaming: true, slot: { name: 'lifeboat_shop', active: true } });
    expect(status.archivedSegments).toBeGreaterThanOrEqual(3);
  });

  it('restores to a time between rows 2 and 3: exactly rows 1 and 2', async () => {
    const between = new Date((Date.parse(commits[1]!) + Date.parse(commits[2]!)) / 2).toISOString();
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } }));
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    expect(await idsIn(scratch)).toEqual([1, 2]);
    expect(Date.parse(scratch.reached!.time!)).toBeGreaterThanOrEqual(Date.parse(commits[1]!) - 1);
    expect(Date.parse(scratch.reached!.time!)).toBeLessThanOrEqual(Date.parse(between));
    expect(scratch.reached!.detail).toMatch(/stopped before the commit of transaction \d+/);
    expect((await t.call('scratch.list', {})).map((s) => s.id)).toContain(scratch.id);

    // Copy the restored database into the registered server under a new name; the name is then taken.
    const copy = await finished(await t.call('scratch.copyDatabase', { id: scratch.id, database: 'shop', targetServiceId: 'shop', newName: 'shop_before_row3' }));
    expect(copy.result).toMatchObject({ database: 'shop_before_row3', replaced: false });
    expect((await cluster.query<{ id: number }>('select id from items order by id', [], 'shop_before_row3')).map((r) => r.id)).toEqual([1, 2]);
    await expect(t.call('scratch.copyDatabase', { id: scratch.id, database: 'shop', targetServiceId: 'shop', newName: 'shop_before_row3' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const replaced = await finished(await t.call('scratch.copyDatabase', { id: scratch.id, database: 'shop', targetServiceId: 'shop', newName: 'shop_before_row3', confirmReplace: 'shop_before_row3' }));
    expect(replaced.result).toMatchObject({ replaced: true });

    await t.call('scratch.remove', { id: scratch.id });
    expect((await t.call('scratch.list', {})).map((s) => s.id)).not.toContain(scratch.id);
  });

  it('restores to "latest": all three rows', async () => {
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } }));
    const scratch = job.result as ScratchView;
    expect(await idsIn(scratch)).toEqual([1, 2, 3]);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('refuses a time outside the window with OUT_OF_WINDOW and the nearest valid times', async () => {
    const before = new Date(Date.parse(commits[0]!) - 3_600_000).toISOString();
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: before, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining('earliest after it') });
    const after = new Date(Date.now() + 3_600_000).toISOString();
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: after, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining('latest before it') });
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: '2026-11-25T10:00:00', inclusive: true } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('zone') });
  });

  it('loses nothing while the stream is stopped: the slot holds the WAL', async () => {
    await t.call('wal.stop', { serviceId: 'shop' });
    expect((await t.call('wal.status', { serviceId: 'shop' })).slot).toMatchObject({ active: false });
    commits.push(await commitRow(4));
    commits.push(await commitRow(5));
    expect((await t.call('wal.status', { serviceId: 'shop' })).slot!.retainedBytes).toBeGreaterThan(0);
    await t.call('wal.start', { serviceId: 'shop' });
    await archivedThrough(commits[4]!);
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.gaps).toEqual([]);
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'latest' } }));
    const scratch = job.result as ScratchView;
    expect(await idsIn(scratch)).toEqual([1, 2, 3, 4, 5]);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('drills: records an RTO and a passing amcheck, removes its scratch cluster', async () => {
    const job = await finished(await t.call('drills.start', { serviceId: 'shop' }));
    expect(job.error).toBeUndefined();
    const [drill] = await t.call('drills.list', { serviceId: 'shop' });
    expect(drill).toMatchObject({ ok: true, amcheck: { ok: true }, checks: [{ name: 'items exist', ok: true, value: 5 }] });
    expect(drill!.rtoMs).toBeGreaterThan(0);
    expect((await t.call('scratch.list', {})).filter((s) => s.purpose === 'drill')).toEqual([]);
  });

  it('fails a drill whose check query is broken, with the query\'s error, and records it', async () => {
    const [view] = await t.call('services.list', {});
    await t.call('services.update', { service: { ...view!.service, policy: { drillChecks: [{ name: 'broken', sql: 'select count(*) from no_such_table' }] } } });
    const job = await finished(await t.call('drills.start', { serviceId: 'shop' }));
    expect(job.state).toBe('failed');
    expect(job.error!.message).toContain('no_such_table');
    const drills = await t.call('drills.list', { serviceId: 'shop' });
    expect(drills[0]).toMatchObject({ ok: false, checks: [{ name: 'broken', ok: false, error: expect.stringContaining('no_such_table') }] });
    expect((await t.call('scratch.list', {})).filter((s) => s.purpose === 'drill')).toEqual([]);
  });

  it('names a deliberately removed WAL range as a gap and refuses a target inside it', async () => {
    const walDir = join(repoPath, 'shop', 'wal');
    const sidecars = (await readdir(walDir)).filter((n) => /^[0-9A-F]{24}\.json$/.test(n)).sort();
    // The segment holding row 2's commit: hide it (sidecar first, as a half-finished archive would leave it).
    const w0 = await t.call('window.get', { serviceId: 'shop' });
    expect(w0.gaps).toEqual([]);
    const victim = sidecars[sidecars.length - 4]!;
    await rename(join(walDir, victim), join(walDir, `${victim}.hidden`));
    try {
      const w = await t.call('window.get', { serviceId: 'shop' });
      expect(w.gaps).toHaveLength(1);
      expect(w.gaps[0]!.firstMissing).toBe(victim.replace('.json', ''));
      const inGap = new Date((Date.parse(w.gaps[0]!.after!) + Date.parse(w.gaps[0]!.before!)) / 2).toISOString();
      await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: inGap, inclusive: true } })).rejects.toMatchObject({
        code: 'OUT_OF_WINDOW',
        message: expect.stringContaining(victim.replace('.json', '')),
      });
    } finally {
      await rename(join(walDir, `${victim}.hidden`), join(walDir, victim));
    }
  });

  it('resumes the stream when Lifeboat starts again, with what was written while it was closed', async () => {
    // Closing cancels the stream job (its pg_receivewal stops) but keeps the service's stream wanted.
    await t.close();
    expect((await cluster.query<{ active: boolean }>("select active from pg_replication_slots where slot_name = 'lifeboat_shop'"))[0]).toEqual({ active: false });
    const whileClosed = await commitRow(6);
    t = await startTestCore(t.dir, { resumeWalStreams: true });
    const status = await t.call('wal.status', { serviceId: 'shop' });
    expect(status.streaming).toBe(true);
    await archivedThrough(whileClosed);
    expect((await t.call('window.get', { serviceId: 'shop' })).gaps).toEqual([]);
  });

  it('drops the slot only when its name is typed, and stops streaming for good', async () => {
    const slots = async () => (await cluster.query<{ slot_name: string }>('select slot_name from pg_replication_slots')).map((r) => r.slot_name);
    await expect(t.call('wal.dropSlot', { serviceId: 'shop', confirm: 'shop' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('lifeboat_shop') });
    expect(await slots()).toContain('lifeboat_shop');
    expect((await t.call('wal.status', { serviceId: 'shop' })).streaming).toBe(true);

    expect(await t.call('wal.dropSlot', { serviceId: 'shop', confirm: 'lifeboat_shop' })).toEqual({ serviceId: 'shop', dropped: 'lifeboat_shop' });
    expect(await slots()).not.toContain('lifeboat_shop');
    expect(await t.call('wal.status', { serviceId: 'shop' })).toMatchObject({ streaming: false, slot: undefined });
    // Not resumed at the next start either: that would create the slot again.
    await t.close();
    t = await startTestCore(t.dir, { resumeWalStreams: true });
    expect((await t.call('wal.status', { serviceId: 'shop' })).streaming).toBe(false);
    expect(await slots()).not.toContain('lifeboat_shop');
  });
});
