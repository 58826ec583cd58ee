// A service a team already backs up with Barman (the real barman 3.4: backup_method = postgres, WAL shipped by
// archive_command into its incoming folder and taken in by `barman archive-wal`, as its cron does): Lifeboat
// lists Barman's backups, draws the window, restores through `barman recover` into a scratch cluster that
// holds exactly the rows committed before the target, refuses targets outside the window and inside a hole in
// Barman's archive, verifies with verify-backup and check-backup, drills, shows Barman's storage figures and
// the checks it reports FAILED, and cancels a Barman backup.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../support/testCore';
import { idsIn } from '../support/scratchQuery';
import { commitRow as commitRowAt, midway, restoreToTime } from '../support/rowStory';
import type { PgCluster } from '../support/pgCluster';
import { dropShippedSegment } from '../support/backupEngines';
import { startBarmanService, type EngineService } from '../support/engineService';
import { serverClockPast } from '../support/serverClockPast';
import { until } from '../support/until';
import { formatBytes } from '../../src/core/formatFacts';

type BarmanService = Awaited<ReturnType<typeof startBarmanService>>;
let s: BarmanService;
let cluster: PgCluster;
let barman: BarmanService['engine'];
let t: TestCore;
let finished: EngineService<unknown>['finished'];
const commits: string[] = [];
/** The WAL segment each row's commit is in. */
const segmentOf = new Map<number, string>();
let backupId = '';

/** Commits one row a second after the last one (or the backup) and returns its commit time; waits until its
 * segment is shipped to Barman's incoming. */
async function commitRow(id: number): Promise<string> {
  await serverClockPast(cluster, commits.at(-1) ?? (await t.call('backups.list', { serviceId: 'shop' }))[0]!.finishedAt);
  const row = await commitRowAt(cluster, id);
  segmentOf.set(id, row.segment);
  await until(`segment ${row.segment} shipped`, async () => (await readdir(barman.incoming)).includes(row.segment), 30_000);
  return row.at;
}

beforeAll(async () => {
  s = await startBarmanService();
  ({ cluster, engine: barman, t, finished } = s);
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  const done = await finished(job!);
  expect(done.error).toBeUndefined();
  backupId = (done.result as { backupId: string }).backupId;
  for (const id of [1, 2, 3]) commits.push(await commitRow(id));
  await barman.archiveWal();
}, 240_000);

afterAll(async () => {
  await s?.close();
});

describe('a service backed up by Barman', () => {
  it('lists the backup Barman took for Lifeboat, with its LSNs and size', async () => {
    const backups = await t.call('backups.list', { serviceId: 'shop' });
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ id: backupId, kind: 'physical', serverVersion: '15', timeline: 1, engine: { name: 'barman', type: 'full' } });
    expect(backups[0]!.sourceBytes).toBeGreaterThan(0);
  });

  it("finds the server with barman list-servers, and states Barman's retention (none set: every backup kept)", async () => {
    expect(await t.call('engines.detect', { engine: 'barman', config: barman.config, ...(s.user.switched ? { osUser: s.user.name } : {}) })).toEqual([{ name: 'shop', status: 'Lifeboat test server' }]);
    const plan = await t.call('retention.plan', { serviceId: 'shop' });
    expect(plan).toMatchObject({ enginePolicy: expect.stringContaining('no retention_policy set in Barman'), remove: [], keep: [{ id: backupId }] });
  });

  it('draws the window from the backup\'s end to the last commit Barman archived', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.engine).toEqual({ name: 'barman', label: 'Barman', place: 'server shop', problems: [] });
    expect(w.intervals).toHaveLength(1);
    expect(w.intervals[0]!.backupIds).toEqual([backupId]);
    expect(Math.abs(Date.parse(w.intervals[0]!.to) - Date.parse(commits[2]!))).toBeLessThan(5);
    expect(w.gaps).toEqual([]);
  });

  it('restores through barman recover to a time between rows 2 and 3: exactly rows 1 and 2', async () => {
    const scratch = await restoreToTime(t, 'shop', midway(commits[1]!, commits[2]!));
    expect(scratch.backupId).toBe(backupId);
    expect(await idsIn(scratch)).toEqual([1, 2]);
    expect(scratch.reached!.detail).toMatch(/stopped before the commit of transaction \d+/);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('refuses a target before the backup with OUT_OF_WINDOW and the nearest valid times', async () => {
    const before = new Date(Date.parse(commits[0]!) - 3_600_000).toISOString();
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: before, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining('earliest after it') });
  });

  it('verifies with Barman\'s verify-backup and check-backup', async () => {
    const job = await finished(await t.call('backups.verify', { backupId }));
    expect(job.error).toBeUndefined();
    const [b] = await t.call('backups.list', { serviceId: 'shop' });
    expect(b!.lastVerification).toMatchObject({ ok: true, detail: expect.stringContaining('verify-backup') });
  });

  it('drills the Barman backup: RTO, pg_amcheck and the check queries recorded', async () => {
    const job = await finished(await t.call('drills.start', { serviceId: 'shop' }));
    expect(job.error).toBeUndefined();
    const [drill] = await t.call('drills.list', { serviceId: 'shop' });
    expect(drill).toMatchObject({ ok: true, backupId, amcheck: { ok: true }, checks: [{ name: 'items exist', ok: true, value: 3 }] });
    expect(drill!.rtoMs).toBeGreaterThan(0);
  });

  it("writes a runbook whose whole-cluster restore is Barman's own recover, with the backup Lifeboat chose", async () => {
    const { content } = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'shop' }, format: 'md' });
    const label = backupId.split(':')[1]!;
    expect(content).toContain('Restore the whole cluster to a point in time (Barman)');
    const recover = content.split('\n').find((l) => l.includes(' recover ') && l.includes('--target-time'))!;
    expect(recover).toContain(`-c ${barman.config} recover --remote-ssh-command`);
    expect(recover).toContain(`--target-tli 1 --target-action promote shop ${label} '<data directory>'`);
  });

  it("shows Barman's own storage figures (show-backup's backup and WAL sizes) on the dashboard and in the fleet report", async () => {
    const shown = JSON.parse(await barman.run(['-f', 'json', 'show-backup', 'shop', backupId.split(':')[1]!])) as { shop: { base_backup_information: { disk_usage_bytes: number }; wal_information: { disk_usage_bytes: number } } };
    const backupBytes = shown.shop.base_backup_information.disk_usage_bytes;
    const walBytes = shown.shop.wal_information.disk_usage_bytes;
    expect(walBytes).toBeGreaterThan(0);
    const dashboard = await t.call('monitoring.dashboard', {});
    expect(dashboard.storage.find((x) => x.serviceId === 'shop')).toMatchObject({ storedBytes: backupBytes + walBytes, walBytes });
    const report = await t.call('runbooks.render', { document: { kind: 'report', days: 7 }, format: 'md' });
    const row = report.content.split('\n').find((l) => l.startsWith('| `shop` |') && l.endsWith('| Barman server shop |'))!;
    expect(row.split('|').slice(1, -1).map((c) => c.trim())).toEqual(['`shop`', '1', formatBytes(backupBytes), formatBytes(walBytes), formatBytes(backupBytes + walBytes), formatBytes(backupBytes + walBytes), `${formatBytes((backupBytes + walBytes) / 7)}/day`, 'Barman server shop']);
  });

  it('names a segment that never reached Barman\'s archive as a gap and refuses a target inside it', async () => {
    // Row 5's segment is lost on its way (removed from incoming before Barman's cron takes it in).
    for (const id of [4, 5, 6]) commits.push(await commitRow(id));
    const lost = segmentOf.get(5)!;
    await dropShippedSegment(barman.incoming, lost);
    await barman.archiveWal();
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.gaps).toEqual([expect.objectContaining({ firstMissing: lost, lastMissing: lost, segments: 1 })]);
    const inGap = midway(commits[4]!, commits[5]!);
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: inGap, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', message: expect.stringContaining(lost) });
  });

  it("shows what barman check reports FAILED, in Barman's words, on the window and as a risk in the fleet report", async () => {
    // A file shipped twice with other bytes: Barman's archiver sets it aside in its errors folder.
    await writeFile(join(barman.incoming, segmentOf.get(1)!), randomBytes(1024));
    await barman.archiveWal();
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.engine!.problems).toEqual([expect.stringMatching(/^Barman check archiver errors: FAILED \(duplicates: 1\)/)]);
    const report = await t.call('runbooks.render', { document: { kind: 'report', days: 7 }, format: 'md' });
    expect(report.content).toContain(`**high** \`shop\`: ${w.engine!.problems[0]}`);
  });

  it('cancels a Barman backup: the job is cancelled and no barman or pg_basebackup of it is left', async () => {
    const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
    // pgrep -f: processes whose command line names this test's config file or cluster port (only ours can).
    await until('barman backup to run', async () => spawnSync('pgrep', ['-f', `${barman.config}.* backup`]).status === 0, 15_000);
    await t.call('jobs.cancel', { id: job!.id });
    expect((await finished(job!)).state).toBe('cancelled');
    await until('no barman or pg_basebackup of this server left', async () => spawnSync('pgrep', ['-f', `${barman.config}|pg_basebackup.*${cluster.port}`]).status === 1, 20_000);
    // Only the backup Barman finished is listed: the cancelled one is not Lifeboat's to show as a backup.
    expect((await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id)).toEqual([backupId]);
  });
});
