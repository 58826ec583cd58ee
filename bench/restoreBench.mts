// Lifeboat's point-in-time restore against the same restore done by hand with PostgreSQL's tools (untar a
// plain base backup, restore_command copying plain segments, recovery_target_time), on the same base backup
// and the same 50+ WAL segments, in one run. Two kinds of WAL: segments closed early by pg_switch_wal (as
// archive_timeout leaves them on a quiet server: records, then zeros) and full segments of a busy server.
// Also times the recoverable-window computation on a large synthetic archive.
import { execFile, spawn } from 'node:child_process';
import { chownSync, closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { readStoredFile } from '../src/core/repository/storedFileIo';
import { computeRecoverableWindow } from '../src/core/wal/recoverableWindow';
import { formatLsn } from '../src/core/wal/walNames';
import { fetchWalFile } from '../src/core/wal/walArchive';
import { startCluster } from '../test/support/pgCluster';
import { freePort } from '../test/support/freePort';
import { startTestCore } from '../test/support/testCore';
import { clusterOsUser } from '../test/support/unprivilegedUser';
import type { ScratchView } from '../src/shared/recovery';

const run = promisify(execFile);

/** The server log's landmarks, to see where a restore's time goes (BENCH_LOGS=1). */
function milestones(log: string): string {
  const lines = log.split('\n');
  const restored = lines.filter((l) => /restored log file/.test(l));
  const pick = (re: RegExp) => lines.find((l) => re.test(l));
  const at = (l: string) => Date.parse(l.slice(0, 23).replace(' ', 'T') + 'Z');
  // BENCH_LOGS=2: the gaps between restored files, in ms: long ones are replay waiting for a file.
  const gaps = process.env.BENCH_LOGS === '2' ? [`    gaps: ${restored.slice(1).map((l, i) => at(l) - at(restored[i]!)).join(' ')}`] : [];
  return [lines[0], restored[0], restored.at(-1), pick(/redo done/), pick(/checkpoint complete/), pick(/ready to accept connections/), ...gaps].filter(Boolean).map((l) => (l!.startsWith('    ') ? l : `    ${l}`)).join('\n');
}
const segmentsWanted = Number(process.env.BENCH_SEGMENTS ?? 60);
const password = 'bench';
const scratchRoot = await mkdtemp(join(tmpdir(), 'lifeboat-rbench-'));
await chmod(scratchRoot, 0o755); // the by-hand restore runs as the unprivileged account and must get in
const cluster = await startCluster({ superuserPassword: password, settings: { track_commit_timestamp: true, max_wal_size: '4GB' } });
const t = await startTestCore(await mkdtemp(join(scratchRoot, 'core-')));
try {
  const bin = cluster.binaries.dir;
  const env = { ...process.env, PGPASSWORD: password, PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres' };
  await cluster.query('create database shop');
  await run(join(bin, 'pgbench'), ['-i', '-q', '-s', '10', 'shop'], { env });
  await t.call('repo.init', { path: join(scratchRoot, 'repo'), encrypt: true });
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await t.call('wal.start', { serviceId: 'shop' });
  for (let i = 0; i < 100 && !(await t.call('wal.status', { serviceId: 'shop' })).slot?.active; i++) await new Promise((r) => setTimeout(r, 200));
  /** A base backup, then WAL written after it; returns the target time (five segments before the end). */
  async function backupThenWrite(kind: 'switched' | 'full'): Promise<{ backupId: string; target: string }> {
    const before = new Set((await t.call('backups.list', { serviceId: 'shop' })).map((x) => x.id));
    const [b] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
    const job = await t.core.jobs.wait(b!.id);
    if (job.state !== 'succeeded') throw new Error('backup failed');
    const backupId = (await t.call('backups.list', { serviceId: 'shop' })).find((x) => !before.has(x.id))!.id;
    const lsn = async () => BigInt((await cluster.query<{ n: string }>("select (pg_current_wal_lsn() - '0/0')::text as n"))[0]!.n);
    const now = async () => (await cluster.query<{ t: string }>("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as t"))[0]!.t;
    let target = '';
    if (kind === 'switched') {
      // Segments closed early by pg_switch_wal, as archive_timeout does on a quiet server: a few hundred KB
      // of records, then zeros.
      console.log(`Writing ${segmentsWanted} WAL segments of pgbench traffic, each closed by pg_switch_wal...`);
      for (let i = 0; i < segmentsWanted; i++) {
        await run(join(bin, 'pgbench'), ['-n', '-t', '300', '-c', '2', 'shop'], { env });
        if (i === segmentsWanted - 5) target = await now();
        await cluster.query('select pg_switch_wal()');
      }
    } else {
      // Full segments, as a busy server writes them: short pgbench runs (OLTP) between batch updates of a
      // tenth of the accounts each (scattered rows: full-page images after every checkpoint), until
      // 16 MB x segmentsWanted of WAL. pgbench alone on two cores took ten minutes to write them.
      console.log(`Writing ${segmentsWanted} full WAL segments of pgbench traffic and batch updates...`);
      const from = await lsn();
      const seg = 16n << 20n;
      for (let i = 0; (await lsn()) - from < BigInt(segmentsWanted) * seg; i++) {
        await run(join(bin, 'pgbench'), ['-n', '-T', '1', '-c', '2', 'shop'], { env });
        await cluster.query(`update pgbench_accounts set abalance = abalance + 1 where aid % 10 = ${i % 10}`, [], 'shop');
        if (!target && (await lsn()) - from >= BigInt(segmentsWanted - 5) * seg) target = await now();
      }
      await cluster.query('select pg_switch_wal()');
    }
    for (let i = 0; i < 600; i++) {
      const w = await t.call('window.get', { serviceId: 'shop' });
      if (w.intervals.some((iv) => Date.parse(iv.to) > Date.parse(target) + 1000)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { backupId, target };
  }
  const scenarios = [
    { kind: 'switched' as const, ...(await backupThenWrite('switched')) },
    { kind: 'full' as const, ...(await backupThenWrite('full')) },
  ];
  await t.call('wal.stop', { serviceId: 'shop' });
  const status = await t.call('wal.status', { serviceId: 'shop' });
  console.log(`Archived segments: ${status.archivedSegments}`);

  // By hand: the same base backups and WAL, already plain on disk (preparing them is not timed).
  const repo = await t.core.access.repositoryFor(t.core.access.requireService('shop'));
  const key = await t.core.access.keyOf(repo);
  const entries = await repo.list('shop');
  const plainBase = (backupId: string) => join(scratchRoot, `${backupId}.tar`);
  for (const { backupId } of scenarios) {
    const entry = entries.find((e) => e.manifest.id === backupId)!;
    // readStoredFile undoes every layer (encryption, zstd): what comes out is pg_basebackup's plain tar.
    await pipeline(readStoredFile(repo.backupFolder('shop', backupId), entry.manifest.files[0]!, key), createWriteStream(plainBase(backupId)));
  }
  const archive = join(scratchRoot, 'archive');
  await mkdir(archive, { mode: 0o755 });
  // Whole files, zeros written (wal-get's way), as an archive_command's cp would have left them.
  for (const name of (await readdir(join(repo.root, 'shop', 'wal'))).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5))) await fetchWalFile(repo, 'shop', name, join(archive, name), key);
  const user = clusterOsUser();
  await run('chown', ['-R', `${user.uid}:${user.gid}`, archive, ...scenarios.map((sc) => plainBase(sc.backupId))]);
  const asUser = user.switched ? { uid: user.uid, gid: user.gid } : {};

  /** Lifeboat: one call, from the encrypted repository. Phase changes show where the time goes. */
  async function lifeboatRestore(target: string): Promise<number> {
    const phases: Array<{ at: number; phase: string }> = [];
    const stopWatching = t.core.events.subscribe((name, payload) => {
      const phase = name === 'job.changed' ? (payload as { progress?: { phase?: string } }).progress?.phase?.replace(/ to .*$/, '') : undefined;
      if (phase && phases.at(-1)?.phase !== phase) phases.push({ at: performance.now(), phase });
    });
    const started = performance.now();
    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: target, inclusive: true } })).id);
    const seconds = (performance.now() - started) / 1000;
    stopWatching();
    if (job.state !== 'succeeded') throw new Error(`Lifeboat restore failed: ${job.error?.message}`);
    const scratch = job.result as ScratchView;
    console.log(`  Lifeboat ${seconds.toFixed(2)} s: ${phases.map((p) => `+${((p.at - started) / 1000).toFixed(2)} ${p.phase.split(':')[0]}`).join(', ')}`);
    console.log(`    reached: ${scratch.reached?.detail}`);
    if (process.env.BENCH_LOGS) console.log(milestones(readFileSync(t.core.scratch.logFile((await t.core.scratch.get(scratch.id))!), 'utf8')));
    await t.call('scratch.remove', { id: scratch.id });
    return seconds;
  }

  /** By hand: untar the plain base, restore_command cp from the plain archive, recovery_target_time. */
  async function handRestore(label: string, backupId: string, target: string): Promise<number> {
    const handDir = join(scratchRoot, `hand-${label}`);
    await mkdir(handDir, { mode: 0o700 });
    chownSync(handDir, user.uid, user.gid);
    const port = await freePort();
    const logPath = join(scratchRoot, `hand-${label}.log`);
    const started = performance.now();
    await run('tar', ['-x', '-f', plainBase(backupId), '-C', handDir], asUser);
    await appendFile(join(handDir, 'postgresql.auto.conf'), `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${handDir}'\narchive_mode = off\nrestore_command = 'cp "${archive}/%f" "%p"'\nrecovery_target_time = '${target.replace('T', ' ').replace('Z', '+00')}'\nrecovery_target_action = 'promote'\nhot_standby = off\n`);
    await writeFile(join(handDir, 'recovery.signal'), '');
    for (const f of ['postgresql.auto.conf', 'recovery.signal']) chownSync(join(handDir, f), user.uid, user.gid);
    const log = openSync(logPath, 'a');
    const pgproc = spawn(join(bin, 'postgres'), ['-D', handDir], { stdio: ['ignore', log, log], detached: true, ...asUser });
    closeSync(log);
    for (;;) {
      const c = new pg.Client({ host: handDir, port, user: 'postgres', database: 'postgres' });
      c.on('error', () => {});
      const done = await c.connect().then(async () => !(await c.query('select pg_is_in_recovery() as r')).rows[0].r, () => false).finally(() => c.end().catch(() => {}));
      if (done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`  by hand  ${seconds.toFixed(2)} s`);
    if (process.env.BENCH_LOGS) console.log(milestones(readFileSync(logPath, 'utf8')));
    pgproc.kill('SIGINT');
    await new Promise((r) => pgproc.on('exit', r));
    await rm(handDir, { recursive: true, force: true });
    return seconds;
  }

  // Alternating rounds, so a busy moment on the machine hits both sides; the medians are compared.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results = [];
  for (const sc of scenarios) {
    const lbTimes: number[] = [];
    const handTimes: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.log(`${sc.kind} segments, round ${round} of ${rounds} (target ${sc.target})`);
      handTimes.push(await handRestore(`${sc.kind}-${round}`, sc.backupId, sc.target));
      lbTimes.push(await lifeboatRestore(sc.target));
    }
    results.push({ kind: sc.kind, lbTimes, handTimes, ratio: median(lbTimes) / median(handTimes), paired: median(lbTimes.map((x, i) => x / handTimes[i]!)) });
  }

  // The window computation at scale: 10,000 segments and 100 backups.
  const segments = Array.from({ length: 10_000 }, (_, n) => ({ timeline: 1, segNo: n + 2, firstXactTime: new Date(1.7e12 + n * 60_000).toISOString(), lastXactTime: new Date(1.7e12 + n * 60_000 + 50_000).toISOString() }));
  const hex = (n: number) => formatLsn(BigInt(n) * 16777216n + 40n);
  const backups = Array.from({ length: 100 }, (_, i) => ({ id: `b${i}`, timeline: 1, startLsn: hex(2 + i * 100), stopLsn: hex(3 + i * 100), stopTime: new Date(1.7e12 + (1 + i * 100) * 60_000).toISOString() }));
  computeRecoverableWindow({ segments, backups, histories: [] });
  const wStart = performance.now();
  for (let i = 0; i < 10; i++) computeRecoverableWindow({ segments, backups, histories: [] });
  const windowMs = (performance.now() - wStart) / 10;

  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  const labels = { switched: 'segments closed by pg_switch_wal', full: 'full segments (OLTP and batch updates)' };
  console.log(`\n${`restore to a time, ${segmentsWanted}+ segments (median of ${rounds} alternating rounds)`.padEnd(80)}  seconds  rounds`);
  console.log(`${'-'.repeat(80)}  -------  ------`);
  for (const r of results) {
    console.log(`${`by hand (untar, cp, recovery_target_time), ${labels[r.kind]}`.padEnd(80)}  ${median(r.handTimes).toFixed(2).padStart(7)}  ${list(r.handTimes)}`);
    console.log(`${`Lifeboat (decrypt, stage, recover, report), ${labels[r.kind]}`.padEnd(80)}  ${median(r.lbTimes).toFixed(2).padStart(7)}  ${list(r.lbTimes)}`);
  }
  console.log('');
  console.log('Ratio Lifeboat / by hand, as ratio of the medians / median of the round-by-round ratios (target <= 1.10x):');
  for (const r of results) console.log(`  ${labels[r.kind]}: ${r.ratio.toFixed(2)}x / ${r.paired.toFixed(2)}x`);
  console.log(`${status.archivedSegments} segments archived`);
  console.log(`Window computation, 10,000 segments and 100 backups: ${windowMs.toFixed(1)} ms (target < 50 ms)`);
} finally {
  await t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t.close();
  await cluster.stop();
  await rm(scratchRoot, { recursive: true, force: true });
}
