// Finding the moment to restore to, against a real cluster: rows of orders committed in several transactions
// among unrelated traffic on customers, then (as the application's role) DROP TABLE orders, the table created
// again, TRUNCATE orders, and DELETE FROM orders WHERE id > 100. The archived WAL must give exactly those three
// transactions for orders (none for customers), with the xids, commit times and commit LSNs the server confirms
// (pg_xact_commit_timestamp, the LSNs around each commit), the dropped table named from the backup's catalog by
// its old relfilenode, the role from the server log; and a restore just before and just after each holds the rows
// that were there then.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/shared/domain';
import type { MomentFinding, MomentScanView } from '../../src/shared/findMoment';
import type { Job } from '../../src/shared/jobs';
import type { ScratchView } from '../../src/shared/recovery';
import { fetchWalFile } from '../../src/core/wal/walArchive';
import { formatLsn, parseLsn, segmentStart } from '../../src/core/wal/walNames';
import { readHeapRecords } from '../../src/core/findMoment/heapRecordReader';
import { startTestCore, type TestCore } from '../support/testCore';
import { idsIn, scratchQuery } from '../support/scratchQuery';
import { useCluster } from '../support/useCluster';
import { until } from '../support/until';
import { runCli } from '../support/runCli';
import { planPostgresScan } from '../../src/core/findMoment/postgresMoments';
import { scanWithWaldump } from '../../src/core/findMoment/waldumpScan';
import { momentLineSink } from '../../src/core/findMoment/momentLines';
import { TransactionLedger, type ClosedTransaction } from '../../src/core/findMoment/transactionLedger';

const password = `pw-${randomBytes(6).toString('hex')}`;
const appPassword = `app-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  settings: { track_commit_timestamp: true, logging_collector: true, log_directory: 'log', log_statement: 'mod', log_timezone: 'UTC', autovacuum: false },
  setup: async (c) => {
    await c.query(`create role app_owner login password '${appPassword}'`);
    await c.query('create database shop owner app_owner');
  },
});
const keychain = (c: Connection): Connection => ({ ...c, password: { kind: 'keychain' } });
let t: TestCore;

/** What the server says of one transaction the test ran: its id, commit time and the LSNs around its commit. */
interface Known {
  xid: string;
  commitTime: string;
  lsnBefore: string;
  lsnAfter: string;
}
let dropped: Known;
let truncated: Known;
let deleted: Known;
let oldOrdersFile: string;
let firstCommit: string;

async function asApp<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: 'app_owner', password: appPassword, database: 'shop' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs statements in one transaction as the application's role; the server's own account of it. */
async function transaction(sql: string): Promise<Known> {
  const lsn = async () => (await cluster.query<{ l: string }>('select pg_current_wal_insert_lsn()::text as l'))[0]!.l;
  const lsnBefore = await lsn();
  const xid = await asApp(async (c) => {
    await c.query('begin');
    const id = (await c.query<{ x: string }>('select txid_current()::text as x')).rows[0]!.x;
    await c.query(sql);
    await c.query('commit');
    return id;
  });
  const lsnAfter = await lsn();
  const [row] = await cluster.query<{ at: string }>(`select to_char(pg_xact_commit_timestamp('${xid}'::xid) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`);
  return { xid, commitTime: row!.at, lsnBefore, lsnAfter };
}

/** One row of customers changed per transaction: traffic that must never be a finding. */
async function unrelatedTraffic(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await cluster.query('update customers set visits = visits + 1 where id = $1', [i], 'shop');
  // Below the threshold of 100 rows, in one transaction.
  await cluster.query('update customers set visits = visits + 1 where id <= 40', [], 'shop');
}

async function finished(job: Job): Promise<Job> {
  const done = await t.core.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`${done.title}: ${done.state} ${JSON.stringify(done.error)}`);
  return done;
}

async function find(input: { table?: string; from?: string; to?: string } = {}): Promise<MomentScanView> {
  return (await finished(await t.call('findMoment.start', { serviceId: 'shop', ...input }))).result as MomentScanView;
}

async function restore(target: MomentFinding['before']): Promise<ScratchView> {
  if (target.engine !== 'postgres') throw new Error('a PostgreSQL target');
  return (await finished(await t.call('restore.pointInTime', { serviceId: 'shop', target: target.target }))).result as ScratchView;
}

async function ordersExists(s: ScratchView): Promise<boolean> {
  return (await scratchQuery<{ r: string | null }>(s, "select to_regclass('public.orders')::text as r"))[0]!.r !== null;
}

beforeAll(async () => {
  t = await startTestCore();
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: keychain(cluster.connection('shop')) }, password });
  await t.call('repo.init', { path: join(t.dir, 'repo'), encrypt: true });
  await asApp(async (c) => {
    await c.query('create table orders (id int primary key, note text)');
    await c.query('create table customers (id int primary key, visits int not null default 0)');
    await c.query('insert into customers select g, 0 from generate_series(1, 200) g');
  });
  await t.call('wal.start', { serviceId: 'shop' });
  await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  // Orders committed in several transactions, before and after the base backup.
  firstCommit = (await transaction("insert into orders select g, 'order ' || g from generate_series(1, 100) g")).commitTime;
  await unrelatedTraffic(5);
  await transaction("insert into orders select g, 'order ' || g from generate_series(101, 200) g");
  const [backup] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  await finished(backup!);
  await transaction("insert into orders select g, 'order ' || g from generate_series(201, 300) g");
  await unrelatedTraffic(5);
  oldOrdersFile = (await cluster.query<{ f: string }>("select format('%s/%s/%s', coalesce(nullif(reltablespace, 0), 1663), (select oid from pg_database where datname = 'shop'), pg_relation_filenode(oid)) as f from pg_class where relname = 'orders'", [], 'shop'))[0]!.f;

  dropped = await transaction('drop table orders');
  await unrelatedTraffic(5);
  // The same name again, with new files and new rows.
  await asApp((c) => c.query("create table orders (id int primary key, note text); insert into orders select g, 'again ' || g from generate_series(1, 250) g"));
  truncated = await transaction('truncate orders');
  await asApp((c) => c.query("insert into orders select g, 'third ' || g from generate_series(1, 250) g"));
  await unrelatedTraffic(5);
  deleted = await transaction('delete from orders where id > 100');
  await unrelatedTraffic(5);
  // A rewrite copies the rows into new files (heap inserts, read by Lifeboat's own record reader): no finding.
  await asApp((c) => c.query('alter table customers alter column visits type bigint'));
  const last = (await transaction('update customers set visits = 0 where id = 1')).commitTime;
  await cluster.query('select pg_switch_wal()');
  await until('WAL archived through the last commit', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(last)));
}, 180_000);

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
});

describe('find the moment', () => {
  let all: MomentScanView;

  it('finds exactly the DROP, the TRUNCATE and the DELETE of orders, with the xids, commit times and commit LSNs the server confirms', async () => {
    all = await find();
    expect(all.findings.map((f) => [f.action, f.xid])).toEqual([
      ['drop', dropped.xid],
      ['truncate', truncated.xid],
      ['delete', deleted.xid],
    ]);
    for (const [f, known] of [[all.findings[0]!, dropped], [all.findings[1]!, truncated], [all.findings[2]!, deleted]] as const) {
      expect(f.commitTime).toBe(known.commitTime);
      expect(parseLsn(f.lsn)).toBeGreaterThan(parseLsn(known.lsnBefore));
      expect(parseLsn(f.lsn)).toBeLessThan(parseLsn(known.lsnAfter));
      expect(f.database).toBe('shop');
      expect(f.relations.map((r) => r.name)).toEqual(['public.orders']);
      expect(f.before).toEqual({ engine: 'postgres', target: { kind: 'xid', xid: known.xid, inclusive: false, commitLsn: f.lsn } });
      expect(f.after).toEqual({ engine: 'postgres', target: { kind: 'xid', xid: known.xid, inclusive: true, commitLsn: f.lsn } });
    }
    expect(all.findings[2]!.relations[0]).toMatchObject({ action: 'delete', rowsDeleted: 150, rowsUpdated: 0 });
    expect(all.scanned.segments).toBeGreaterThan(0);
  });

  it('names the dropped table from the backup catalog by its old relfilenode, though a new orders has other files', async () => {
    const drop = all.findings[0]!;
    expect(drop.relations[0]).toMatchObject({ name: 'public.orders', file: oldOrdersFile, action: 'drop' });
    expect(drop.relations[0]!.namedBy).toMatch(/^the catalog of backup shop-/);
    const [live] = await cluster.query<{ f: string }>("select pg_relation_filenode('orders')::text as f", [], 'shop');
    expect(oldOrdersFile.endsWith(`/${live!.f}`)).toBe(false);
    expect(drop.evidence.join(' ')).toContain(oldOrdersFile);
  });

  it('names the role that ran each statement from the server log', async () => {
    for (const f of all.findings) expect(f.role.name, f.role.source).toBe('app_owner');
    expect(all.findings[0]!.role.line).toMatch(/drop table orders/);
  });

  it('finds nothing for the unrelated table, and only the DROP in a range around it', async () => {
    expect((await find({ table: 'customers' })).findings).toEqual([]);
    const around = await find({ table: 'orders', from: firstCommit, to: new Date(Date.parse(dropped.commitTime) + 1).toISOString() });
    expect(around.findings.map((f) => f.xid)).toEqual([dropped.xid]);
  });

  it('prints each finding with its evidence and the commands that restore around it (lifeboat find)', async () => {
    const cli = await runCli(['find', 'shop', '--table', 'orders', '--config', t.configPath, '--data-dir', t.dataDir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/DROP +public\.orders +- +\d+ /);
    expect(cli.stdout).toContain(`restore to just before it: lifeboat pitr shop --before-xid ${dropped.xid} --commit-lsn ${all.findings[0]!.lsn}`);
    expect(cli.stdout).toContain(`restore to just after it:  lifeboat pitr shop --after-xid ${deleted.xid} --commit-lsn ${all.findings[2]!.lsn}`);
    expect(cli.stdout).toContain('role: app_owner');
  });

  it('restores to just before the DROP with every row of orders, and just after it without the table', async () => {
    const before = await restore(all.findings[0]!.before);
    expect(before.reached?.detail).toContain(`stopped before the commit of transaction ${dropped.xid}`);
    expect(await idsIn(before, 'orders')).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const after = await restore(all.findings[0]!.after);
    expect(after.reached?.detail).toContain(`stopped after the commit of transaction ${dropped.xid}`);
    expect(await ordersExists(after)).toBe(false);
  });

  it('restores to just before the TRUNCATE with the re-created rows', async () => {
    const before = await restore(all.findings[1]!.before);
    expect(await idsIn(before, 'orders')).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('restores to just before the DELETE with all 250 rows, and just after it with the first 100', async () => {
    expect(await idsIn(await restore(all.findings[2]!.before), 'orders')).toHaveLength(250);
    expect(await idsIn(await restore(all.findings[2]!.after), 'orders')).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('restores to a bare transaction id from the CLI (pitr --before-xid), finding its commit itself', async () => {
    const cli = await runCli(['pitr', 'shop', '--before-xid', deleted.xid, '--json', '--config', t.configPath, '--data-dir', t.dataDir]);
    expect(cli.code, cli.stderr).toBe(0);
    const job = JSON.parse(cli.stdout) as Job;
    const scratch = job.result as ScratchView;
    expect(scratch.target).toContain(`transaction ${deleted.xid}`);
    expect(await idsIn(scratch, 'orders')).toHaveLength(250);
  });

  it("runs the README's three commands: find, restore to just before the DROP, copy the database back beside production", async () => {
    const cli = (args: string[]) => runCli([...args, '--config', t.configPath, '--data-dir', t.dataDir]);
    const found = await cli(['find', 'shop', '--table', 'orders']);
    expect(found.code, found.stderr).toBe(0);
    // The command the finding prints, run as printed.
    const before = /restore to just before it: lifeboat (pitr shop --before-xid \d+ --commit-lsn \S+)/.exec(found.stdout)![1]!.split(' ');
    expect(before).toEqual(['pitr', 'shop', '--before-xid', dropped.xid, '--commit-lsn', all.findings[0]!.lsn]);
    const restored = await cli([...before, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    const scratch = (JSON.parse(restored.stdout) as Job).result as ScratchView;
    const copied = await cli(['scratch', 'copy', scratch.id, 'shop', '--to', 'shop', '--as', 'shop_before_drop']);
    expect(copied.code, copied.stderr).toBe(0);
    // Production now holds, beside shop, a copy with every row orders had before the DROP.
    const rows = await cluster.query<{ id: number }>('select id from orders order by id', [], 'shop_before_drop');
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect((await cluster.query<{ r: string | null }>("select to_regclass('public.orders')::text as r", [], 'shop'))[0]!.r).toBe('orders');
  });

  it('prints the whole-cluster restore to just before a transaction with recovery_target_xid', async () => {
    const view = await t.call('restore.commands', { serviceId: 'shop', target: { kind: 'xid', xid: dropped.xid, inclusive: false } });
    const text = view.steps.flatMap((s) => s.commands).join('\n');
    expect(text).toContain(`recovery_target_xid = '${dropped.xid}'`);
    expect(text).toContain('recovery_target_inclusive = off');
  });

  it('lists the tables to pick from', async () => {
    const tables = await t.call('findMoment.tables', { serviceId: 'shop' });
    expect(tables.filter((x) => x.database === 'shop').map((x) => [x.name, x.live])).toEqual([
      ['public.customers', true],
      ['public.orders', true],
    ]);
  });

  it('counts every row of a DELETE spread over several segments once, each segment read by its own pg_waldump', async () => {
    await asApp((c) => c.query("create table bulk (id int primary key, pad text); insert into bulk select g, 'x' from generate_series(1, 600000) g"));
    const bulk = await transaction('delete from bulk');
    await cluster.query('select pg_switch_wal()');
    await until('WAL archived through the DELETE', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(bulk.commitTime)));
    const repo = await t.core.access.repositoryFor(t.core.access.requireService('shop'));
    const { plan } = await planPostgresScan(repo, 'shop', { from: deleted.commitTime, to: bulk.commitTime, minRows: 100 });
    const closed: ClosedTransaction[] = [];
    const ledger = new TransactionLedger(100, (x) => closed.push(x));
    const progress: number[] = [];
    const scanned = await scanWithWaldump({
      ctx: { jobId: 'test', signal: new AbortController().signal, progress: (p) => p.done !== undefined && progress.push(p.done), claimPartialOutput: async () => undefined },
      repo,
      serviceId: 'shop',
      key: await t.core.access.keyOf(repo),
      runs: plan.runs,
      pgWaldump: `${cluster.binaries.dir}/pg_waldump`,
      filters: ['--rmgr=Transaction', '--rmgr=Heap', '--rmgr=Storage', '--rmgr=XLOG'],
      workDir: join(t.dataDir, 'tmp'),
      onLine: momentLineSink(ledger),
      batchSegments: 1,
    });
    expect(plan.runs.flatMap((r) => r.segments).length).toBeGreaterThanOrEqual(3);
    const row = closed.find((x) => String(x.xid) === bulk.xid)!;
    expect([...row.rows.values()]).toEqual([{ deleted: 600000, updated: 0 }]);
    expect(scanned.segments).toBe(plan.runs.flatMap((r) => r.segments).length);
    expect(progress.at(-1)).toBe(scanned.bytes);
  });
  it("reads the same heap records from the archived segments as pg_waldump --rmgr=Heap prints (Lifeboat's own reader)", async () => {
    const repo = await t.core.access.repositoryFor(t.core.access.requireService('shop'));
    const { plan } = await planPostgresScan(repo, 'shop', { from: firstCommit, to: new Date().toISOString(), minRows: 100 });
    const segments = plan.runs[0]!.segments;
    const dir = await mkdtemp(join(t.dir, 'plain-'));
    for (const seg of segments) await fetchWalFile(repo, 'shop', seg.name, join(dir, seg.name), await t.core.access.keyOf(repo));
    const kinds = ['INSERT', 'DELETE', 'UPDATE', 'TRUNCATE'];
    // As pg_waldump prints LSNs: %X/%08X.
    const printedLsn = (lsn: number) => `${Math.floor(lsn / 2 ** 32).toString(16).toUpperCase()}/${(lsn % 2 ** 32).toString(16).toUpperCase().padStart(8, '0')}`;
    // Two batches, as the search reads them: each gets its own segments and the next one.
    const half = Math.ceil(segments.length / 2);
    const mine: string[] = [];
    for (const [first, own] of [[0, half], [half, segments.length - half]] as const) {
      const bytes = await Promise.all(segments.slice(first, first + own + 1).map((seg) => readFile(join(dir, seg.name))));
      const e = readHeapRecords(bytes, own, segments[first]!.segNo);
      for (let i = 0; i < e.count; i++) mine.push(`${printedLsn(e.lsn[i]!)} ${e.xid[i]} ${kinds[e.kind[i]!]} ${e.keys[e.keyIndex[i]!]} ${e.block[i]}`);
    }
    const end = formatLsn(segmentStart(segments.at(-1)!.segNo + 1));
    const printed = await new Promise<string>((resolve) =>
      execFile(`${cluster.binaries.dir}/pg_waldump`, ['--path', dir, '--start', formatLsn(segmentStart(segments[0]!.segNo)), '--end', end, '--rmgr=Heap'], { maxBuffer: 1 << 30 }, (_err, stdout) => resolve(stdout)),
    );
    const theirs: string[] = [];
    for (const line of printed.split('\n')) {
      const m = /tx:\s+(\d+), lsn: ([0-9A-F/]+), prev [0-9A-F/]+, desc: (INSERT|DELETE|UPDATE|HOT_UPDATE)(?:\+INIT)? .*?blkref #0: rel (\d+\/\d+\/\d+),? blk (\d+)/.exec(line);
      if (m) theirs.push(`${m[2]} ${m[1]} ${m[3] === 'HOT_UPDATE' ? 'UPDATE' : m[3]} ${m[4]} ${m[5]}`);
    }
    // The 600,000-row DELETE alone is that many records: the reader misses none and invents none.
    expect(theirs.length).toBeGreaterThan(600000);
    expect(mine).toEqual(theirs);
  });
});
