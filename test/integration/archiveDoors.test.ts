// The archive doors as a busy server uses them: a real cluster archives through `lifeboat wal-push --async`
// (one background pusher, answers in pg_wal/lifeboat-spool), and a whole-cluster restore fetches its WAL through
// `lifeboat wal-get --prefetch 8` (a background prefetcher keeps the next segments staged). Every segment arrives
// byte for byte, none is acknowledged to PostgreSQL before it is in the repository, a pusher killed with SIGKILL
// mid-batch loses nothing, recovery stops exactly at the target, a damaged prefetched copy is refused and fetched
// again, and "not archived" is exit 1 while a damaged archive is a fatal exit for recovery.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import { parseSegmentName, segmentName } from '../../src/core/wal/walNames';
import { removeAbandonedWrites } from '../../src/core/wal/walArchive';
import { PosixStore } from '../../src/core/repository/store/posixStore';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { runCli } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { clusterOsUser } from '../support/unprivilegedUser';
import { until } from '../support/until';
import { restoreThroughWalGet } from '../support/walGetRestore';

const password = `pw-${randomBytes(6).toString('hex')}`;
let dir: string;
let t: TestCore;
let cluster: PgCluster;
let keyFile: string;
let walDir: string;
let backupId: string;
let cliEnv: Record<string, string>;
const commitTimes: string[] = [];
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');


async function archiver(): Promise<{ last: string; failed: number }> {
  const [row] = await cluster.query<{ w: string | null; failed: string }>('select last_archived_wal as w, failed_count as failed from pg_stat_archiver');
  return { last: row!.w ?? '', failed: Number(row!.failed) };
}

const switchWal = async () => (await cluster.query<{ name: string }>('select pg_walfile_name(pg_switch_wal()) as name'))[0]!.name;
const sidecar = (name: string) => JSON.parse(readFileSync(join(walDir, `${name}.json`), 'utf8')) as { sourceSha256: string; kind: string; file: { name: string } };
const archivedSegments = async () => (await readdir(walDir)).filter((n) => /^[0-9A-F]{24}\.json$/.test(n)).map((n) => n.slice(0, 24)).sort();
const spoolLog = (pgdata: string) => readFileSync(join(pgdata, 'pg_wal', 'lifeboat-spool', 'worker.log'), 'utf8');

beforeAll(async () => {
  const user = clusterOsUser();
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-doors-'));
  await chmod(dir, 0o755);
  t = await startTestCore(dir);
  await t.call('repo.init', { path: join(dir, 'repo'), encrypt: true });
  const { key } = await t.core.exportRepositoryKey();
  // The database server's side, as the README says: a 0600 key file for the postgres account.
  keyFile = join(dir, 'repo.key');
  await writeFile(keyFile, `# Lifeboat repository key\n${key}\n`, { mode: 0o600 });
  walDir = join(dir, 'repo', 'shop', 'wal');
  await mkdir(walDir, { recursive: true });
  for (const path of [keyFile, join(dir, 'repo', 'shop'), walDir]) await chown(path, user.uid, user.gid);
  const cli = `${process.execPath} ${resolve('bin/lifeboat.mjs')} --config ${t.configPath}`;
  cliEnv = { LIFEBOAT_KEY_FILE: keyFile };
  cluster = await startCluster({
    superuserPassword: password,
    settings: {
      archive_mode: 'on',
      archive_command: `LIFEBOAT_KEY_FILE=${keyFile} LIFEBOAT_WAL_WORKER_IDLE_SECONDS=3 ${cli} wal-push --async %p --service shop`,
      // Segments stay in pg_wal after archiving, to compare with what the repository hands back.
      wal_keep_size: '2GB',
      max_wal_size: '2GB',
      track_commit_timestamp: true,
    },
  });
  await cluster.query('create database shop');
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await chmod(t.configPath, 0o644);
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  const done = await t.core.jobs.wait((job as Job).id);
  expect(done.state).toBe('succeeded');
  backupId = (done.result as { backupId: string }).backupId;
  await cluster.query('create table items (id int primary key, note text)', [], 'shop');
});

afterAll(async () => {
  await cluster?.stop();
  await t?.close();
});

describe('wal-push --async', () => {
  it('archives 55 segments byte for byte and acknowledges none before it is in the repository', async () => {
    // Watch what PostgreSQL counts as archived: at that moment its sidecar (written last) must be there.
    const acknowledgedEarly: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { last } = await archiver();
        if (last && /^[0-9A-F]{24}$/.test(last) && !existsSync(join(walDir, `${last}.json`))) acknowledgedEarly.push(last);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let last = '';
    for (let id = 1; id <= 55; id++) {
      await cluster.query('insert into items values ($1, $2)', [id, `row ${id}`], 'shop');
      const [row] = await cluster.query<{ at: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from items where id = $1", [id], 'shop');
      commitTimes.push(row!.at);
      last = await switchWal();
    }
    await until(`${last} to be archived`, async () => (await archiver()).last >= last);
    watching = false;
    await watcher;
    expect(acknowledgedEarly).toEqual([]);
    expect((await archiver()).failed).toBe(0);

    const segments = (await archivedSegments()).filter((n) => existsSync(join(cluster.dataDir, 'pg_wal', n)));
    expect(segments.length).toBeGreaterThanOrEqual(55);
    for (const name of segments) {
      const dest = join(dir, 'fetched');
      const got = await runCli(['--config', t.configPath, 'wal-get', name, dest, '--service', 'shop'], { env: cliEnv });
      expect(got.code, got.stderr).toBe(0);
      expect((await readFile(dest)).equals(await readFile(join(cluster.dataDir, 'pg_wal', name))), name).toBe(true);
    }
    // One pusher did the work, in the background, and said so in the spool's log.
    expect(spoolLog(cluster.dataDir)).toMatch(/pusher started/);
  });

  it('loses nothing when the background pusher is killed with SIGKILL mid-batch: PostgreSQL retries, each segment arrives once', async () => {
    await cluster.query('create table bulk (id int, pad text)', [], 'shop');
    const first = (await archiver()).last;
    const lockFile = join(cluster.dataDir, 'pg_wal', 'lifeboat-spool', 'pusher.lock');
    // Kill the pusher while a segment is half-written into the repository (its temporary file is there).
    let killed: number | undefined;
    let abandoned = 0;
    let hunting = true;
    const hunter = (async () => {
      while (hunting && killed === undefined) {
        const pid = Number(await readFile(lockFile, 'utf8').catch(() => ''));
        const writing = (await readdir(walDir)).some((n) => new RegExp(`\\.tmp-${pid}(-[0-9a-f]+)?$`).test(n));
        if (pid > 0 && writing) {
          process.kill(pid, 'SIGKILL');
          killed = pid;
          // What the kill left half-written (it may have finished the rename a moment before it).
          abandoned = (await readdir(walDir)).filter((n) => new RegExp(`\\.tmp-${pid}(-[0-9a-f]+)?$`).test(n)).length;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    let last = '';
    for (let i = 0; i < 6; i++) {
      await cluster.query("insert into bulk select g, repeat(md5(g::text), 4) from generate_series(1, 60000) g", [], 'shop');
      last = await switchWal();
    }
    await until(`${last} to be archived after the kill`, async () => (await archiver()).last >= last, 120_000);
    hunting = false;
    await hunter;
    expect(killed).toBeDefined();

    const burst = (await archivedSegments()).filter((n) => n > first && n <= last);
    expect(burst.length).toBeGreaterThanOrEqual(6);
    for (const name of burst) expect(sidecar(name).sourceSha256, name).toBe(sha256(await readFile(join(cluster.dataDir, 'pg_wal', name))));
    // Once: the stored file each sidecar names is there, the killed push's half-written file was removed, and
    // stored bytes no sidecar names (a push killed between storing and recording) go once they are old.
    await removeAbandonedWrites({ store: new PosixStore({ kind: 'posix', path: join(dir, 'repo') }) }, 'shop', Date.now() + 16 * 60_000);
    const files = await readdir(walDir);
    for (const name of burst) expect(files.filter((f) => f.startsWith(name) && !f.endsWith('.json'))).toEqual([sidecar(name).file.name]);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    if (abandoned) expect(spoolLog(cluster.dataDir)).toMatch(new RegExp(`removed ${abandoned} file\\(s\\) a killed push left half-written`));
  });
});

describe('when archive_command stops naming wal-push --async', () => {
  it('the pusher stops too, and stores nothing PostgreSQL no longer asks for', async () => {
    const lockFile = join(cluster.dataDir, 'pg_wal', 'lifeboat-spool', 'pusher.lock');
    await cluster.query("alter system set archive_command = 'true'");
    await cluster.query('select pg_reload_conf()');
    try {
      // Segments archived by 'true' from now on; the pusher must not pick them up from archive_status.
      let last = '';
      for (let i = 0; i < 3; i++) {
        await cluster.query('insert into items values ($1, $2)', [1000 + i, 'not for lifeboat'], 'shop');
        last = await switchWal();
      }
      await until(`${last} to be archived by 'true'`, async () => (await archiver()).last >= last);
      await until('the pusher to stop', async () => !existsSync(lockFile));
      const stored = new Set(await archivedSegments());
      for (let i = 0; i < 3; i++) last = await switchWal();
      await until(`${last} to be archived by 'true'`, async () => (await archiver()).last >= last);
      expect((await archivedSegments()).filter((n) => !stored.has(n))).toEqual([]);
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      await cluster.query('alter system reset archive_command');
      await cluster.query('select pg_reload_conf()');
    }
  });
});

describe('wal-get --prefetch', () => {
  it('restores the whole cluster to a time between rows 40 and 41 through the prefetching restore_command: exactly rows 1 to 40', async () => {
    const target = new Date((Date.parse(commitTimes[39]!) + Date.parse(commitTimes[40]!)) / 2).toISOString();
    const restored = await restoreThroughWalGet({ configPath: t.configPath, backupId, service: 'shop', password, targetTime: target, keyFile });
    try {
      const rows = await restored.query<{ id: number }>('select id from items order by id', [], 'shop');
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(restored.logTail(200)).toMatch(/recovery stopping before commit of transaction/);
      // The prefetcher served recovery from its spool, and removed the spool once recovery ended.
      await until('the prefetcher to remove its spool', async () => !existsSync(join(restored.dataDir, 'pg_wal', 'lifeboat-spool', 'get')));
      const stopped = /prefetcher stopped: (\d+) fetched ahead, (\d+) taken by recovery/.exec(spoolLog(restored.dataDir));
      expect(stopped, spoolLog(restored.dataDir)).not.toBeNull();
      expect(Number(stopped![2])).toBeGreaterThan(10);
    } finally {
      await restored.stop();
    }
  });

  it('refuses a prefetched copy damaged on disk and fetches it again; says "not archived" (exit 1) for a missing segment', async () => {
    // A data directory in recovery, as the prefetcher expects (it stops when recovery.signal goes).
    const pgdata = join(dir, 'recovering');
    await mkdir(join(pgdata, 'pg_wal'), { recursive: true });
    await writeFile(join(pgdata, 'recovery.signal'), '');
    const segments = (await archivedSegments()).filter((n) => sidecar(n).kind === 'segment');
    const [a, b] = [segments[5]!, segments[6]!];
    const get = (name: string) => runCli(['--config', t.configPath, 'wal-get', '--prefetch', '4', name, join(pgdata, 'pg_wal', 'RECOVERYXLOG'), '--service', 'shop'], { env: cliEnv });
    expect((await get(a)).code).toBe(0);
    const staged = join(pgdata, 'pg_wal', 'lifeboat-spool', 'get', b);
    await until(`${b} to be prefetched`, async () => existsSync(staged), 60_000, async () => ({ spool: await readdir(join(pgdata, 'pg_wal', 'lifeboat-spool', 'get')).catch((e: Error) => e.message), log: spoolLog(pgdata) }));
    const copy = await readFile(staged);
    copy[copy.length >> 2]! ^= 0xff;
    await writeFile(staged, copy);

    const again = await get(b);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${b}: the prefetched copy is damaged`));
    expect(sha256(await readFile(join(pgdata, 'pg_wal', 'RECOVERYXLOG')))).toBe(sidecar(b).sourceSha256);

    const { timeline, segNo } = parseSegmentName(segments.at(-1)!);
    await rm(join(pgdata, 'pg_wal', 'RECOVERYXLOG'));
    const missing = await get(segmentName(timeline, segNo + 5));
    expect(missing.code).toBe(1);
    expect(existsSync(join(pgdata, 'pg_wal', 'RECOVERYXLOG'))).toBe(false);

    await rm(join(pgdata, 'recovery.signal'));
    await until('the prefetcher to stop once recovery has ended', async () => !existsSync(join(pgdata, 'pg_wal', 'lifeboat-spool', 'get')));
  });

  it('answers a damaged segment in the repository with a fatal exit (126), so recovery stops instead of ending early', async () => {
    const segments = (await archivedSegments()).filter((n) => sidecar(n).kind === 'segment');
    const victim = segments[2]!;
    const stored = join(walDir, sidecar(victim).file.name);
    const bytes = await readFile(stored);
    bytes[bytes.length >> 1]! ^= 0x01;
    await writeFile(stored, bytes);
    const got = await runCli(['--config', t.configPath, 'wal-get', victim, join(dir, 'damaged'), '--service', 'shop'], { env: cliEnv });
    expect(got.code).toBe(126);
    expect(got.stderr).toMatch(/CHECKSUM_MISMATCH/);
    expect(existsSync(join(dir, 'damaged'))).toBe(false);
  });
});

describe('backup-fetch as an account that may not read the backup', () => {
  it('says PERMISSION_DENIED naming the file, not "no such backup"', async () => {
    const user = clusterOsUser();
    const dest = join(dir, 'fetch-as-other');
    await mkdir(dest);
    await chown(dest, user.uid, user.gid);
    const run = await new Promise<{ code: number | null; stdout: string }>((done) => {
      let stdout = '';
      const child = spawn(process.execPath, [resolve('bin/lifeboat.mjs'), '--config', t.configPath, '--data-dir', join(dest, 'state'), '--json', 'backup-fetch', backupId, '--to', join(dest, 'data')], { uid: user.uid, gid: user.gid, env: { PATH: process.env.PATH, HOME: dest, LIFEBOAT_KEY_FILE: keyFile } });
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code) => done({ code, stdout }));
    });
    expect(run.code, run.stdout).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining(backupId) });
  });
});
