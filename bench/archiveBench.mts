// `npm run bench:archive`: Lifeboat's archive doors (wal-push, wal-get, wal-push --async, the staged
// restore_command of restore-commands) against pgBackRest 2.45, in one run, on the same segments and the
// same clusters, in alternating rounds. Both sides run as the cluster's OS account, as PostgreSQL runs
// archive_command and restore_command; both compress with gzip level 1 and encrypt (Lifeboat AES-256-GCM,
// pgBackRest aes-256-cbc). Five parts:
//   1. one call on full 16 MB segments of pgbench -N traffic: first wal-push vs archive-push, wal-get vs archive-get
//   2. the same on segments closed early by pg_switch_wal (a few KB, then zeros), beside `node -e 0`
//   3. `lifeboat help` vs `pgbackrest help`
//   4. sustained archiving under pgbench at full speed: wal-push --async vs archive-push with archive-async
//   5. whole-cluster restore to a time over 200+ full segments: restore-commands' procedure vs pgBackRest's
//      restore (async archive-get) vs Lifeboat's scratch restore, each checked by its row counts
// --quick: fewer rounds, segments and seconds, for iteration. BENCH_PARTS=1,4 runs only some parts;
// BENCH_CALL_ROUNDS, BENCH_SUSTAIN_SECONDS, BENCH_RESTORE_SEGMENTS... override the sizes (see `config`);
// BENCH_LOGS=1 prints the restored servers' recovery log lines. Run `npm run build` first: the checkout's
// build must be current (the bench stops on bin/lifeboat.mjs's stale-build warning) and is copied aside,
// so edits and rebuilds during the run do not change what is measured. Archiving CPU in part 4 comes from
// a cpuacct cgroup of the bench's own holding the archiver (detached workers included), removed at the end.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { parseSegmentName, segmentName } from '../src/core/wal/walNames';
import type { RestoreCommandsView, ScratchView } from '../src/shared/recovery';
import { registerCluster, unregisterCluster } from '../test/support/clusterCleanup';
import { startCluster, type PgCluster } from '../test/support/pgCluster';
import { startTestCore } from '../test/support/testCore';
import { clusterOsUser } from '../test/support/unprivilegedUser';
import { ArchivingCpu, CpuGroup, createStanza, machineCpu, median, printTable, processesMentioning, ratioLine, ratios, runAs, sleep, STALE_BUILD, summariseCpuProfile, waitForNoProcesses, type Stanza, type Timed } from './support/archiveBenchKit.mjs';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const num = (name: string, full: number, fast: number) => Number(process.env[name] ?? (quick ? fast : full));
const config = {
  callRounds: num('BENCH_CALL_ROUNDS', 8, 3),
  helpRounds: num('BENCH_HELP_ROUNDS', 10, 5),
  sustainSeconds: num('BENCH_SUSTAIN_SECONDS', 120, 20),
  sustainRounds: num('BENCH_SUSTAIN_ROUNDS', 2, 1),
  sustainScale: num('BENCH_SUSTAIN_SCALE', 50, 50),
  restoreSegments: num('BENCH_RESTORE_SEGMENTS', 200, 30),
  restoreRounds: num('BENCH_RESTORE_ROUNDS', 2, 1),
  restoreScale: num('BENCH_RESTORE_SCALE', 20, 20),
};
const parts = new Set((process.env.BENCH_PARTS ?? '1,2,3,4,5').split(','));
const SEG = 16 * 1024 * 1024;
const password = 'bench';
const benchStarted = performance.now();
const elapsed = () => `${((performance.now() - benchStarted) / 60000).toFixed(1)} min`;

// This machine's environment sets NODE_EXTRA_CA_CERTS (a CA bundle every Node process parses as it starts,
// ~20 ms); a database server's postgres account has no such thing, so no child of the bench inherits it
// (the clusters' archive_command and restore_command included).
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
const user = clusterOsUser();
const scratchRoot = await mkdtemp(join(tmpdir(), 'lifeboat-abench-'));
await chmod(scratchRoot, 0o755); // the cluster's account reads the fleet file, the key file and its folders here
process.on('exit', () => rmSync(scratchRoot, { recursive: true, force: true }));
// The CLI must come from the current bundle (the sources through tsx make every call seconds long), and
// the same bundle all along: others edit and rebuild this checkout meanwhile. So the checkout's build is
// checked now (failing loudly on bin/lifeboat.mjs's stale-build warning), then copied as an installed
// package would be (bin, out/cli, no sources), and every Lifeboat command of the bench runs that copy.
const checkoutBin = resolve('bin/lifeboat.mjs');
const probe = await runAs(process.execPath, [checkoutBin, 'help'], { user: { ...clusterOsUser(), switched: false }, cwd: scratchRoot, env: { ...process.env } as Record<string, string> });
if (probe.stderr.trim()) {
  console.error(`BENCH FAILED: lifeboat help printed on stderr (run "npm run build" first):\n${probe.stderr}`);
  process.exit(1);
}
const installed = join(scratchRoot, 'lifeboat');
await mkdir(join(installed, 'bin'), { recursive: true, mode: 0o755 });
await mkdir(join(installed, 'out'), { mode: 0o755 });
await run('cp', ['-r', resolve('out/cli'), join(installed, 'out', 'cli')]);
await run('cp', [checkoutBin, join(installed, 'bin', 'lifeboat.mjs')]);
await run('cp', [resolve('package.json'), join(installed, 'package.json')]);
await symlink(resolve('node_modules'), join(installed, 'node_modules'));
await run('chmod', ['-R', 'a+rX', installed]);
const builtAt = JSON.parse(readFileSync(join(installed, 'out', 'cli', 'build-info.json'), 'utf8')).builtAt as number;
const lifeboatBin = join(installed, 'bin', 'lifeboat.mjs');
/** What the cluster's account owns: its HOME (as /var/lib/postgresql would be), a bin with `lifeboat`. */
async function userDir(path: string, mode = 0o700): Promise<string> {
  await mkdir(path, { recursive: true, mode });
  await chmod(path, mode);
  await chown(path, user.uid, user.gid);
  return path;
}
const userHome = await userDir(join(scratchRoot, 'home'));
const binDir = await userDir(join(scratchRoot, 'bin'), 0o755);
// The printed procedure calls `lifeboat` by name, as an installed package's bin would be.
await symlink(lifeboatBin, join(binDir, 'lifeboat'));
const clusters: PgCluster[] = [];
/** Folders whose paths appear in the command lines of our workers (pushers, prefetchers, pgBackRest's). */
const ourPaths = [scratchRoot];
const findings: string[] = [];
const cpuGroups: CpuGroup[] = [];
process.on('exit', () => cpuGroups.forEach((g) => g.remove()));
// Interrupted: the harness's hooks stop the clusters it knows (the restored ones are registered with it too);
// the rest of ours (a scratch cluster of the core, workers) is ended by pid, then the exit hooks clean up.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    console.error(`\n${signal}: stopping what the bench started`);
    for (const p of processesMentioning(ourPaths)) {
      try {
        process.kill(p.pid, /postgres -D /.test(p.cmd) ? 'SIGQUIT' : 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
    process.exit(130);
  });
const finding = (text: string) => {
  findings.push(text);
  console.log(`  !! ${text}`);
};

const coreDir = join(scratchRoot, 'core');
await mkdir(coreDir, { mode: 0o755 });
await chmod(coreDir, 0o755);
const t = await startTestCore(coreDir);
const keyFile = join(scratchRoot, 'repo.key');
let pgBin = '';
const userEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: `${binDir}:${pgBin}:/usr/local/bin:/usr/bin:/bin`,
  HOME: userHome,
  LC_ALL: 'C',
  LIFEBOAT_KEY_FILE: keyFile,
  ...extra,
});
const asUser = { user, cwd: scratchRoot };
/** `node bin/lifeboat.mjs --config <fleet> ...` as the cluster's account. */
const lifeboat = (args: string[], ok?: number[]) => runAs(process.execPath, [lifeboatBin, '--config', t.configPath, ...args], { ...asUser, env: userEnv(), ok });
const lifeboatCommandLine = (args: string) => `LIFEBOAT_KEY_FILE=${keyFile} ${process.execPath} ${lifeboatBin} --config ${t.configPath} ${args}`;
const sha256 = (path: string) => readFile(path).then((b) => createHash('sha256').update(b).digest('hex'));
const s3 = (x: number) => `${x.toFixed(3)} s`;

/** A cluster for this bench, with its connection env for pgbench and a few queries. */
async function benchCluster(settings: Record<string, string | number | boolean>) {
  const c = await startCluster({ superuserPassword: password, settings: { archive_mode: 'on', archive_command: 'true', ...settings } });
  clusters.push(c);
  ourPaths.push(c.baseDir);
  pgBin = c.binaries.dir;
  const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(c.port), PGUSER: 'postgres' };
  const value = async (sql: string): Promise<string> => {
    const [row] = await c.query<Record<string, unknown>>(sql);
    return String(Object.values(row!)[0]);
  };
  const lsn = async () => BigInt(await value("select (pg_current_wal_lsn() - '0/0')::text"));
  const archiver = async () => {
    const [r] = await c.query<{ archived: string; failed: string; last: string | null; lastFailed: string | null }>('select archived_count as archived, failed_count as failed, last_archived_wal as last, last_failed_wal as "lastFailed" from pg_stat_archiver');
    return { archived: Number(r!.archived), failed: Number(r!.failed), last: r!.last ?? '', lastFailed: r!.lastFailed };
  };
  const readyCount = async () => (await readdir(join(c.dataDir, 'pg_wal', 'archive_status')).catch(() => [] as string[])).filter((n) => n.endsWith('.ready')).length;
  const setArchiveCommand = async (command: string) => {
    await c.query(`alter system set archive_command = '${command.replace(/'/g, "''")}'`);
    await c.query('select pg_reload_conf()');
    await sleep(500);
  };
  /** Closes the current segment (a checkpoint record makes sure there is one) and waits until it is archived. */
  const switchAndWait = async (timeoutMs = 120_000): Promise<string> => {
    await c.query('checkpoint');
    const name = await value('select pg_walfile_name(pg_switch_wal())');
    await waitArchived(name, timeoutMs);
    return name;
  };
  const waitArchived = async (name: string, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const a = await archiver();
      if (a.last >= name) return;
      if (Date.now() > deadline) throw new Error(`${name} not archived after ${timeoutMs / 1000} s (last ${a.last}, ${a.failed} failures, last failed ${a.lastFailed}):\n${c.logTail(30)}`);
      await sleep(200);
    }
  };
  const pgbench = async (args: string[]) => {
    const { stdout } = await run(join(c.binaries.dir, 'pgbench'), [...args, 'postgres'], { env, maxBuffer: 1 << 26 });
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
  };
  const noStaleBuild = () => {
    if (STALE_BUILD.test(readFileSync(c.logFile, 'utf8'))) throw new Error(`STALE LIFEBOAT BUILD: an archive_command ran Lifeboat from the sources:\n${c.logTail(20)}`);
  };
  return { c, env, value, lsn, archiver, readyCount, setArchiveCommand, switchAndWait, waitArchived, pgbench, noStaleBuild };
}
type BenchCluster = Awaited<ReturnType<typeof benchCluster>>;

/** A Lifeboat service for a cluster, its WAL folder owned by the cluster's account (as a DBA sets it up). */
async function lifeboatService(id: string, bc: BenchCluster): Promise<string> {
  await t.call('services.add', { service: { id, name: id, engine: 'postgres', connection: { ...bc.c.connection('postgres'), password: { kind: 'keychain' } } }, password });
  const walDir = join(scratchRoot, 'lbrepo', id, 'wal');
  await freshLifeboatWal(id);
  return walDir;
}
async function freshLifeboatWal(id: string): Promise<void> {
  const walDir = join(scratchRoot, 'lbrepo', id, 'wal');
  await rm(walDir, { recursive: true, force: true });
  await mkdir(walDir, { recursive: true });
  for (const p of [join(scratchRoot, 'lbrepo', id), walDir]) await chown(p, user.uid, user.gid);
}
const lifeboatSegments = async (id: string) => (await readdir(join(scratchRoot, 'lbrepo', id, 'wal'))).filter((n) => /^[0-9A-F]{24}\.json$/.test(n)).map((n) => n.slice(0, 24)).sort();
const passphrase = randomBytes(24).toString('base64url');
const stanzaFor = (name: string, bc: BenchCluster) => createStanza({ root: join(scratchRoot, `pgbr-${name}`), name, cluster: bc.c, user, env: userEnv(), passphrase });

// ---------------------------------------------------------------------------------------------------------
// 1-3. One call each, alternating; the same bytes for both tools.
// ---------------------------------------------------------------------------------------------------------
interface CallResults {
  /** CPU seconds (user + system) of each call, by the same keys. */
  cpu: Record<'lbPush' | 'brPush' | 'lbGet' | 'brGet' | 'node', number[]>;
  lbPush: number[];
  brPush: number[];
  lbGet: number[];
  brGet: number[];
  node: number[];
}

async function perCall(kind: string, names: string[], aside: string, stanza: Stanza, service: string): Promise<CallResults> {
  const r: CallResults = { lbPush: [], brPush: [], lbGet: [], brGet: [], node: [], cpu: { lbPush: [], brPush: [], lbGet: [], brGet: [], node: [] } };
  const getDir = await userDir(join(scratchRoot, `get-${kind}`));
  const hashes = new Map(await Promise.all(names.map(async (n) => [n, await sha256(join(aside, n))] as const)));
  const push = {
    lb: (n: string) => lifeboat(['wal-push', join(aside, n), '--service', service]),
    br: (n: string) => stanza.run(['archive-push', join(aside, n)]),
  };
  const get = {
    lb: (n: string, dest: string) => lifeboat(['wal-get', n, dest, '--service', service]),
    br: (n: string, dest: string) => stanza.run(['archive-get', n, dest]),
  };
  // Round 0 warms both up (page cache, code on disk) and is not counted; each round pushes a segment neither
  // repository has yet (first push), in the order Lifeboat-pgBackRest, then pgBackRest-Lifeboat.
  for (let round = 0; round < names.length; round++) {
    const n = names[round]!;
    const order = round % 2 ? (['br', 'lb'] as const) : (['lb', 'br'] as const);
    const times: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const who of order) ({ seconds: times[who], cpu: cpu[who] } = await push[who](n));
    if (round === 0) continue;
    r.lbPush.push(times.lb!);
    r.brPush.push(times.br!);
    r.cpu.lbPush.push(cpu.lb!);
    r.cpu.brPush.push(cpu.br!);
    console.log(`  ${kind} push round ${round}/${names.length - 1} ${n}: Lifeboat wal-push ${s3(times.lb!)}, pgBackRest archive-push ${s3(times.br!)}`);
  }
  // Both repositories hold what they were given, byte for byte.
  if ((await lifeboatSegments(service)).filter((n) => hashes.has(n)).length !== names.length) throw new Error(`Lifeboat's repository lacks some of the ${kind} segments`);
  if ((await stanza.segments()).filter((n) => hashes.has(n)).length !== names.length) throw new Error(`pgBackRest's repository lacks some of the ${kind} segments`);
  for (let round = 0; round < names.length; round++) {
    const n = names[round]!;
    const order = round % 2 ? (['br', 'lb'] as const) : (['lb', 'br'] as const);
    const times: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const who of order) {
      const dest = join(getDir, `${who}-${n}`);
      ({ seconds: times[who], cpu: cpu[who] } = await get[who](n, dest));
      if ((await sha256(dest)) !== hashes.get(n)) throw new Error(`${who === 'lb' ? 'wal-get' : 'archive-get'} returned different bytes for ${n}`);
      await rm(dest);
    }
    const nodeRun = await runAs(process.execPath, ['-e', '0'], { ...asUser, env: userEnv() });
    const node = nodeRun.seconds;
    if (round === 0) continue;
    r.lbGet.push(times.lb!);
    r.brGet.push(times.br!);
    r.node.push(node);
    r.cpu.lbGet.push(cpu.lb!);
    r.cpu.brGet.push(cpu.br!);
    r.cpu.node.push(nodeRun.cpu);
    console.log(`  ${kind} get round ${round}/${names.length - 1} ${n}: Lifeboat wal-get ${s3(times.lb!)}, pgBackRest archive-get ${s3(times.br!)}, node -e 0 ${s3(node)}`);
  }
  // Where a wal-get's time goes, by subtraction: Node alone, then the CLI's entry (--help loads no command
  // module), then a name not archived (the archive module loaded, fleet file, repository and key opened, no
  // segment), then the whole call. pgBackRest's not-archived answer beside it.
  if (kind === 'full') {
    const steps = { node: [] as number[], help: [] as number[], missing: [] as number[], whole: r.lbGet, brMissing: [] as number[] };
    for (let i = 0; i < names.length - 1; i++) {
      steps.node.push((await runAs(process.execPath, ['-e', '0'], { ...asUser, env: userEnv() })).seconds);
      steps.help.push((await lifeboat(['wal-get', '--help'])).seconds);
      steps.missing.push((await lifeboat(['wal-get', '0000000100000000000000FF', join(getDir, 'missing'), '--service', service], [1])).seconds);
      steps.brMissing.push((await stanza.run(['archive-get', '0000000100000000000000FF', join(getDir, 'missing')], { ok: [1] })).seconds);
    }
    const m = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v) * 1000])) as Record<keyof typeof steps, number>;
    console.log(`  where a wal-get of a full segment goes (medians, ms): Node start-up ${m.node.toFixed(0)}, CLI entry +${(m.help - m.node).toFixed(0)}, archive module + fleet file + repository + key +${(m.missing - m.help).toFixed(0)}, decrypt + inflate + write 16 MB +${(m.whole - m.missing).toFixed(0)} = ${m.whole.toFixed(0)}; pgBackRest: not archived ${m.brMissing.toFixed(0)}, whole ${(median(r.brGet) * 1000).toFixed(0)}`);
  }
  // Where a call's time goes: one wal-get and one first wal-push (of the warm-up segment, taken out of
  // Lifeboat's repository again) under node --cpu-prof.
  const profDir = await userDir(join(scratchRoot, `prof-${kind}`));
  const profiled = async (label: string, args: string[]) => {
    const r = await runAs(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, lifeboatBin, '--config', t.configPath, ...args], { ...asUser, env: userEnv() });
    for (const f of await readdir(profDir)) {
      console.log(`  profile of ${label} (${s3(r.seconds)} wall, profiler on): ${summariseCpuProfile(await readFile(join(profDir, f), 'utf8'))}`);
      await rm(join(profDir, f));
    }
  };
  await profiled(`wal-get of a ${kind} segment`, ['wal-get', names[1]!, join(getDir, 'profiled'), '--service', service]);
  await rm(join(getDir, 'profiled'));
  const lbWal = join(scratchRoot, 'lbrepo', service, 'wal');
  for (const f of (await readdir(lbWal)).filter((f) => f.startsWith(`${names[0]}.`))) await rm(join(lbWal, f));
  await profiled(`first wal-push of a ${kind} segment`, ['wal-push', join(aside, names[0]!), '--service', service]);
  return r;
}

/** Segment names strictly between two positions of one timeline. */
function namesBetween(first: string, last: string): string[] {
  const a = parseSegmentName(first);
  const b = parseSegmentName(last);
  return Array.from({ length: Math.max(0, b.segNo - a.segNo - 1) }, (_, i) => segmentName(a.timeline, a.segNo + 1 + i));
}

async function callParts(): Promise<string[]> {
  const lines: string[] = [];
  console.log(`\n[${elapsed()}] (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`[${elapsed()}] Parts 1-2: one call each. Preparing full and switched segments...`);
  const aside = await userDir(join(scratchRoot, 'aside'));
  const bc = await benchCluster({ checkpoint_timeout: '5min', max_wal_size: '2GB' });
  await bc.pgbench(['-i', '-q', '-s', '10']);
  await bc.c.query('create table ledger (id bigserial primary key, at timestamptz not null default clock_timestamp(), note text)');
  await lifeboatService('calls', bc);
  const stanza = await stanzaFor('calls', bc);
  // Every segment is copied aside by archive_command, as written; both tools then read that copy.
  await bc.setArchiveCommand(`test ! -f ${aside}/%f && cp %p ${aside}/%f`);
  await bc.switchAndWait();
  // Full segments of pgbench -N traffic; a checkpoint every two seconds keeps full-page images coming, as on
  // a busy server with a large table.
  const fullWanted = config.callRounds + 1;
  const start = await bc.value('select pg_walfile_name(pg_current_wal_lsn())');
  for (;;) {
    await bc.pgbench(['-n', '-N', '-c', '2', '-j', '2', '-T', '2']);
    await bc.c.query('checkpoint');
    const now = await bc.value('select pg_walfile_name(pg_current_wal_lsn())');
    if (namesBetween(start, now).length >= fullWanted + 1) break;
  }
  const full = namesBetween(start, await bc.switchAndWait()).slice(1, fullWanted + 1); // the first may be the checkpoint's
  // Segments closed early: a few rows (a few KB of WAL), then pg_switch_wal, as archive_timeout leaves them.
  const switched: string[] = [];
  for (let i = 0; i < config.callRounds + 1; i++) {
    const name = await bc.value('select pg_walfile_name(pg_current_wal_lsn())');
    await bc.c.query(`insert into ledger (note) select repeat('x', 100) from generate_series(1, 20)`);
    await bc.c.query('select pg_switch_wal()');
    switched.push(name);
  }
  await bc.waitArchived(switched.at(-1)!);
  // The data's end in a switched segment: what is not zeros.
  const used = (b: Buffer) => {
    let end = b.length;
    while (end > 0 && b[end - 1] === 0) end--;
    return end;
  };
  const switchedUsed = median(await Promise.all(switched.map(async (n) => used(await readFile(join(aside, n))))));
  const fullUsed = median(await Promise.all(full.map(async (n) => used(await readFile(join(aside, n))))));
  console.log(`  full segments ${full[0]}..${full.at(-1)} (data to byte ${fullUsed} of ${SEG}); switched segments ${switched[0]}..${switched.at(-1)} (median ${(switchedUsed / 1024).toFixed(1)} KB of records, then zeros)`);

  const f = await perCall('full', full, aside, stanza, 'calls');
  const s = await perCall('switched', switched, aside, stanza, 'calls');
  bc.noStaleBuild();
  await bc.c.stop();

  printTable(`1. one call, full segments (16 MB of pgbench -N traffic), ${config.callRounds} alternating rounds`, [
    { label: 'Lifeboat wal-push, first push (gzip 1, AES-256-GCM)', times: f.lbPush },
    { label: 'pgBackRest archive-push (gz 1, aes-256-cbc)', times: f.brPush },
    { label: 'Lifeboat wal-get', times: f.lbGet },
    { label: 'pgBackRest archive-get', times: f.brGet },
  ]);
  const cpuLine = (x: CallResults, withNode = false) =>
    `CPU per call (user + system, median): wal-push ${s3(median(x.cpu.lbPush))}, archive-push ${s3(median(x.cpu.brPush))}, wal-get ${s3(median(x.cpu.lbGet))}, archive-get ${s3(median(x.cpu.brGet))}${withNode ? `, node -e 0 ${s3(median(x.cpu.node))}` : ''}`;
  console.log(cpuLine(f));
  console.log('Ratios Lifeboat / pgBackRest, as ratio of the medians / median of the round-by-round ratios:');
  console.log(ratioLine('wal-push / archive-push, full segments', ratios(f.lbPush, f.brPush), 2.5));
  console.log(ratioLine('wal-get / archive-get, full segments', ratios(f.lbGet, f.brGet), 2.5));
  printTable(`2. one call, segments closed by pg_switch_wal (~${Math.round(switchedUsed / 1024)} KB, then zeros), ${config.callRounds} rounds`, [
    { label: 'Lifeboat wal-push, first push', times: s.lbPush },
    { label: 'pgBackRest archive-push', times: s.brPush },
    { label: 'Lifeboat wal-get', times: s.lbGet },
    { label: 'pgBackRest archive-get', times: s.brGet },
    { label: 'node -e 0 (Node start-up alone, for context)', times: s.node },
  ]);
  console.log(cpuLine(s, true));
  console.log('Ratios Lifeboat / pgBackRest, as ratio of the medians / median of the round-by-round ratios (no target):');
  console.log(ratioLine('wal-push / archive-push, switched segments', ratios(s.lbPush, s.brPush)));
  console.log(ratioLine('wal-get / archive-get, switched segments', ratios(s.lbGet, s.brGet)));
  console.log(`  Node start-up alone is ${(median(s.node) / median(s.brPush)).toFixed(2)}x pgBackRest's whole archive-push and ${(median(s.node) / median(s.brGet)).toFixed(2)}x its whole archive-get.`);
  lines.push(ratioLine('1. wal-push / archive-push, full segments', ratios(f.lbPush, f.brPush), 2.5), ratioLine('1. wal-get / archive-get, full segments', ratios(f.lbGet, f.brGet), 2.5));
  return lines;
}

async function helpPart(): Promise<string[]> {
  console.log(`\n[${elapsed()}] (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`[${elapsed()}] Part 3: help...`);
  const lb: number[] = [];
  const br: number[] = [];
  const node: number[] = [];
  for (let round = 0; round <= config.helpRounds; round++) {
    const a = (await lifeboat(['help'])).seconds;
    const b = (await runAs('pgbackrest', ['help'], { ...asUser, env: userEnv() })).seconds;
    const c = (await runAs(process.execPath, ['-e', '0'], { ...asUser, env: userEnv() })).seconds;
    if (round === 0) continue; // warm-up
    lb.push(a);
    br.push(b);
    node.push(c);
  }
  printTable(`3. help, ${config.helpRounds} alternating rounds`, [
    { label: 'lifeboat help', times: lb },
    { label: 'pgbackrest help', times: br },
    { label: 'node -e 0', times: node },
  ]);
  const verdict = median(lb) <= 0.15 ? 'met' : 'MISSED';
  console.log(`  lifeboat help median ${s3(median(lb))} (target <= 0.15 s): ${verdict}`);
  return [`  3. lifeboat help median ${s3(median(lb))} (target <= 0.15 s): ${verdict}`];
}

// ---------------------------------------------------------------------------------------------------------
// 4. Sustained archiving.
// ---------------------------------------------------------------------------------------------------------
interface SustainResult {
  tool: 'lifeboat' | 'pgbackrest';
  round: number;
  archivedPerSecond: number;
  writtenPerSecond: number;
  maxReady: number;
  meanReady: number;
  tps: number;
  drainSeconds: number;
  failures: number;
  archived: number;
  inRepo: number;
  workerExitSeconds: number;
  /** Archiving CPU (archive_command calls and workers) per archived segment. */
  cpuPerSegmentMs: number;
  /** Of which in the archive_command calls themselves. */
  foregroundMs: number;
  archivingCpu: number;
  /** The machine's busy share (both cores) while pgbench ran. */
  machineBusy: number;
}

async function sustainPart(): Promise<string[]> {
  console.log(`\n[${elapsed()}] (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`[${elapsed()}] Part 4: sustained archiving, pgbench -c 4 -j 2 -N -T ${config.sustainSeconds} at scale ${config.sustainScale}...`);
  // Checkpoints every 30 s: full-page images after each, as a busy server with a large table writes them.
  const bc = await benchCluster({ checkpoint_timeout: '30s', max_wal_size: '1GB' });
  await bc.pgbench(['-i', '-q', '-s', String(config.sustainScale)]);
  await lifeboatService('async', bc);
  const stanza = await stanzaFor('async', bc);
  const commands = {
    lifeboat: lifeboatCommandLine('wal-push --async %p --service async'),
    // process-max=2: one per core of this machine (Lifeboat's pusher stores 4 at once in one process).
    pgbackrest: stanza.commandLine(['--archive-async=y', '--process-max=2', 'archive-push', '%p']),
  };
  console.log(`  Lifeboat:   archive_command = '${commands.lifeboat}'`);
  console.log(`  pgBackRest: archive_command = '${commands.pgbackrest}'`);
  const results: SustainResult[] = [];
  const order: Array<'lifeboat' | 'pgbackrest'> = [];
  for (let i = 0; i < config.sustainRounds; i++) order.push(...(i % 2 ? (['pgbackrest', 'lifeboat'] as const) : (['lifeboat', 'pgbackrest'] as const)));
  for (const [i, tool] of order.entries()) {
    const round = Math.floor(i / 2) + 1;
    // Fresh repositories; the first segment (a checkpoint, switched) starts the worker and is not counted.
    if (tool === 'lifeboat') await freshLifeboatWal('async');
    else await stanza.recreate();
    // The archiver, and everything its archive_command starts (detached workers too), in a cpuacct group.
    const archiverPid = Number(await bc.value("select pid from pg_stat_activity where backend_type = 'archiver'"));
    const group = CpuGroup.create(`${basename(scratchRoot)}-${i}`);
    if (group) {
      cpuGroups.push(group);
      group.add(archiverPid);
    }
    await bc.setArchiveCommand(commands[tool]);
    const first = await bc.switchAndWait();
    await bc.c.query('checkpoint');
    const a0 = await bc.archiver();
    const lsn0 = await bc.lsn();
    const cpu = new ArchivingCpu(ourPaths, archiverPid);
    const group0 = group?.seconds() ?? 0;
    const machine0 = machineCpu();
    let maxReady = 0;
    const samples: number[] = [];
    let sampling = true;
    let draining = false;
    const sampler = (async () => {
      while (sampling) {
        const n = await bc.readyCount();
        if (!draining) samples.push(n);
        maxReady = Math.max(maxReady, n);
        cpu.sample();
        await sleep(200);
      }
    })();
    const started = performance.now();
    const tps = await bc.pgbench(['-n', '-N', '-c', '4', '-j', '2', '-T', String(config.sustainSeconds)]);
    const seconds = (performance.now() - started) / 1000;
    const a1 = await bc.archiver();
    const lsn1 = await bc.lsn();
    const machine1 = machineCpu();
    draining = true;
    const meanReady = samples.reduce((x, y) => x + y, 0) / samples.length;
    // Drain: until nothing waits (the segment being written is not ready).
    const drainStart = performance.now();
    while ((await bc.readyCount()) > 0) {
      if (performance.now() - drainStart > 600_000) throw new Error(`${tool}: .ready files still waiting after 10 minutes:\n${bc.c.logTail(30)}`);
      await sleep(200);
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    await sleep(300);
    sampling = false;
    await sampler;
    cpu.sample();
    const a2 = await bc.archiver();
    const sampled = cpu.total();
    // Exact with the cgroup (all of it: the calls, the workers, the archiver itself); else sampled.
    // The archive_command calls are the archiver's waited-for children (exact); the workers (Lifeboat's
    // pusher, pgBackRest's async and local processes) are detached: the cgroup holds them, else sampled.
    const total = group ? group.seconds() - group0 : sampled.commands + sampled.workers;
    const segs = a2.archived - a0.archived;
    const used = { total, foreground: sampled.commands, background: total - sampled.commands, how: `${group ? 'cpuacct cgroup' : 'sampled'}: archive_command calls ${sampled.commands.toFixed(1)} s = ${((sampled.commands * 1000) / segs).toFixed(0)} ms per call, background workers ${(total - sampled.commands).toFixed(1)} s = ${(((total - sampled.commands) * 1000) / segs).toFixed(0)} ms per segment` };
    // Every segment archived in this round is in the repository, and nothing else is missing.
    const expected = [first, ...namesBetween(first, a2.last), a2.last].filter((n, k, all) => all.indexOf(n) === k);
    const inRepo = new Set(tool === 'lifeboat' ? await lifeboatSegments('async') : await stanza.segments());
    const missing = expected.filter((n) => !inRepo.has(n));
    if (missing.length) finding(`${tool} round ${round}: ${missing.length} archived segment(s) not in the repository: ${missing.slice(0, 5).join(', ')}`);
    if (a2.archived - a0.archived !== expected.length - 1) finding(`${tool} round ${round}: archived_count grew by ${a2.archived - a0.archived}, but ${expected.length - 1} segments follow ${first}`);
    const failures = a2.failed - a0.failed;
    if (failures) finding(`${tool} round ${round}: ${failures} archive_command failure(s); last failed ${a2.lastFailed}; server log:\n${readFileSync(bc.c.logFile, 'utf8').split('\n').filter((l) => /archive command failed|archive_command|ERROR|FATAL/.test(l)).slice(-8).join('\n')}`);
    // The workers exit by themselves: Lifeboat's pusher after 30 s idle, pgBackRest's async process when its queue is empty.
    const workerFilter = tool === 'lifeboat' ? (cmd: string) => cmd.includes('--run-pusher') : (cmd: string) => cmd.includes(stanza.conf) && cmd.includes('archive-push');
    const exit = await waitForNoProcesses(ourPaths, 90_000, workerFilter);
    if (exit.left.length) finding(`${tool} round ${round}: worker(s) still running ${exit.waitedMs / 1000} s after the drain: ${exit.left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
    if (tool === 'pgbackrest') {
      const log = await readFile(join(stanza.root, 'log', `${stanza.name}-archive-push-async.log`), 'utf8').catch(() => '');
      const ends = [...log.matchAll(/archive-push:async command end: completed successfully \((\d+)ms\)/g)].map((m) => Number(m[1]));
      console.log(`    pgBackRest's async archive-push process ran ${ends.length} time(s), ${(ends.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in all (median run ${ends.length ? median(ends) : 0} ms)${/ERROR|WARN/.test(log) ? '; its log has warnings or errors' : ''}`);
    }
    if (tool === 'lifeboat') {
      const log = await readFile(join(bc.c.dataDir, 'pg_wal', 'lifeboat-spool', 'worker.log'), 'utf8').catch(() => '(no worker.log)');
      const odd = log.split('\n').filter((l) => l && !/pusher (started|stopped)/.test(l));
      if (odd.length) finding(`Lifeboat pusher log, round ${round}:\n${odd.slice(-10).join('\n')}`);
    }
    await bc.setArchiveCommand('true');
    group?.remove();
    const r: SustainResult = {
      tool, round, tps, drainSeconds, failures, maxReady, meanReady,
      archivedPerSecond: (a1.archived - a0.archived) / seconds,
      writtenPerSecond: Number(lsn1 - lsn0) / SEG / seconds,
      archived: a2.archived - a0.archived + 1,
      inRepo: expected.length - missing.length,
      workerExitSeconds: exit.waitedMs / 1000,
      cpuPerSegmentMs: (used.total * 1000) / segs,
      foregroundMs: (used.foreground * 1000) / segs,
      archivingCpu: used.total,
      machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    };
    results.push(r);
    console.log(`  ${tool} round ${round}: ${r.archivedPerSecond.toFixed(2)} segments/s archived during the run (${r.writtenPerSecond.toFixed(2)}/s written), max ${maxReady} .ready, ${tps.toFixed(0)} tps, drained in ${drainSeconds.toFixed(1)} s, ${failures} failures, ${r.inRepo}/${r.archived} in the repository; archiving CPU ${r.archivingCpu.toFixed(1)} s (${used.how}) = ${r.cpuPerSegmentMs.toFixed(0)} ms/segment; machine ${(r.machineBusy * 100).toFixed(0)}% busy; worker gone ${r.workerExitSeconds.toFixed(1)} s after the drain`);
  }
  bc.noStaleBuild();
  await bc.c.stop();

  const headers = ['method', 'round', 'archived/s', 'written/s', 'max .ready', 'mean .ready', 'tps', 'CPU ms/seg', '(in calls)', 'busy %', 'drain s', 'failures', 'in repo', 'worker exit s'];
  const label = { lifeboat: 'Lifeboat wal-push --async (pusher, 4 at once)', pgbackrest: 'pgBackRest archive-push, archive-async=y process-max=2' };
  const rows = results.map((r) => [label[r.tool], String(r.round), r.archivedPerSecond.toFixed(2), r.writtenPerSecond.toFixed(2), String(r.maxReady), r.meanReady.toFixed(1), r.tps.toFixed(0), r.cpuPerSegmentMs.toFixed(0), r.foregroundMs.toFixed(0), (r.machineBusy * 100).toFixed(0), r.drainSeconds.toFixed(1), String(r.failures), `${r.inRepo}/${r.archived}`, r.workerExitSeconds.toFixed(1)]);
  for (const tool of ['lifeboat', 'pgbackrest'] as const) {
    const rs = results.filter((r) => r.tool === tool);
    rows.push([label[tool], 'median', median(rs.map((r) => r.archivedPerSecond)).toFixed(2), median(rs.map((r) => r.writtenPerSecond)).toFixed(2), String(Math.max(...rs.map((r) => r.maxReady))) + ' (max)', median(rs.map((r) => r.meanReady)).toFixed(1), median(rs.map((r) => r.tps)).toFixed(0), median(rs.map((r) => r.cpuPerSegmentMs)).toFixed(0), median(rs.map((r) => r.foregroundMs)).toFixed(0), (median(rs.map((r) => r.machineBusy)) * 100).toFixed(0), median(rs.map((r) => r.drainSeconds)).toFixed(1), String(rs.reduce((n, r) => n + r.failures, 0)), '', '']);
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n4. sustained archiving, pgbench -c 4 -j 2 -N -T ${config.sustainSeconds} (scale ${config.sustainScale}, checkpoint_timeout 30s), alternating rounds, fresh repositories`);
  console.log(fmt(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
  const lb = results.filter((r) => r.tool === 'lifeboat');
  const br = results.filter((r) => r.tool === 'pgbackrest');
  const lbRate = median(lb.map((r) => r.archivedPerSecond));
  const brRate = median(br.map((r) => r.archivedPerSecond));
  const lbMax = Math.max(...lb.map((r) => r.maxReady));
  const paired = median(lb.map((r, i) => r.archivedPerSecond / br[i]!.archivedPerSecond));
  const line = `  4. async archiving: Lifeboat ${lbRate.toFixed(2)} vs pgBackRest ${brRate.toFixed(2)} segments/s (${(lbRate / brRate).toFixed(2)}x / ${paired.toFixed(2)}x paired), Lifeboat max ${lbMax} .ready (target >= 1.0x with <= 4 waiting): ${lbRate >= brRate * 0.98 && lbMax <= 4 ? 'met' : 'MISSED'}`;
  console.log(line);
  return [line];
}

// ---------------------------------------------------------------------------------------------------------
// 5. Whole-cluster restore to a time.
// ---------------------------------------------------------------------------------------------------------
interface Counts {
  ledger: number;
  history: number;
}

async function waitPromoted(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ host, port, user: 'postgres', database: 'postgres' });
    c.on('error', () => undefined);
    const done = await c.connect().then(async () => !(await c.query('select pg_is_in_recovery() as r')).rows[0].r, () => false).finally(() => c.end().catch(() => undefined));
    if (done) return;
    if (Date.now() > deadline) throw new Error(`not promoted after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function countsAt(connection: { host: string; port: number; user: string; password?: string }): Promise<Counts> {
  const c = new pg.Client({ ...connection, database: 'postgres' });
  await c.connect();
  try {
    const r = (await c.query('select (select count(*) from ledger)::int as ledger, (select count(*) from pgbench_history)::int as history')).rows[0];
    return { ledger: r.ledger, history: r.history };
  } finally {
    await c.end();
  }
}

/** The server log's landmarks: where a restore's time went (seconds from the server's start). */
function landmarks(log: string): string {
  const lines = log.split('\n');
  const at = (l: string | undefined) => {
    const m = l && /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC/.exec(l);
    return m ? Date.parse(m[1]!.replace(' ', 'T') + 'Z') : NaN;
  };
  const first = lines.find((l) => /starting PostgreSQL/.test(l));
  const restored = lines.filter((l) => /restored log file/.test(l));
  const rel = (l: string | undefined) => (l ? `+${((at(l) - at(first)) / 1000).toFixed(1)} s` : '-');
  return `server log: redo starts ${rel(lines.find((l) => /redo starts at/.test(l)))}, ${restored.length} files restored (first ${rel(restored[0])}, last ${rel(restored.at(-1))}), redo done ${rel(lines.find((l) => /redo done at/.test(l)))}, promoted ${rel(lines.filter((l) => /ready to accept connections/.test(l)).at(-1))}`;
}

async function restorePart(): Promise<string[]> {
  console.log(`\n[${elapsed()}] (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`[${elapsed()}] Part 5: whole-cluster restore to a time over ${config.restoreSegments}+ full segments...`);
  const bc = await benchCluster({ checkpoint_timeout: '30s', max_wal_size: '1GB' });
  await bc.pgbench(['-i', '-q', '-s', String(config.restoreScale)]);
  await bc.c.query('create table ledger (id bigserial primary key, at timestamptz not null default clock_timestamp(), note text)');
  await lifeboatService('pitr', bc);
  const stanza = await stanzaFor('pitr', bc);
  // Both repositories get every segment: Lifeboat's wal-push, then pgBackRest's archive-push.
  await bc.setArchiveCommand(`${lifeboatCommandLine('wal-push %p --service pitr')} && ${stanza.commandLine(['archive-push', '%p'])}`);
  await bc.switchAndWait();

  // Base backups: Lifeboat's physical backup (the core's backups.start), then pgBackRest's full backup.
  let started = performance.now();
  const [job] = await t.call('backups.start', { serviceIds: ['pitr'], kind: 'physical' });
  const done = await t.core.jobs.wait(job!.id);
  if (done.state !== 'succeeded') throw new Error(`Lifeboat backup failed: ${done.error?.message}`);
  const backupId = (done.result as { backupId: string }).backupId;
  const lbBackupLsn = await bc.lsn();
  console.log(`  Lifeboat physical backup ${backupId}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await stanza.run(['--type=full', 'backup']);
  console.log(`  pgBackRest full backup: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // The cluster's account reads the backup (backup-fetch in the printed procedure runs as that account).
  await run('chown', ['-R', `${user.uid}:${user.gid}`, join(scratchRoot, 'lbrepo', 'pitr')]);

  // WAL: pgbench -N at full speed (checkpoints every 30 s: full-page images) until enough segments; the
  // ledger gets a row after every pgbench run, so the target falls between two recorded commits.
  const from = await bc.lsn();
  const wantBytes = BigInt(config.restoreSegments) * BigInt(SEG);
  console.log(`  Writing ${config.restoreSegments}+ segments of pgbench -N traffic (archived into both repositories by one archive_command)...`);
  let reported = 0;
  const writeUntil = async (bytes: bigint) => {
    while ((await bc.lsn()) - from < bytes) {
      await bc.pgbench(['-n', '-N', '-c', '4', '-j', '2', '-T', '5']);
      await bc.c.query("insert into ledger (note) values ('after pgbench')");
      const segs = Number(((await bc.lsn()) - from) / BigInt(SEG));
      if (segs - reported >= 40) {
        reported = segs;
        const a = await bc.archiver();
        console.log(`    ${segs} segments written, archiver at ${a.last}, ${await bc.readyCount()} waiting, ${a.failed} failures`);
      }
    }
  };
  await writeUntil(wantBytes);
  // The target: between the last ledger commit and the next, with nothing else committing in between.
  await sleep(300);
  const expected = await countsAt({ host: bc.c.host, port: bc.c.port, user: 'postgres', password });
  const target = await bc.value(`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  const targetLsn = await bc.lsn();
  await sleep(300);
  await bc.c.query("insert into ledger (note) values ('after the target')");
  await writeUntil(wantBytes + 3n * BigInt(SEG));
  const lastSeg = await bc.switchAndWait(600_000);
  const a = await bc.archiver();
  if (a.failed) finding(`part 5: ${a.failed} archive_command failure(s) while writing (last failed ${a.lastFailed})`);
  const lbSegs = new Set(await lifeboatSegments('pitr'));
  const brSegs = new Set(await stanza.segments());
  const segsToTarget = Number((targetLsn - lbBackupLsn) / BigInt(SEG));
  console.log(`  target ${target} (${expected.ledger} ledger rows, ${expected.history} pgbench_history rows); ${segsToTarget} segments from Lifeboat's backup to the target; archived to ${lastSeg}: Lifeboat ${lbSegs.size}, pgBackRest ${brSegs.size} segments`);
  bc.noStaleBuild();

  // Lifeboat's procedure, asked of the CLI as a DBA would (another data dir: the test core holds its own).
  const cliData = await userDir(join(scratchRoot, 'cli-data'));
  // LIFEBOAT_SERVER_KEY_FILE: where the key file sits on the database server (default /etc/lifeboat/repo.key).
  const cliEnv = { ...process.env, LIFEBOAT_SERVER_KEY_FILE: keyFile } as Record<string, string>;
  const printed = await runAs(process.execPath, [lifeboatBin, '--config', t.configPath, '--data-dir', cliData, 'restore-commands', 'pitr', '--at', target, '--json'], { user: { ...user, switched: false }, cwd: scratchRoot, env: cliEnv });
  const view = JSON.parse(printed.stdout) as RestoreCommandsView;
  const human = await runAs(process.execPath, [lifeboatBin, '--config', t.configPath, '--data-dir', cliData, 'restore-commands', 'pitr', '--at', target], { user: { ...user, switched: false }, cwd: scratchRoot, env: cliEnv });
  if (human.stdout.includes('/etc/lifeboat/repo.key')) finding('restore-commands printed /etc/lifeboat/repo.key although LIFEBOAT_SERVER_KEY_FILE names another key file (the bench puts its own in)');
  console.log(`  lifeboat restore-commands pitr --at ${target}:\n${human.stdout.trimEnd().split('\n').map((l) => `    | ${l}`).join('\n')}`);
  if (view.backupId !== backupId) finding(`restore-commands chose backup ${view.backupId}, not ${backupId}`);
  const sourceData = bc.c.dataDir;
  // The live server is stopped (its data directory stays, unused): the restored clusters take its port and
  // socket folder, as on the server itself.
  await runAs(join(pgBin, 'pg_ctl'), ['-D', sourceData, 'stop', '-m', 'fast', '-w'], { ...asUser, env: userEnv() });

  // pgBackRest 2.45 refuses archive-async on restore's command line ("not valid for command 'restore'"): its
  // archive-get (the restore_command it writes names this config file) reads them from the config file.
  await appendFile(stanza.conf, '\n[global:archive-get]\narchive-async=y\narchive-get-queue-max=256MB\n');
  const restoresRoot = await userDir(join(scratchRoot, 'restores'), 0o755);
  ourPaths.push(restoresRoot);
  const pgEnv = userEnv({ PGHOST: bc.c.socketDir, PGPORT: String(bc.c.port), PGUSER: 'postgres', PGDATABASE: 'postgres' });
  const targetPg = target.replace('T', ' ').replace('Z', '+00');
  // The bench's one addition to both procedures: the restored server must not archive into the
  // repositories the next rounds restore from (it would push a timeline 2 there).
  const noArchive = (pgdata: string) => `echo "archive_mode = off" >> ${pgdata}/postgresql.auto.conf`;

  /** Runs a restore's commands (each timed), then waits for promotion; returns the whole time. */
  async function checkedRestore(label: string, base: string, pgdata: string, log: string, body: (step: (what: string, p: Promise<Timed>) => Promise<void>) => Promise<void>): Promise<number> {
    registerCluster({ baseDir: base, dataDir: pgdata, user, binaries: bc.c.binaries });
    const steps: string[] = [];
    try {
      const t0 = performance.now();
      await body(async (what, p) => void steps.push(`${what} ${(await p).seconds.toFixed(2)} s`));
      const beforeWait = performance.now();
      await waitPromoted(bc.c.socketDir, bc.c.port, 3_600_000);
      const seconds = (performance.now() - t0) / 1000;
      steps.push(`then until promoted ${((performance.now() - beforeWait) / 1000).toFixed(2)} s`);
      const got = await countsAt({ host: bc.c.socketDir, port: bc.c.port, user: 'postgres' });
      const ok = got.ledger === expected.ledger && got.history === expected.history;
      console.log(`  ${label}: ${seconds.toFixed(2)} s, ${got.ledger} ledger / ${got.history} pgbench_history rows ${ok ? '(right)' : `(WRONG: expected ${expected.ledger} / ${expected.history})`}`);
      console.log(`    steps: ${steps.join(', ')}`);
      console.log(`    ${landmarks(readFileSync(log, 'utf8'))}`);
      if (!ok) finding(`${label} restored the wrong rows: ${got.ledger} / ${got.history}, expected ${expected.ledger} / ${expected.history}`);
      await runAs(join(pgBin, 'pg_ctl'), ['-D', pgdata, 'stop', '-m', 'immediate', '-w'], { ...asUser, env: userEnv() });
      return ok ? seconds : NaN;
    } finally {
      if (existsSync(join(pgdata, 'postmaster.pid'))) await runAs(join(pgBin, 'pg_ctl'), ['-D', pgdata, 'stop', '-m', 'immediate', '-w'], { ...asUser, env: userEnv(), ok: [0, 1] }).catch(() => undefined);
      // Its workers (prefetcher, pgBackRest's async archive-get) end by themselves when recovery ends.
      const left = await waitForNoProcesses([pgdata, stanza.conf], 45_000);
      if (left.left.length) finding(`${label}: still running ${(left.waitedMs / 1000).toFixed(0)} s after the server stopped: ${left.left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
      const spoolLog = join(pgdata, 'pg_wal', 'lifeboat-spool', 'worker.log');
      if (existsSync(spoolLog)) {
        const text = readFileSync(spoolLog, 'utf8').trim();
        console.log(`    prefetcher log: ${text.split('\n').join(' | ')}`);
        if (/damaged|cannot|error|ERROR/i.test(text)) finding(`${label}: the prefetcher logged a problem:\n${text}`);
      }
      if (existsSync(join(pgdata, 'pg_wal', 'lifeboat-spool', 'get'))) finding(`${label}: pg_wal/lifeboat-spool/get is still there after recovery ended`);
      for (const p of left.left) process.kill(p.pid, 'SIGKILL');
      if (process.env.BENCH_LOGS) console.log(readFileSync(log, 'utf8').split('\n').filter((l) => /restored log file|redo|recovery|timeline|FATAL|ERROR|LOG:  database/.test(l)).slice(0, 60).join('\n'));
      await rm(base, { recursive: true, force: true });
      unregisterCluster(base);
    }
  }

  const methods = {
    procedure: async (round: number) => {
      const base = await userDir(join(restoresRoot, `procedure-${round}`));
      const pgdata = join(base, 'data');
      const log = join(base, 'procedure.log');
      // The printed steps, but for a fresh data directory: the two that act on the live server are skipped.
      const commands = view.steps
        .filter((s) => !/^Stop PostgreSQL|^Keep the current data directory/.test(s.title))
        .flatMap((s) => (/^Configure recovery/.test(s.title) ? [...s.commands, noArchive(pgdata)] : s.commands))
        .map((c) => c.split(sourceData).join(pgdata).split('/etc/lifeboat/repo.key').join(keyFile));
      if (round === 1) console.log(`  the procedure as run:\n${commands.map((c) => `    $ ${c.split('\n').join('\n      ')}`).join('\n')}`);
      return checkedRestore(`Lifeboat's printed procedure, round ${round}`, base, pgdata, log, async (step) => {
        for (const c of commands) await step(c.split(' ').find((w) => /^(lifeboat|cat|touch|echo|pg_ctl|psql)$/.test(w)) ?? c.slice(0, 12), runAs('sh', ['-c', c], { user, cwd: base, env: pgEnv, logFile: log }));
      });
    },
    pgbackrest: async (round: number) => {
      const base = await userDir(join(restoresRoot, `pgbackrest-${round}`));
      const pgdata = join(base, 'data');
      const log = join(base, 'restore.log');
      return checkedRestore(`pgBackRest restore + start, round ${round}`, base, pgdata, log, async (step) => {
        await userDir(pgdata);
        await step('restore', stanza.run([`--pg1-path=${pgdata}`, '--type=time', `--target=${targetPg}`, '--target-action=promote', 'restore'], { logFile: log }));
        await runAs('sh', ['-c', noArchive(pgdata)], { user, cwd: base, env: pgEnv, logFile: log });
        if (round === 1) console.log(`    pgBackRest wrote: ${readFileSync(join(pgdata, 'postgresql.auto.conf'), 'utf8').split('\n').filter((l) => /restore_command|recovery_target/.test(l)).join(' | ')}`);
        await step('pg_ctl start', runAs(join(pgBin, 'pg_ctl'), ['-D', pgdata, '-w', '-t', '3600', 'start'], { user, cwd: base, env: pgEnv, logFile: log }));
      }).finally(() => {
        // archive-get ran asynchronously (queue ahead of replay) when its async process left a log.
        const asyncLog = join(stanza.root, 'log', `${stanza.name}-archive-get-async.log`);
        const text = existsSync(asyncLog) ? readFileSync(asyncLog, 'utf8') : '';
        const begins = text.split('\n').filter((l) => /command begin/.test(l)).length;
        const queued = [...text.matchAll(/get (\d+) WAL file\(s\) from archive/g)].reduce((n, m) => n + Number(m[1]), 0);
        console.log(`    pgBackRest archive-get async process: ${text ? `ran ${begins} time(s), fetched ${queued} segments ahead` : 'DID NOT RUN'}`);
        if (round === 1 && text) console.log(text.split('\n').filter((l) => l.trim()).slice(0, 4).map((l) => `      | ${l.slice(0, 220)}`).join('\n'));
        if (!text) finding('pgBackRest restore did not use its async archive-get: the comparison is with its synchronous one');
        rmSync(asyncLog, { force: true });
      });
    },
    scratch: async (round: number) => {
      const t0 = performance.now();
      const j = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'pitr', target: { kind: 'time', time: target, inclusive: true } })).id);
      const seconds = (performance.now() - t0) / 1000;
      if (j.state !== 'succeeded') throw new Error(`Lifeboat scratch restore failed: ${j.error?.message}`);
      const s = j.result as ScratchView;
      const got = await countsAt(s.connection);
      const ok = got.ledger === expected.ledger && got.history === expected.history;
      console.log(`  Lifeboat scratch restore (restore.pointInTime), round ${round}: ${seconds.toFixed(2)} s, ${got.ledger} / ${got.history} rows ${ok ? '(right)' : '(WRONG)'}; reached: ${s.reached?.detail}`);
      if (!ok) finding(`scratch restore restored the wrong rows: ${got.ledger} / ${got.history}, expected ${expected.ledger} / ${expected.history}`);
      await t.call('scratch.remove', { id: s.id });
      return ok ? seconds : NaN;
    },
  };
  const names = ['procedure', 'pgbackrest', 'scratch'] as const;
  const times: Record<(typeof names)[number], number[]> = { procedure: [], pgbackrest: [], scratch: [] };
  for (let round = 1; round <= config.restoreRounds; round++) {
    const k = (round - 1) % names.length;
    for (const m of [...names.slice(k), ...names.slice(0, k)]) times[m].push(await methods[m](round));
  }

  printTable(`5. whole-cluster restore to a time, ${segsToTarget} full segments after the base backup, ${config.restoreRounds} alternating rounds`, [
    { label: "Lifeboat restore-commands procedure (backup-fetch, staged wal-get --prefetch 16)", times: times.procedure },
    { label: 'pgBackRest restore --type=time, archive-async=y, queue 256MB, then start', times: times.pgbackrest },
    { label: 'Lifeboat scratch restore (restore.pointInTime job)', times: times.scratch },
  ], 2);
  console.log('Ratios, as ratio of the medians / median of the round-by-round ratios:');
  const l1 = ratioLine('5. procedure / pgBackRest', ratios(times.procedure, times.pgbackrest), 1.0);
  const l2 = ratioLine('5. procedure / scratch restore', ratios(times.procedure, times.scratch), 1.2);
  console.log(l1);
  console.log(l2);
  return [l1, l2];
}

let failed = false;
try {
  console.log(`Archive bench${quick ? ' (--quick)' : ''}: ${JSON.stringify(config)}; pgBackRest ${(await runAs('pgbackrest', ['version'], { ...asUser, env: userEnv() })).stdout.trim()}; Node ${process.version}; ${(await run('nproc')).stdout.trim()} cores`);
  if (extraCaCerts) console.log(`NODE_EXTRA_CA_CERTS (${extraCaCerts}) is set here: unset for every child of the bench`);
  console.log(`Lifeboat CLI: the bundle built ${new Date(builtAt).toISOString()} (out/cli, current at the start), copied to ${installed}`);
  await t.call('repo.init', { path: join(scratchRoot, 'lbrepo'), encrypt: true });
  const { key } = await t.core.exportRepositoryKey();
  await writeFile(keyFile, `# Lifeboat repository key\n${key}\n`, { mode: 0o600 });
  await chown(keyFile, user.uid, user.gid);
  const summary: string[] = [];
  if (parts.has('1') || parts.has('2')) summary.push(...(await callParts()));
  if (parts.has('3')) summary.push(...(await helpPart()));
  if (parts.has('4')) summary.push(...(await sustainPart()));
  if (parts.has('5')) summary.push(...(await restorePart()));
  console.log(`\nTargets (ratio of the medians / median of round-by-round ratios), after ${elapsed()}:`);
  for (const l of summary) console.log(l);
} catch (err) {
  failed = true;
  console.error(`\nBENCH FAILED after ${elapsed()}: ${(err as Error).stack ?? err}`);
} finally {
  await t.close().catch(() => undefined);
  for (const c of clusters) await c.stop().catch(() => undefined);
  // Whatever of ours is still running now was not meant to be: say so, then end it by its pid.
  const left = await waitForNoProcesses(ourPaths, 40_000);
  if (left.left.length) {
    finding(`still running at the end: ${left.left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
    for (const p of left.left) process.kill(p.pid, 'SIGKILL');
  }
  if (findings.length) console.log(`\nFindings (${findings.length}):\n${findings.map((f) => `- ${f}`).join('\n')}`);
  await rm(scratchRoot, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
