// `npm run bench:objectstore`: the same physical backup of one cluster into a local folder repository, into
// Azure Blob (Azurite) and into S3 (Ceph radosgw), then a scratch restore from each, in alternating rounds,
// with the object stores' ratios to the folder (issue 17's target: <= 1.2x for both). Same compression
// (zstd) and encryption (AES-256-GCM) everywhere. When a target is missed, it prints where the time went:
// each job's phases, and the store alone (random bytes put and got at several part sizes and concurrencies).
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { AzureBlobStore } from '../src/core/repository/store/azureBlobStore';
import { PosixStore } from '../src/core/repository/store/posixStore';
import type { RepositoryStore } from '../src/core/repository/store/repositoryStore';
import { S3Store } from '../src/core/repository/store/s3Store';
import type { Job } from '../src/shared/jobs';
import type { ScratchView } from '../src/shared/recovery';
import type { RepositoryCredentialsInput } from '../src/shared/repositoryCredentials';
import { startAzurite } from '../test/support/azurite';
import { startCluster } from '../test/support/pgCluster';
import { radosgwMissing, startRadosgw } from '../test/support/radosgw';
import { startTestCore, type TestCore } from '../test/support/testCore';

const run = promisify(execFile);
// pgbench compresses about 20:1: scale 30 (456 MB) is a stored backup of 23 MB. radosgw keeps every round's
// backup in memory, so the data stays modest (BENCH_SCALE=100 stores 75 MB a round).
const scale = Number(process.env.BENCH_SCALE ?? 30);
// A backup here takes about a second and this machine's speed drifts within minutes: eleven rounds (seven
// for restores) keep one slow minute from moving a median.
const backupRounds = Number(process.env.BENCH_BACKUP_ROUNDS ?? 11);
const restoreRounds = Number(process.env.BENCH_RESTORE_ROUNDS ?? 7);
const TARGET = 1.2;
const password = 'bench';
const SERVICE = 'pgbench';

const missing = radosgwMissing();
if (missing) throw new Error(`The S3 side of this bench runs on Ceph's radosgw: ${missing}`);

interface Target {
  label: 'folder' | 'azure' | 's3';
  core: TestCore;
  backupIds: string[];
  /** The object server's temp folder, in its daemons' command lines: how their CPU time is found. */
  serverFolder?: string;
}
interface Timed {
  seconds: number;
  /** Seconds per phase of the job, in the order they came. */
  phases: Array<[string, number]>;
  job: Job;
  /** CPU seconds during the job: this process (the core: hashing, encryption, the SDK) and the object server. */
  ownCpu?: number;
  serverCpu?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
/** A phase's name without what changes from job to job (LSNs, targets, counts). */
const phaseName = (phase: string) => phase.split(/[:;]| to | up to /)[0]!.trim();

/** Runs one job and times it, with the time spent in each of its progress phases. */
async function timedJob(t: TestCore, start: () => Promise<Job>): Promise<Timed> {
  const marks: Array<{ at: number; phase: string }> = [];
  let jobId: string | undefined;
  const early: Array<{ at: number; id: string; phase: string }> = [];
  const stopWatching = t.core.events.subscribe((name, payload) => {
    if (name !== 'job.changed') return;
    const job = payload as Job;
    const phase = job.progress?.phase ? phaseName(job.progress.phase) : undefined;
    if (!phase) return;
    if (!jobId) early.push({ at: performance.now(), id: job.id, phase });
    else if (job.id === jobId && marks.at(-1)?.phase !== phase) marks.push({ at: performance.now(), phase });
  });
  const started = performance.now();
  try {
    const job = await start();
    jobId = job.id;
    for (const e of early) if (e.id === jobId && marks.at(-1)?.phase !== e.phase) marks.push({ at: e.at, phase: e.phase });
    const done = await t.core.jobs.wait(job.id);
    const ended = performance.now();
    if (done.state !== 'succeeded') throw new Error(`${done.title} failed: ${done.error?.code} ${done.error?.message}`);
    const phases: Array<[string, number]> = marks.map((m, i) => [m.phase, ((marks[i + 1]?.at ?? ended) - m.at) / 1000]);
    if (marks[0]) phases.unshift(['(the call, before its job starts)', (marks[0].at - started) / 1000]);
    return { seconds: (ended - started) / 1000, phases, job: done };
  } finally {
    stopWatching();
  }
}

/** CPU seconds used so far by the processes whose command line names folder (the object server's daemons). */
function serverCpuSeconds(folder: string | undefined): number {
  if (!folder) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      // Named in its command line (radosgw's daemons) or run in it (Azurite in memory has no --location).
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder) && readlinkSync(`/proc/${pid}/cwd`) !== folder) continue;
      // utime and stime, fields 14 and 15, counted after the command name's closing parenthesis.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100;
}

/** Alternating rounds (folder, azure, s3, folder, ...): a slow minute on a shared machine hits every store. */
async function alternate(targets: Target[], rounds: number, once: (target: Target, round: number) => Promise<Timed>): Promise<Map<Target, Timed[]>> {
  const out = new Map(targets.map((x) => [x, [] as Timed[]]));
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    // Each round starts at another repository: what one job leaves behind (dirty pages, a server's
    // compaction, the allocator's state) falls on a different one each round, not always on the same.
    const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]!);
    for (const target of order) {
      await run('sync');
      // The server's CPU first: reading /proc is this process's own work, not the job's.
      const server = serverCpuSeconds(target.serverFolder);
      const own = process.cpuUsage();
      const timed = await once(target, round);
      const used = process.cpuUsage(own);
      timed.ownCpu = (used.user + used.system) / 1e6;
      timed.serverCpu = serverCpuSeconds(target.serverFolder) - server;
      out.get(target)!.push(timed);
      line.push(`${target.label} ${timed.seconds.toFixed(2)} s`);
    }
    console.log(`  round ${round}/${rounds}: ${line.join(', ')}  (load ${load()})`);
  }
  return out;
}

const scratch = await mkdtemp(join(tmpdir(), 'lifeboat-osbench-'));
const cleanups: Array<() => Promise<unknown>> = [];
const rows: string[][] = [];
const verdicts: string[] = [];
let missed = false;

/** One table row per store, and its ratio to the folder: of the medians, and the median of paired rounds. */
function report(operation: string, results: Map<Target, Timed[]>): void {
  const [folder] = [...results.keys()];
  const base = results.get(folder!)!.map((x) => x.seconds);
  for (const [target, timed] of results) {
    const times = timed.map((x) => x.seconds);
    const ratio = median(times) / median(base);
    const paired = median(times.map((x, i) => x / base[i]!));
    const isBase = target === folder;
    rows.push([operation, target.label, median(times).toFixed(2), Math.min(...times).toFixed(2), times.map((x) => x.toFixed(2)).join(' '), isBase ? '' : `${ratio.toFixed(2)}x`, isBase ? '' : `${paired.toFixed(2)}x`]);
    if (isBase) continue;
    const ok = ratio <= TARGET;
    if (!ok) missed = true;
    verdicts.push(`  ${operation} ${target.label}/folder: ${ratio.toFixed(2)}x of medians, ${paired.toFixed(2)}x paired: ${ok ? 'meets' : 'MISSES'} the target <= ${TARGET}x`);
  }
}

/** The median seconds of each phase, per store: where the time goes. */
function phaseTable(operation: string, results: Map<Target, Timed[]>): void {
  const names = [...new Set([...results.values()].flatMap((timed) => timed.flatMap((x) => x.phases.map(([n]) => n))))];
  console.log(`\n${operation}: median seconds per phase`);
  console.log(`  ${'phase'.padEnd(44)}${[...results.keys()].map((x) => x.label.padStart(9)).join('')}`);
  for (const name of names) {
    const cells = [...results.values()].map((timed) => median(timed.map((x) => x.phases.filter(([n]) => n === name).reduce((s, [, v]) => s + v, 0))).toFixed(2).padStart(9));
    console.log(`  ${name.slice(0, 43).padEnd(44)}${cells.join('')}`);
  }
  const cpu = (label: string, pick: (x: Timed) => number) => console.log(`  ${label.padEnd(44)}${[...results.values()].map((timed) => median(timed.map(pick)).toFixed(2).padStart(9)).join('')}`);
  cpu('CPU s, this process (core, SDK, crypto)', (x) => x.ownCpu ?? 0);
  cpu('CPU s, the object server (same 2 cores)', (x) => x.serverCpu ?? 0);
}

/** The median milliseconds of a small request of each kind: what a restore's listing and planning pay per call. */
async function probeRequests(stores: Array<{ label: string; store: RepositoryStore }>): Promise<void> {
  const calls = 15;
  console.log(`\nSmall requests, median ms of ${calls} (a manifest read, a missing file, a stat, a listing):`);
  console.log(`  ${'store'.padEnd(10)}${['get 2 KiB', 'get missing', 'stat', 'list 20'].map((h) => h.padStart(13)).join('')}`);
  for (const { label, store } of stores) {
    for (let i = 0; i < 20; i++) await store.put(`small/${i}.json`, Readable.from([randomBytes(2048)]));
    const time = async (call: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        await call();
        ms.push(performance.now() - started);
      }
      return median(ms).toFixed(1).padStart(13);
    };
    const cells = [
      await time(() => store.getBytes('small/3.json')),
      await time(() => store.getBytes('small/none.json').catch(() => undefined)),
      await time(() => store.stat('small/4.json')),
      await time(async () => {
        for await (const o of store.list('small/')) void o;
      }),
    ];
    console.log(`  ${label.padEnd(10)}${cells.join('')}`);
    await store.deletePrefix('small/');
  }
}

/**
 * The store alone, without PostgreSQL: random bytes (encrypted output does not compress) put as one object
 * and read back, at the stores' defaults and at other part sizes and concurrencies. Shows whether the upload
 * or download itself, or the work around it, is what costs.
 */
async function probeStores(stores: { posix: () => RepositoryStore; s3: (o: { partSize?: number; queueSize?: number }) => RepositoryStore; azure: (o: { blockSize?: number; concurrency?: number }) => Promise<RepositoryStore> }, bytes: number): Promise<void> {
  const payload = randomBytes(bytes);
  const chunks = (size = 256 << 10) => Readable.from((function* () {
    for (let i = 0; i < payload.length; i += size) yield payload.subarray(i, i + size);
  })());
  const MiB = 1 << 20;
  const settings: Array<{ label: string; store: () => Promise<RepositoryStore> }> = [
    { label: 'folder', store: async () => stores.posix() },
    { label: 's3 defaults', store: async () => stores.s3({}) },
    ...[[8, 4], [16, 4], [16, 8]].map(([p, q]) => ({ label: `s3 part ${p} MiB x ${q}`, store: async () => stores.s3({ partSize: p! * MiB, queueSize: q }) })),
    { label: 'azure defaults', store: () => stores.azure({}) },
    ...[[4, 4], [16, 4], [8, 8]].map(([b, c]) => ({ label: `azure block ${b} MiB x ${c}`, store: () => stores.azure({ blockSize: b! * MiB, concurrency: c }) })),
  ];
  const rounds = Number(process.env.BENCH_PROBE_ROUNDS ?? 3);
  const put: number[][] = settings.map(() => []);
  const got: number[][] = settings.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Each round starts at another setting: what the one before leaves (the folder's dirty pages being
    // written out) falls on a different one each time.
    for (let step = 0; step < settings.length; step++) {
      const i = (step + round * 3) % settings.length;
      const s = settings[i]!;
      const store = await s.store();
      const key = `probe/${round}-${i}.bin`;
      let started = performance.now();
      await store.put(key, chunks());
      put[i]!.push((performance.now() - started) / 1000);
      started = performance.now();
      let n = 0;
      for await (const c of await store.get(key)) n += (c as Buffer).length;
      got[i]!.push((performance.now() - started) / 1000);
      if (n !== bytes) throw new Error(`${s.label}: read back ${n} of ${bytes} bytes`);
      await store.delete(key);
      await store.close();
    }
  }
  console.log(`\nThe stores alone: ${(bytes / MiB).toFixed(0)} MiB of random bytes, put then get, median of ${rounds} rounds, each in another order`);
  console.log(`  ${'setting'.padEnd(26)}${'put s'.padStart(8)}${'MiB/s'.padStart(8)}${'get s'.padStart(8)}${'MiB/s'.padStart(8)}`);
  for (const [i, s] of settings.entries()) {
    const p = median(put[i]!);
    const g = median(got[i]!);
    console.log(`  ${s.label.padEnd(26)}${p.toFixed(2).padStart(8)}${(bytes / MiB / p).toFixed(0).padStart(8)}${g.toFixed(2).padStart(8)}${(bytes / MiB / g).toFixed(0).padStart(8)}`);
  }
}

// Stopped by a signal: exit, so the emulators' exit hook kills radosgw and Azurite (and the clusters theirs).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

try {
  console.log(`Scale ${scale}; ${backupRounds} alternating rounds of backups, ${restoreRounds} of restores; load average ${load()}`);
  const cluster = await startCluster({ superuserPassword: password, settings: { max_wal_size: '4GB', checkpoint_timeout: '30min' } });
  cleanups.push(() => cluster.stop());
  const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres' };
  await cluster.query(`create database ${SERVICE}`);
  await run(join(cluster.binaries.dir, 'pgbench'), ['-i', '-q', '-s', String(scale), SERVICE], { env, maxBuffer: 1 << 26 });
  await cluster.query('checkpoint');
  const [{ size }] = (await cluster.query<{ size: string }>(`select pg_size_pretty(pg_database_size('${SERVICE}')) as size`)) as [{ size: string }];
  console.log(`  ${SERVICE}: ${size}`);

  console.log('Starting Azurite and radosgw...');
  // Both emulators keep objects in memory (radosgw's memstore, Azurite's --inMemoryPersistence): the disk
  // writes of a server on the same two cores are not the store's cost (BENCH_AZURITE_DISK=1 keeps its files).
  const azurite = await startAzurite({ inMemory: process.env.BENCH_AZURITE_DISK !== '1' });
  cleanups.push(() => azurite.stop());
  // radosgw keeps objects in memory, and a deleted object's data stays until its garbage collection (hours):
  // room for every round's backup and the probes. Nagle off (BENCH_RGW_NODELAY=0 keeps Ceph's default): with it
  // on, each small GET there waits about 40 ms for a delayed ACK, a cost of this server's set-up, not of S3.
  const tcpNoDelay = process.env.BENCH_RGW_NODELAY !== '0';
  const gateway = await startRadosgw({ memstoreBytes: 4 * 2 ** 30, tcpNoDelay, quietLogs: true });
  console.log(`  radosgw: beast tcp_nodelay=${tcpNoDelay ? 1 : 0}`);
  cleanups.push(() => gateway.stop());
  const container = 'lifeboat-bench';
  await new ContainerClient(`${azurite.endpoint}/${container}`, new StorageSharedKeyCredential(azurite.account, azurite.accountKey)).create();
  const bucket = 'lifeboat-bench';
  const s3 = new S3Client({ endpoint: gateway.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: gateway.accessKeyId, secretAccessKey: gateway.secretAccessKey } });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  // The S3 credentials as a DBA keeps them for an agent: environment variables the fleet file names.
  process.env.LB_BENCH_S3_KEY_ID = gateway.accessKeyId;
  process.env.LB_BENCH_S3_SECRET = gateway.secretAccessKey;

  /** One core per repository, each with the same service on the same cluster. */
  async function repositoryTarget(label: Target['label'], path: string, credentials?: RepositoryCredentialsInput, serverFolder?: string): Promise<Target> {
    const core = await startTestCore(await mkdtemp(join(scratch, `core-${label}-`)));
    cleanups.push(() => core.close());
    await core.call('repo.init', { path, encrypt: true, credentials });
    await core.call('services.add', { service: { id: SERVICE, name: SERVICE, engine: 'postgres', connection: { ...cluster.connection(SERVICE), password: { kind: 'keychain' } } }, password });
    return { label, core, backupIds: [], serverFolder };
  }
  await mkdir(join(scratch, 'repo'));
  const targets = [
    await repositoryTarget('folder', join(scratch, 'repo')),
    await repositoryTarget('azure', `azure://${azurite.account}/${container}/fleet?endpoint=${azurite.endpoint}`, { keychain: { accountKey: azurite.accountKey } }, azurite.folder),
    await repositoryTarget('s3', `s3://${bucket}/fleet?endpoint=${gateway.endpoint}`, { source: { kind: 'env', accessKeyIdVariable: 'LB_BENCH_S3_KEY_ID', secretAccessKeyVariable: 'LB_BENCH_S3_SECRET' } }, gateway.folder),
  ];

  console.log('\nPhysical backup (zstd + AES-256-GCM + SHA-256) into each repository:');
  const backups = await alternate(targets, backupRounds, async (target) => {
    const timed = await timedJob(target.core, async () => (await target.core.call('backups.start', { serviceIds: [SERVICE], kind: 'physical', compression: 'zstd' }))[0]!);
    target.backupIds.push((timed.job.result as { backupId: string }).backupId);
    return timed;
  });
  const listed = await Promise.all(targets.map(async (x) => (await x.core.call('backups.list', { serviceId: SERVICE })).find((b) => b.id === x.backupIds.at(-1))!));
  console.log(`  stored: ${targets.map((x, i) => `${x.label} ${(listed[i]!.storedBytes / 1048576).toFixed(1)} MiB`).join(', ')} of ${(listed[0]!.sourceBytes / 1048576).toFixed(0)} MiB`);
  report('physical backup', backups);

  console.log(`\nScratch restore (restore.pointInTime to the newest backup's end, "immediate") from each repository, each holding ${backupRounds} backups:`);
  const restores = await alternate(targets, restoreRounds, async (target) => {
    const timed = await timedJob(target.core, () => target.core.call('restore.pointInTime', { serviceId: SERVICE, target: { kind: 'immediate', backupId: target.backupIds.at(-1)! } }));
    await target.core.call('scratch.remove', { id: (timed.job.result as ScratchView).id });
    return timed;
  });
  report('scratch restore', restores);

  const headers = ['operation', 'repository', 'median s', 'best s', 'rounds s', 'vs folder', 'paired'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('\n' + fmt(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
  console.log(`\nRatios to the folder, as ratio of the medians / median of the round-by-round ratios (target <= ${TARGET}x):`);
  for (const v of verdicts) console.log(v);
  console.log(`Load average at the end: ${load()} (${cpus().length} cores)`);

  if (missed || process.env.BENCH_PROBE) {
    console.log(missed ? '\nA target was missed; where the time goes:' : '\nWhere the time goes (BENCH_PROBE):');
    phaseTable('physical backup', backups);
    phaseTable('scratch restore', restores);
    const MiB = 1 << 20;
    const probeBytes = Number(process.env.BENCH_PROBE_MIB ?? 64) * MiB;
    const probeFolder = join(scratch, 'probe');
    await mkdir(probeFolder);
    const stores = {
      posix: () => new PosixStore({ kind: 'posix', path: probeFolder }),
      s3: (o: { partSize?: number; queueSize?: number }) => new S3Store({ kind: 's3', bucket, prefix: 'probe/', endpoint: gateway.endpoint, region: 'us-east-1', forcePathStyle: true }, { credentials: { kind: 'access-key', accessKeyId: gateway.accessKeyId, secretAccessKey: gateway.secretAccessKey }, credentialsFrom: 'the bench', ...o }),
      azure: (o: { blockSize?: number; concurrency?: number }) => AzureBlobStore.open({ kind: 'azure', account: azurite.account, container, prefix: 'probe/', endpoint: azurite.endpoint }, { credentials: { kind: 'account-key', accountKey: azurite.accountKey }, credentialsFrom: 'the bench', ...o }),
    };
    await probeRequests([{ label: 'folder', store: stores.posix() }, { label: 'azure', store: await stores.azure({}) }, { label: 's3', store: stores.s3({}) }]);
    await probeStores(stores, probeBytes);
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => console.error(`clean-up: ${err}`));
  await rm(scratch, { recursive: true, force: true });
}
