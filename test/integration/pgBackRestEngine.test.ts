// A service a team already backs up with pgBackRest (the real pgbackrest 2.45, a real cluster archiving with
// `pgbackrest archive-push`): Lifeboat lists its full and incremental backups, draws the window from
// pgBackRest's backups and archive, restores through `pgbackrest restore --set=<the backup Lifeboat chose>`
// into a scratch cluster that holds exactly the rows committed before the target, refuses targets outside the
// window and inside a hole of the archive, verifies, drills, prints pgBackRest's own whole-cluster commands,
// shows the service beside a Lifeboat one on the fleet's views, cancels a pgBackRest backup, and plans and
// applies pgBackRest's own retention.
import { spawnSync } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/shared/domain';
import type { ScratchView } from '../../src/shared/recovery';
import type { TestCore } from '../support/testCore';
import { idsIn, scratchQuery } from '../support/scratchQuery';
import { commitRow as commitRowAt, midway, restoreToTime } from '../support/rowStory';
import type { PgCluster } from '../support/pgCluster';
import { pgBackRestSegmentFile } from '../support/backupEngines';
import { startPgBackRestService, type EngineService } from '../support/engineService';
import { serverClockPast } from '../support/serverClockPast';
import { until } from '../support/until';
import { runCli } from '../support/runCli';
import { formatBytes } from '../../src/core/formatFacts';

type PgBackRestService = Awaited<ReturnType<typeof startPgBackRestService>>;
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });
let s: PgBackRestService;
let cluster: PgCluster;
let engine: PgBackRestService['engine'];
let t: TestCore;
let finished: EngineService<unknown>['finished'];
const commits: string[] = [];
const labels: { full?: string; incr?: string } = {};

/** The WAL segment each row's commit is in. */
const segmentOf = new Map<number, string>();
const commitRow = async (id: number) => {
  const row = await commitRowAt(cluster, id);
  segmentOf.set(id, row.segment);
  return row.at;
};

/** The LSN a segment starts at (its name: timeline, log, segment of 16 MiB). */
const segmentStartLsn = (segment: string) => `${parseInt(segment.slice(8, 16), 16).toString(16).toUpperCase()}/${(parseInt(segment.slice(16), 16) * 0x1000000).toString(16).toUpperCase()}`;

async function backup(type: 'full' | 'incr'): Promise<string> {
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical', type });
  const done = await finished(job!);
  expect(done.error).toBeUndefined();
  return (done.result as { backupId: string }).backupId.split(':')[1]!;
}

/** The newest backup's end as pgBackRest recorded it (whole seconds). */
const newestEnd = async () => (await t.call('backups.list', { serviceId: 'shop' }))[0]!.finishedAt;

beforeAll(async () => {
  s = await startPgBackRestService({ policy: { rpo: '1h', rto: '1h' } });
  ({ cluster, engine, t, finished } = s);
  labels.full = await backup('full');
  // pgBackRest keeps whole seconds: a backup counts from the second after its recorded stop.
  await serverClockPast(cluster, await newestEnd());
  commits.push(await commitRow(1));
  labels.incr = await backup('incr');
  await serverClockPast(cluster, await newestEnd());
  for (const id of [2, 3]) {
    await serverClockPast(cluster, commits.at(-1)!);
    // A named restore point between rows 2 and 3 (in row 3's segment).
    if (id === 3) await cluster.query("select pg_create_restore_point('before_row3')");
    commits.push(await commitRow(id));
  }
  await until('row 3 archived by pgBackRest', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    return w.intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[2]!));
  }, 60_000, async () => ({ window: await t.call('window.get', { serviceId: 'shop' }).catch((e: Error) => e.message) }));
}, 240_000);

afterAll(async () => {
  await s?.close();
});

describe('a service backed up by pgBackRest', () => {
  it('lists pgBackRest\'s full and incremental backups with their LSNs, sizes and references', async () => {
    const backups = await t.call('backups.list', { serviceId: 'shop' });
    expect(backups.map((b) => b.engine?.label)).toEqual([labels.incr, labels.full]);
    expect(backups[0]).toMatchObject({ id: `shop:${labels.incr}`, kind: 'physical', serverVersion: '15', timeline: 1, engine: { name: 'pgbackrest', type: 'incr', references: [labels.full] } });
    expect(backups[1]).toMatchObject({ engine: { type: 'full', references: [] }, encrypted: false });
    for (const b of backups) {
      expect(b.startLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(b.storedBytes).toBeGreaterThan(0);
      expect(b.sourceBytes).toBeGreaterThan(b.storedBytes);
    }
  });

  it('answers the CLI: services detect finds the stanza, backups lists pgBackRest\'s backups with their types, window says whose it is', async () => {
    const cli = (args: string[]) => runCli([...args, '--config', t.configPath, '--data-dir', join(t.dir, 'data-cli')], { env: { LIFEBOAT_FROM_SOURCE: '1' } });
    const detected = await cli(['services', 'detect', 'pgbackrest', '--pgbackrest-config', engine.config, ...(s.user.switched ? ['--engine-os-user', s.user.name] : []), '--json']);
    expect(detected.code, detected.stderr).toBe(0);
    expect(JSON.parse(detected.stdout)).toEqual([{ name: 'shop', status: 'ok', backups: 2 }]);
    const listed = await cli(['backups', 'shop']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`shop:${labels.incr}  pgbackrest incr on ${labels.full}`);
    const window = await cli(['window', 'shop']);
    expect(window.code, window.stderr).toBe(0);
    expect(window.stdout).toMatch(/^Recoverable \(UTC\):\n  timeline 1: /);
    expect(window.stdout).toContain("Drawn from pgBackRest's backups and archive (stanza shop).");
    const services = await cli(['services', 'list']);
    expect(services.stdout).toMatch(/shop\s+Shop\s+PostgreSQL \(pgbackrest\)/);
  });

  it('draws the window from the full backup\'s end to the last archived commit, without gaps', async () => {
    const w = await t.call('window.get', { serviceId: 'shop' });
    expect(w.engine).toEqual({ name: 'pgbackrest', label: 'pgBackRest', place: 'stanza shop', problems: [] });
    expect(w.intervals).toHaveLength(1);
    expect(w.intervals[0]!.backupIds).toEqual([`shop:${labels.full}`, `shop:${labels.incr}`]);
    expect(Date.parse(w.intervals[0]!.from)).toBeLessThan(Date.parse(commits[0]!));
    // The window's end is row 3's commit, read from the segment pgBackRest hands back.
    expect(Math.abs(Date.parse(w.intervals[0]!.to) - Date.parse(commits[2]!))).toBeLessThan(5);
    expect(w.gaps).toEqual([]);
  });

  it('restores through pgBackRest to a time between rows 2 and 3: exactly rows 1 and 2, from the incremental backup, and copies it back under a new name', async () => {
    const between = midway(commits[1]!, commits[2]!);
    const scratch = await restoreToTime(t, 'shop', between);
    expect(scratch.backupId).toBe(`shop:${labels.incr}`);
    expect(await idsIn(scratch)).toEqual([1, 2]);
    expect(scratch.reached!.detail).toMatch(/stopped before the commit of transaction \d+/);
    expect(Date.parse(scratch.reached!.time!)).toBeLessThanOrEqual(Date.parse(between));
    // The copy follows the scratch rules: loopback only and no archiving.
    const [settings] = await scratchQuery<{ archive_mode: string; listen_addresses: string }>(scratch, "select current_setting('archive_mode') as archive_mode, current_setting('listen_addresses') as listen_addresses", 'postgres');
    expect(settings).toEqual({ archive_mode: 'off', listen_addresses: '127.0.0.1' });
    // Copied into the registered server under a new name; the name is then taken unless typed to replace.
    const copy = await finished(await t.call('scratch.copyDatabase', { id: scratch.id, database: 'shop', targetServiceId: 'shop', newName: 'shop_before_row3' }));
    expect(copy.error).toBeUndefined();
    expect((await cluster.query<{ id: number }>('select id from items order by id', [], 'shop_before_row3')).map((r) => r.id)).toEqual([1, 2]);
    await expect(t.call('scratch.copyDatabase', { id: scratch.id, database: 'shop', targetServiceId: 'shop', newName: 'shop_before_row3' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('restores to a time before the incremental backup from the full one: row 1 only', async () => {
    const scratch = await restoreToTime(t, 'shop', new Date(Date.parse(commits[0]!) + 1).toISOString());
    expect(scratch.backupId).toBe(`shop:${labels.full}`);
    expect(await idsIn(scratch)).toEqual([1]);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('restores to a named restore point from the newest backup that stopped before it, found by scanning pgBackRest\'s archive', async () => {
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'name', name: 'before_row3' } }));
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    expect(scratch.backupId).toBe(`shop:${labels.incr}`);
    expect(await idsIn(scratch)).toEqual([1, 2]);
    expect(scratch.reached!.detail).toContain('stopped at restore point "before_row3"');
    await t.call('scratch.remove', { id: scratch.id });
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'name', name: 'no_such_point' } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', message: 'No restore point named "no_such_point" in the archived WAL of shop.' });
  });

  it('restores to an LSN through pgBackRest (--type=lsn): the start of row 3\'s segment holds rows 1 and 2, from the incremental backup', async () => {
    const lsn = segmentStartLsn(segmentOf.get(3)!);
    const job = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'lsn', lsn, inclusive: true } }));
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    expect(scratch.backupId).toBe(`shop:${labels.incr}`);
    expect(await idsIn(scratch)).toEqual([1, 2]);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('restores to just before a transaction (--type=xid --target-exclusive): from the incremental backup with its commit LSN, from the full one without, saying why', async () => {
    const xid = (await cluster.query<{ xid: string }>('select xmin::text as xid from items where id = 2', [], 'shop'))[0]!.xid;
    // An LSN after row 2's commit record and before row 3's: the start of row 3's segment.
    const commitLsn = segmentStartLsn(segmentOf.get(3)!);
    const withLsn = await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'xid', xid, inclusive: false, commitLsn } }));
    expect(withLsn.error).toBeUndefined();
    expect((withLsn.result as ScratchView).backupId).toBe(`shop:${labels.incr}`);
    expect(await idsIn(withLsn.result as ScratchView)).toEqual([1]);
    await t.call('scratch.remove', { id: (withLsn.result as ScratchView).id });
    const commands = await t.call('restore.commands', { serviceId: 'shop', target: { kind: 'xid', xid, inclusive: false } });
    expect(commands.backupId).toBe(`shop:${labels.full}`);
    expect(commands.target).toContain("without the commit's LSN Lifeboat cannot tell which newer backup stopped before it; give --commit-lsn");
    expect(commands.steps.flatMap((x) => x.commands).join('\n')).toContain(`--set=${labels.full} --type=xid --target=${xid} --target-exclusive`);
  });

  it('refuses a target before the first backup with OUT_OF_WINDOW and the nearest valid times', async () => {
    const before = new Date(Date.parse(commits[0]!) - 3_600_000).toISOString();
    await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: before, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', hint: expect.stringContaining('earliest after it') });
  });

  it('prints pgBackRest\'s own whole-cluster restore with the backup Lifeboat chose', async () => {
    const between = midway(commits[1]!, commits[2]!);
    const view = await t.call('restore.commands', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } });
    const all = view.steps.flatMap((s) => s.commands).join('\n');
    expect(view.backupId).toBe(`shop:${labels.incr}`);
    expect(all).toContain(`--stanza=shop --config=${engine.config} restore --delta --set=${labels.incr} --type=time`);
    expect(all).toContain('--target-action=promote');
  });

  it("writes a runbook whose whole-cluster restore is pgBackRest's own, with the backup Lifeboat chose", async () => {
    const { content } = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'shop' }, format: 'md' });
    expect(content).toContain('Restore the whole cluster to a point in time (pgBackRest)');
    expect(content).toContain(`restore --delta --set=${labels.incr} --type=time '--target=<TARGET TIME`);
    expect(content).toContain('archived by pgBackRest (stanza shop)');
    expect(content).not.toContain('lifeboat backup-fetch');
  });

  it('verifies a backup with pgbackrest verify and keeps the outcome', async () => {
    const job = await finished(await t.call('backups.verify', { backupId: `shop:${labels.incr}` }));
    expect(job.error).toBeUndefined();
    const [incr, full] = await t.call('backups.list', { serviceId: 'shop' });
    expect(incr!.lastVerification).toMatchObject({ ok: true, detail: expect.stringContaining(`backup ${labels.incr} valid`) });
    expect(full!.lastVerification).toMatchObject({ ok: true });
  });

  it('drills a pgBackRest backup: RTO measured, pg_amcheck and the check queries recorded', async () => {
    const job = await finished(await t.call('drills.start', { serviceId: 'shop' }));
    expect(job.error).toBeUndefined();
    const [drill] = await t.call('drills.list', { serviceId: 'shop' });
    expect(drill).toMatchObject({ ok: true, backupId: `shop:${labels.incr}`, amcheck: { ok: true }, checks: [{ name: 'items exist', ok: true, value: 3 }] });
    expect(drill!.rtoMs).toBeGreaterThan(0);
    expect((await t.call('scratch.list', {})).filter((s) => s.purpose === 'drill')).toEqual([]);
  });

  it('shows the pgBackRest service beside a Lifeboat service on the fleet page and the dashboard', async () => {
    await cluster.query('create database shop_lifeboat');
    await t.call('services.add', { service: { id: 'shop-lifeboat', name: 'Shop (Lifeboat)', engine: 'postgres', connection: keychain(cluster.connection('shop_lifeboat')), policy: { rpo: '1h' } }, password: s.password });
    await t.call('repo.init', { path: join(t.dir, 'repo'), encrypt: false });
    const [logical] = await t.call('backups.start', { serviceIds: ['shop-lifeboat'], kind: 'logical' });
    expect((await finished(logical!)).error).toBeUndefined();
    const fleet = await t.call('monitoring.fleet', {});
    const rows = Object.fromEntries(fleet.services.map((s) => [s.serviceId, s]));
    expect(rows.shop).toMatchObject({ backup: { level: 'ok' }, rto: { level: 'ok' }, window: { to: expect.any(String) } });
    expect(Math.abs(Date.parse(rows.shop!.window!.to) - Date.parse(commits[2]!))).toBeLessThan(5);
    expect(rows['shop-lifeboat']).toMatchObject({ backup: { level: 'ok', lastGoodAt: expect.any(String) } });
    const dashboard = await t.call('monitoring.dashboard', {});
    expect(dashboard.services.map((s) => s.serviceId).sort()).toEqual(['shop', 'shop-lifeboat']);
    expect(dashboard.services.find((s) => s.serviceId === 'shop')!.backup.level).toBe('ok');
  });

  it("shows pgBackRest's own storage figures (info's backup sizes, repo-ls's archive) on the dashboard and in the fleet report", async () => {
    const dashboard = await t.call('monitoring.dashboard', {});
    const listing = JSON.parse(await engine.run(['repo-ls', 'archive/shop', '--recurse', '--output=json'])) as Record<string, { type: string; size?: number }>;
    // The archive's WAL files (segments, histories, backup labels), not pgBackRest's archive.info.
    const walBytes = Object.entries(listing).filter(([path, e]) => e.type === 'file' && !path.startsWith('archive.info')).reduce((n, [, e]) => n + e.size!, 0);
    const backupBytes = (await t.call('backups.list', { serviceId: 'shop' })).reduce((n, b) => n + b.storedBytes, 0);
    expect(walBytes).toBeGreaterThan(0);
    expect(dashboard.storage.find((x) => x.serviceId === 'shop')).toMatchObject({ storedBytes: backupBytes + walBytes, walBytes, growth7d: backupBytes + walBytes });
    const report = await t.call('runbooks.render', { document: { kind: 'report', days: 7 }, format: 'md' });
    const row = report.content.split('\n').find((l) => l.startsWith('| `shop` |') && l.endsWith('| pgBackRest stanza shop |'))!;
    expect(row.split('|').slice(1, -1).map((c) => c.trim())).toEqual(['`shop`', '2', formatBytes(backupBytes), formatBytes(walBytes), formatBytes(backupBytes + walBytes), formatBytes(backupBytes + walBytes), `${formatBytes((backupBytes + walBytes) / 7)}/day`, 'pgBackRest stanza shop']);
    expect(report.content).toContain('pgBackRest stanza shop (info of shop)');
    // Encryption is pgBackRest's: its repository has no cipher here, which the report now knows.
    expect(report.content).toContain('**medium** `shop`: backups are not encrypted');
  });

  it('names a segment missing from pgBackRest\'s archive as a gap and refuses a target inside it', async () => {
    const w0 = await t.call('window.get', { serviceId: 'shop' });
    // The segment holding row 2's commit: the last but one the window covers (row 3's is the last).
    const segments = (await engine.run(['repo-ls', 'archive/shop', '--recurse', '--output=json'])).match(/[0-9A-F]{24}(?=-[0-9a-f]{40})/g)!.sort();
    const victim = segments.at(-2)!;
    const file = await pgBackRestSegmentFile(engine.repo, 'shop', victim);
    await rename(file, `${file}.hidden`);
    try {
      const w = await t.call('window.get', { serviceId: 'shop' });
      expect(w0.gaps).toEqual([]);
      expect(w.gaps).toEqual([expect.objectContaining({ timeline: 1, firstMissing: victim, lastMissing: victim, segments: 1 })]);
      const between = midway(commits[1]!, commits[2]!);
      await expect(t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } })).rejects.toMatchObject({ code: 'OUT_OF_WINDOW', message: expect.stringContaining(victim) });
    } finally {
      await rename(`${file}.hidden`, file);
    }
  });

  it("fails a backup of a stanza pgBackRest does not know with pgBackRest's own ERROR line, classified, and a hint", async () => {
    await t.call('services.add', { service: { id: 'shop-typo', name: 'Shop (wrong stanza)', engine: 'postgres', connection: keychain(cluster.connection('shop')), policy: { engine: 'pgbackrest', pgbackrest: { stanza: 'shopp', config: engine.config, osUser: s.user.switched ? s.user.name : undefined } } }, password: s.password });
    const [job] = await t.call('backups.start', { serviceIds: ['shop-typo'], kind: 'physical', type: 'full' });
    const done = await finished(job!);
    expect(done.state).toBe('failed');
    // pgBackRest's own words: the config file has no section [shopp], so no pg1-path for it.
    expect(done.error).toEqual({ code: 'CONFIG_INVALID', message: 'pgBackRest: ERROR: [037]: backup command requires option: pg1-path', hint: expect.stringContaining('pgbackrest info lists the stanzas') });
    await expect(t.call('backups.list', { serviceId: 'shop-typo' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'pgBackRest: stanza shopp: missing stanza path.', hint: expect.stringContaining('"pgbackrest info" (the stanzas this config knows)') });
    await t.call('services.remove', { id: 'shop-typo' });
  });

  it('cancels a pgBackRest backup: the job is cancelled and no pgbackrest process is left', async () => {
    const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical', type: 'full' });
    await until('pgBackRest to start', async () => t.core.jobs.get(job!.id).state === 'running', 10_000);
    // Cancelled while pgbackrest runs (pgrep -f: only this test's config file names this stanza).
    await until('a pgbackrest process of this stanza', async () => spawnSync('pgrep', ['-f', `${engine.config}.* backup`]).status === 0, 10_000);
    await t.call('jobs.cancel', { id: job!.id });
    const done = await finished(job!);
    expect(done.state).toBe('cancelled');
    // pgrep -f: processes whose command line names this test's config file (only ours can).
    await until('no pgbackrest of this stanza left', async () => spawnSync('pgrep', ['-f', engine.config]).status === 1, 15_000);
  });

  it('plans pgBackRest\'s retention as a dry run, then applies it', async () => {
    // A second full backup under repo1-retention-full=2 keeps everything; a third expires the first set.
    await backup('full');
    await backup('full');
    const plan = await t.call('retention.plan', { serviceId: 'shop' });
    expect(plan.enginePolicy).toContain('repo-retention-full=2');
    expect(plan.remove.map((r) => r.id).sort()).toEqual([`shop:${labels.full}`, `shop:${labels.incr}`].sort());
    expect((await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id)).toContain(`shop:${labels.full}`);
    const applied = await t.call('retention.apply', { serviceId: 'shop' });
    expect(applied.remove).toHaveLength(2);
    const left = (await t.call('backups.list', { serviceId: 'shop' })).map((b) => b.id);
    expect(left).not.toContain(`shop:${labels.full}`);
    expect(left).toHaveLength(2);
  });
});
