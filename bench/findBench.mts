// "Find the moment" against pg_waldump alone: 1 GB of archived WAL (64+ full segments of pgbench traffic, then
// DROP TABLE orders) read by Lifeboat's find job (decrypt and inflate from the encrypted repository into a
// private folder, pg_waldump on commits, created files and page images while Lifeboat reads the heap records
// itself, the findings built, the table named) and by pg_waldump alone on the same segments already plain on
// disk: with the resource managers that hold the answer (Transaction, Heap, Storage, XLOG: what pg_waldump alone
// must print to answer the question, the target's baseline), with the find's own narrower filters (its
// pg_waldump share), and without filters (what a DBA would run by hand). Alternating rounds, medians and ratios,
// the load average beside them (other work on the machine slows every side); the find must return exactly the
// DROP. BENCH_SEGMENTS (64), BENCH_ROUNDS (5), BENCH_SCALE (10).
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MomentScanView } from '../src/shared/findMoment';
import { planPostgresScan } from '../src/core/findMoment/postgresMoments';
import { momentFilters } from '../src/core/findMoment/waldumpTool';
import { fetchWalFile } from '../src/core/wal/walArchive';
import { formatLsn, segmentStart } from '../src/core/wal/walNames';
import { startCluster } from '../test/support/pgCluster';
import { startTestCore } from '../test/support/testCore';

const run = promisify(execFile);
const segmentsWanted = Number(process.env.BENCH_SEGMENTS ?? 64);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
/** What pg_waldump alone must print to answer the question: commits, heap row changes, created files, page images. */
const QUESTION_FILTERS = ['--rmgr=Transaction', '--rmgr=Heap', '--rmgr=Storage', '--rmgr=XLOG'];
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
/**
 * CPU seconds used so far by this process (its threads: the find's core runs here) and its reaped children
 * (every pg_waldump, the find's and the bench's own): utime, stime, cutime and cstime of /proc/self/stat, in
 * clock ticks of 1/100 s. Unlike the wall clock, it does not grow when other work on the machine takes the cores.
 */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}
/** Wall and CPU seconds of some work. */
async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; cpu: number; value: T }> {
  const [wall, cpu] = [performance.now(), cpuSeconds()];
  const value = await work();
  return { seconds: (performance.now() - wall) / 1000, cpu: cpuSeconds() - cpu, value };
}
const scale = process.env.BENCH_SCALE ?? '10';
const password = 'bench';
const root = await mkdtemp(join(tmpdir(), 'lifeboat-fbench-'));
await chmod(root, 0o755);
// fsync and synchronous_commit off: the WAL is the same, it is only written sooner.
const cluster = await startCluster({ superuserPassword: password, settings: { max_wal_size: '4GB', fsync: false, synchronous_commit: false, autovacuum: false } });
const t = await startTestCore(await mkdtemp(join(root, 'core-')));
try {
  const bin = cluster.binaries.dir;
  const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres' };
  await cluster.query('create database shop');
  await run(join(bin, 'pgbench'), ['-i', '-q', '-s', scale, 'shop'], { env });
  await cluster.query("create table orders (id int primary key, note text); insert into orders select g, 'order ' || g from generate_series(1, 10000) g", [], 'shop');
  await t.call('repo.init', { path: join(root, 'repo'), encrypt: true });
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await t.call('wal.start', { serviceId: 'shop' });
  for (let i = 0; i < 100 && !(await t.call('wal.status', { serviceId: 'shop' })).slot?.active; i++) await new Promise((r) => setTimeout(r, 200));
  const [b] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  if ((await t.core.jobs.wait(b!.id)).state !== 'succeeded') throw new Error('backup failed');

  const lsn = async () => BigInt((await cluster.query<{ n: string }>("select (pg_current_wal_lsn() - '0/0')::text as n"))[0]!.n);
  const from = await lsn();
  const startedAt = (await cluster.query<{ t: string }>("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as t"))[0]!.t;
  console.log(`Writing ${segmentsWanted} full WAL segments of pgbench traffic (scale ${scale}), then DROP TABLE orders...`);
  const writing = performance.now();
  while ((await lsn()) - from < BigInt(segmentsWanted) * (16n << 20n)) await run(join(bin, 'pgbench'), ['-n', '-T', '5', '-c', '4', '-j', '2', 'shop'], { env });
  await cluster.query('drop table orders', [], 'shop');
  await cluster.query('select pg_switch_wal()');
  const lastCommit = (await cluster.query<{ t: string }>("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as t"))[0]!.t;
  for (let i = 0; i < 1200; i++) {
    const w = await t.call('window.get', { serviceId: 'shop' });
    if (w.intervals.some((iv) => Date.parse(iv.to) >= Date.parse(lastCommit) - 1000)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await t.call('wal.stop', { serviceId: 'shop' });
  console.log(`  written in ${((performance.now() - writing) / 1000).toFixed(0)} s`);

  // The segments the find reads, plain on disk for pg_waldump alone (preparing them is not timed).
  const repo = await t.core.access.repositoryFor(t.core.access.requireService('shop'));
  const key = await t.core.access.keyOf(repo);
  const range = { from: startedAt, to: new Date(Date.parse(lastCommit) + 1000).toISOString(), minRows: 100 };
  const { plan } = await planPostgresScan(repo, 'shop', range);
  if (plan.runs.length !== 1) throw new Error(`expected one run of segments, got ${plan.runs.length}`);
  const segments = plan.runs[0]!.segments;
  const plain = join(root, 'plain');
  await mkdir(plain, { mode: 0o700 });
  for (const s of segments) await fetchWalFile(repo, 'shop', s.name, join(plain, s.name), key);
  const bytes = segments.reduce((n, s) => n + s.bytes, 0);
  const pgWaldump = join(bin, 'pg_waldump');
  const waldumpArgs = ['--path', plain, '--timeline', String(plan.runs[0]!.timeline), '--start', formatLsn(segmentStart(segments[0]!.segNo)), '--end', formatLsn(segmentStart(segments.at(-1)!.segNo + 1))];
  console.log(`Range ${range.from} .. ${range.to}: ${segments.length} segments, ${(bytes / 2 ** 30).toFixed(2)} GiB`);

  /** pg_waldump alone, its output read and thrown away by a pipe (as the find reads it), or sent to /dev/null. */
  async function waldumpAlone(filters: string[]): Promise<{ seconds: number; cpu: number }> {
    return timed(
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(pgWaldump, [...waldumpArgs, ...filters], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
          child.stdout.on('data', () => undefined);
          child.on('error', reject);
          child.on('close', () => resolve());
        }),
    );
  }

  async function find(): Promise<{ seconds: number; cpu: number; view: MomentScanView }> {
    // Where the time goes: each new phase (the segment counts stripped) with its start.
    const phases: Array<{ at: number; phase: string }> = [];
    const stopWatching = t.core.events.subscribe((name, payload) => {
      const phase = name === 'job.changed' ? (payload as { progress?: { phase?: string } }).progress?.phase?.replace(/: \d+ of \d+ segments.*$/, '') : undefined;
      if (phase && phases.at(-1)?.phase !== phase) phases.push({ at: performance.now(), phase });
    });
    const started = performance.now();
    const { value: job, seconds, cpu } = await timed(async () => t.core.jobs.wait((await t.call('findMoment.start', { serviceId: 'shop', ...range })).id));
    stopWatching();
    if (process.env.BENCH_PHASES) console.log(`  find ${seconds.toFixed(2)} s: ${phases.map((p) => `+${((p.at - started) / 1000).toFixed(2)} ${p.phase.slice(0, 60)}`).join(', ')}`);
    if (job.state !== 'succeeded') throw new Error(`find failed: ${job.error?.message}`);
    return { seconds, cpu, view: job.result as MomentScanView };
  }

  // Once first: the backup's catalog is read (a scratch restore) and kept; the rounds time the scan.
  const first = await find();
  console.log(`First find (reads the backup's catalog once): ${first.seconds.toFixed(2)} s`);
  const found = first.view.findings.map((f) => `${f.action} ${f.relations.map((r) => r.name).join(',')}`);
  if (found.join('; ') !== 'drop public.orders') throw new Error(`expected exactly the DROP of orders, found: ${found.join('; ') || 'nothing'}`);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  type Timing = { seconds: number; cpu: number };
  const lb: Timing[] = [];
  const filtered: Timing[] = [];
  const ownShare: Timing[] = [];
  const unfiltered: Timing[] = [];
  const loadBefore = load();
  for (let round = 1; round <= rounds; round++) {
    filtered.push(await waldumpAlone(QUESTION_FILTERS));
    const f = await find();
    if (f.view.findings.length !== 1) throw new Error(`round ${round}: expected the DROP only, found ${f.view.findings.length}`);
    lb.push(f);
    ownShare.push(await waldumpAlone(momentFilters(15)));
    unfiltered.push(await waldumpAlone([]));
    const show = (x: Timing) => `${x.seconds.toFixed(2)} s (CPU ${x.cpu.toFixed(2)} s)`;
    console.log(`round ${round} of ${rounds} (load ${load()}): pg_waldump question filters ${show(filtered.at(-1)!)}, Lifeboat find ${show(lb.at(-1)!)}, pg_waldump find's own filters ${show(ownShare.at(-1)!)}, pg_waldump unfiltered ${show(unfiltered.at(-1)!)}`);
  }
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  const rate = (s: number) => `${(bytes / 2 ** 20 / s).toFixed(0)} MiB/s`;
  const wall = (xs: Timing[]) => xs.map((x) => x.seconds);
  const cpu = (xs: Timing[]) => xs.map((x) => x.cpu);
  console.log(`\nLoad average (1, 5, 15 min) before the rounds ${loadBefore}, after ${load()}, on ${availableParallelism()} cores.`);
  console.log(`${`scan of ${segments.length} segments (${(bytes / 2 ** 30).toFixed(2)} GiB), median of ${rounds} alternating rounds`.padEnd(82)}  seconds  rate        CPU s  rounds (wall)`);
  console.log(`${'-'.repeat(82)}  -------  ----------  -----  -------------`);
  const row = (label: string, xs: Timing[]) => console.log(`${label.padEnd(82)}  ${median(wall(xs)).toFixed(2).padStart(7)}  ${rate(median(wall(xs))).padEnd(10)}  ${median(cpu(xs)).toFixed(2).padStart(5)}  ${list(wall(xs))}`);
  row('pg_waldump alone, plain segments, Transaction+Heap+Storage+XLOG, output piped', filtered);
  row("pg_waldump alone, plain segments, the find's own --rmgr filters, output piped", ownShare);
  row('pg_waldump alone, plain segments, every record, output piped', unfiltered);
  row('Lifeboat find (encrypted repository: decrypt, inflate, pg_waldump + heap reader)', lb);
  const paired = (of: (xs: Timing[]) => number[], base: Timing[]) => median(of(lb).map((x, i) => x / of(base)[i]!));
  const ratios = (base: Timing[]) =>
    `wall ${(median(wall(lb)) / median(wall(base))).toFixed(2)}x / ${paired(wall, base).toFixed(2)}x, CPU ${(median(cpu(lb)) / median(cpu(base))).toFixed(2)}x / ${paired(cpu, base).toFixed(2)}x`;
  console.log(`\nRatio Lifeboat / pg_waldump alone, as ratio of the medians / median of the round-by-round ratios (target <= 1.5x);`);
  console.log(`CPU counts every thread and child process (this process and its pg_waldump), so other work on the machine does not change it:`);
  console.log(`  the question's records (Transaction, Heap, Storage, XLOG): ${ratios(filtered)}`);
  console.log(`  the find's own filters (its pg_waldump share only): ${ratios(ownShare)}`);
  console.log(`  every record: ${ratios(unfiltered)}`);
} finally {
  await t.close();
  await cluster.stop();
  await rm(root, { recursive: true, force: true });
}
