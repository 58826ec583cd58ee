// `npm run bench`: Lifeboat's PostgreSQL backups against the raw tools, in one run, on the same cluster.
// Two databases of about the same size: pgbench (scale 50, very compressible) and a table of random bytes
// (incompressible). Prints wall time and output size of each, and Lifeboat's ratios to the raw tools.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCluster } from '../test/support/pgCluster';
import { startTestCore } from '../test/support/testCore';

const run = promisify(execFile);
const scale = Number(process.env.BENCH_SCALE ?? 50);
// Physical rounds are short and the machine's speed drifts, so they get more rounds than the logical ones.
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const physicalRepeats = Number(process.env.BENCH_PHYSICAL_REPEATS ?? 5);

async function dirSize(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await dirSize(join(path, entry));
  return total;
}

interface Method {
  label: string;
  /** Runs once into `out`; returns where the output is when it is not `out` itself. */
  run: (out: string) => Promise<string | void>;
}
interface Measured {
  label: string;
  /** Median of the rounds: what a user would see; the best round is printed beside it. */
  seconds: number;
  best: number;
  bytes: number;
  /** Every round's time, in order: round i of each method ran back to back. */
  times: number[];
}

/** Alternating rounds (A, B, C, A, B, C, ...): a slow moment on the machine hits every method, not one. */
async function compare(methods: Method[], rounds = repeats): Promise<Measured[]> {
  const times = methods.map(() => [] as number[]);
  const bytes = methods.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [i, m] of methods.entries()) {
      const out = await mkdtemp(join(scratch, 'out-'));
      await run('sync');
      const started = performance.now();
      const measured = (await m.run(out)) ?? out;
      times[i]!.push((performance.now() - started) / 1000);
      bytes[i] = await dirSize(measured);
      await rm(out, { recursive: true, force: true });
    }
  }
  return methods.map((m, i) => ({ label: m.label, seconds: median(times[i]!), best: Math.min(...times[i]!), bytes: bytes[i]!, times: times[i]! }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The median of round-by-round ratios: each pair ran back to back, so a slow minute hits both. */
const pairedRatio = (a: Measured, b: Measured) => median(a.times.map((t, i) => t / b.times[i]!));

const scratch = await mkdtemp(join(tmpdir(), 'lifeboat-bench-'));
const password = 'bench';
const rows: string[][] = [];
/** Ratio of the medians, and the median of the round-by-round ratios. */
const results: Record<string, [number, number]> = {};
const line = (dataset: string, what: string, r: Measured, base?: Measured, base2?: Measured) =>
  rows.push([dataset, what, r.seconds.toFixed(2), r.best.toFixed(2), (r.bytes / 1048576).toFixed(1), base ? (r.seconds / base.seconds).toFixed(2) + 'x' : '', base2 ? (r.seconds / base2.seconds).toFixed(2) + 'x' : '', base ? (r.bytes / base.bytes).toFixed(3) : '']);

/** One cluster per dataset, so each physical backup measures that data alone. */
async function measure(dataset: 'pgbench' | 'entropy'): Promise<void> {
  console.log(`Preparing ${dataset}...`);
  const cluster = await startCluster({ superuserPassword: password, settings: { max_wal_size: '4GB', checkpoint_timeout: '30min' } });
  try {
    const bin = cluster.binaries.dir;
    const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres' };
    await cluster.query(`create database ${dataset}`);
    if (dataset === 'pgbench') await run(join(bin, 'pgbench'), ['-i', '-q', '-s', String(scale), 'pgbench'], { env, maxBuffer: 1 << 26 });
    else {
      // About the size of pgbench at this scale (15 MB per scale unit): 8 KiB of random bytes per row,
      // stored uncompressed (pglz gives up on random data).
      const rows8k = Math.ceil((scale * 15.1 * 1048576) / 8192);
      await cluster.query('create extension if not exists pgcrypto', [], 'entropy');
      await cluster.query(`create table noise (id int, payload bytea); alter table noise alter column payload set storage external;
        insert into noise select g, gen_random_bytes(1024) || gen_random_bytes(1024) || gen_random_bytes(1024) || gen_random_bytes(1024)
          || gen_random_bytes(1024) || gen_random_bytes(1024) || gen_random_bytes(1024) || gen_random_bytes(1024)
        from generate_series(1, ${rows8k}) g`, [], 'entropy');
    }
    await cluster.query('checkpoint');
    const [{ size }] = (await cluster.query<{ size: string }>(`select pg_size_pretty(pg_database_size('${dataset}')) as size`)) as [{ size: string }];
    console.log(`  ${dataset}: ${size}`);

    const t = await startTestCore(await mkdtemp(join(scratch, 'core-')));
    await t.call('repo.init', { path: join(scratch, `repo-${dataset}`), encrypt: true });
    await t.call('services.add', { service: { id: dataset, name: dataset, engine: 'postgres', connection: { ...cluster.connection(dataset), password: { kind: 'keychain' } } }, password });
    const lifeboat = (kind: 'physical' | 'logical') => async () => {
      const [job] = await t.call('backups.start', { serviceIds: [dataset], kind, compression: 'zstd' });
      const done = await t.core.jobs.wait(job!.id);
      if (done.state !== 'succeeded') throw new Error(`${kind} backup failed: ${done.error?.message}`);
      return join(scratch, `repo-${dataset}`, dataset, 'backups', (done.result as { backupId: string }).backupId);
    };

    const [rawTar, rawZstd, lbPhysical] = (await compare([
      { label: 'pg_basebackup -Ft', run: (out) => run(join(bin, 'pg_basebackup'), ['-D', out, '-Ft', '-X', 'fetch', '-c', 'fast'], { env }).then(() => undefined) },
      { label: 'pg_basebackup --compress=client-zstd', run: (out) => run(join(bin, 'pg_basebackup'), ['-D', out, '-Ft', '-X', 'fetch', '-c', 'fast', '--compress=client-zstd'], { env }).then(() => undefined) },
      { label: 'Lifeboat physical (zstd + AES-256-GCM + SHA-256)', run: lifeboat('physical') },
    ], physicalRepeats)) as [Measured, Measured, Measured];
    line(dataset, rawTar.label, rawTar);
    line(dataset, rawZstd.label, rawZstd, rawTar);
    line(dataset, lbPhysical.label, lbPhysical, rawTar, rawZstd);
    results[`${dataset} physical vs client-zstd`] = [lbPhysical.seconds / rawZstd.seconds, pairedRatio(lbPhysical, rawZstd)];

    const [rawDump, lbLogical] = (await compare([
      { label: 'pg_dump -Fc', run: (out) => run(join(bin, 'pg_dump'), ['-Fc', '-f', join(out, 'dump'), dataset], { env }).then(() => undefined) },
      { label: 'Lifeboat logical (pg_dump + zstd + AES-256-GCM + SHA-256)', run: lifeboat('logical') },
    ])) as [Measured, Measured];
    line(dataset, rawDump.label, rawDump);
    line(dataset, lbLogical.label, lbLogical, rawDump);
    results[`${dataset} logical vs pg_dump -Fc`] = [lbLogical.seconds / rawDump.seconds, pairedRatio(lbLogical, rawDump)];
    await t.close();
  } finally {
    await cluster.stop();
  }
}

try {
  console.log(`Scale ${scale}; ${physicalRepeats} alternating rounds for physical backups, ${repeats} for logical ones.`);
  await measure('pgbench');
  await measure('entropy');
  const headers = ['dataset', 'method', 'median s', 'best s', 'MiB', 'time vs raw', 'time vs zstd', 'size vs raw'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('\n' + fmt(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
  console.log('\nRatios, as ratio of the medians / median of the round-by-round ratios');
  console.log('(target for physical: <= 1.10x pg_basebackup --compress=client-zstd, encryption on):');
  for (const [k, [ofMedians, paired]] of Object.entries(results)) console.log(`  ${k}: ${ofMedians.toFixed(2)}x / ${paired.toFixed(2)}x`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
