// The `lifeboat` command as installed: the bundle in out/cli answers exactly as the sources run through tsx do
// (LIFEBOAT_FROM_SOURCE=1), for the commands the other tests drive, against a real cluster with a backup and
// archived WAL; every command answers --help and -h with its own usage; and a build older than its sources is
// reported and never used.
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import { COMMANDS } from '../../src/host/cli/commandCatalog';
import { runCli, type CliResult } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, setup: async (c) => void (await c.query('create database shop')) });
let t: TestCore;
let dir: string;
let globals: string[];
let backupId: string;
let segment: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-cli-build-'));
  t = await startTestCore(dir);
  await t.call('repo.init', { path: join(dir, 'repo'), encrypt: true });
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  const done = await t.core.jobs.wait((job as Job).id);
  expect(done.state).toBe('succeeded');
  backupId = (done.result as { backupId: string }).backupId;
  // One archived segment, pushed through the CLI itself.
  const [{ name }] = (await cluster.query<{ name: string }>('select pg_walfile_name(pg_switch_wal()) as name')) as [{ name: string }];
  segment = name;
  const pushed = await runCli(['--config', t.configPath, 'wal-push', join(cluster.dataDir, 'pg_wal', segment), '--service', 'shop']);
  expect(pushed.code, pushed.stderr).toBe(0);
  globals = ['--config', t.configPath, '--data-dir', t.dataDir];
});

/** What may differ between two runs of the same command: the time of day and how long things took. */
function normalised(r: CliResult): { code: number; stdout: string; stderr: string } {
  const scrub = (s: string) =>
    s
      .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:\d\d)?)?/g, '<time>')
      // Ages and durations, whatever their units ("1 min 3 s" one run, "59 s" the next).
      .replace(/(\d+(\.\d+)? ?(ms|s|min|h|d)\b ?)+/g, '<duration> ');
  return { code: r.code, stdout: scrub(r.stdout), stderr: scrub(r.stderr) };
}

describe('the built CLI', () => {
  it('answers --help and -h for every command with that command\'s own usage, exit 0', async () => {
    for (const command of Object.keys(COMMANDS)) {
      for (const flag of ['--help', '-h']) {
        const r = await runCli([command, flag]);
        expect(r.code, `${command} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout, `${command} ${flag}`).toMatch(new RegExp(`^Usage:\\nlifeboat ${command}( |$)`, 'm'));
        // Its own lines, not the whole list.
        expect(r.stdout.split('\n').filter((l) => l.startsWith('lifeboat ') && !l.startsWith(`lifeboat ${command}`)), command).toEqual([]);
      }
    }
    const sub = await runCli(['repo', 'init', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('lifeboat repo init <location>');
  });

  it('gives the same answers as the sources run through tsx', async () => {
    const plan = ['sqlserver', 'plan', '--history', resolve('test/fixtures/sqlserver/msdb-history-sql01.csv'), '--database', 'Sales', '--latest', '--as', 'Sales_copy'];
    const commands: string[][] = [
      ['help'],
      [],
      ['nonsense'],
      ['services', 'list', '--json'],
      ['services', 'list'],
      ['services', 'remove'],
      ['repo', 'info', '--json'],
      ['backups', 'shop', '--json'],
      ['backups', 'shop', '--kind', 'x'],
      ['verify', 'no-such-backup'],
      ['window', 'shop', '--json'],
      ['window', 'shop'],
      ['drills', 'shop', '--json'],
      ['scratch', 'list', '--json'],
      ['jobs', '--json'],
      ['schedules', '--json'],
      ['notifications', '--json'],
      ['webhook', 'list', '--json'],
      ['restore-commands', 'shop', '--latest', '--json'],
      ['restore-commands', 'shop', '--at', '2026-01-01T00:00:00'],
      ['pitr', 'shop'],
      ['runbook', 'shop', '--format', 'md'],
      ['report', '--format', 'md'],
      [...plan, '--json'],
      plan,
      ['wal-get', '00000009.history', join(dir, 'nothing'), '--service', 'shop'],
      ['wal-get', segment, join(dir, 'no-such-folder', 'x'), '--service', 'nobody'],
      ['wal-push', join(dir, 'missing-segment'), '--service', 'shop'],
      ['wal-push', join(dir, 'missing-segment')],
      ['backup-fetch', 'no-such-backup', '--to', join(dir, 'unpack-here')],
      ['replication', 'overview', '--json'],
    ];
    for (const args of commands) {
      const built = normalised(await runCli([...globals, ...args]));
      const source = normalised(await runCli([...globals, ...args], { env: { LIFEBOAT_FROM_SOURCE: '1' } }));
      expect(built, `lifeboat ${args.join(' ')}`).toEqual(source);
    }
    // And the two byte-moving commands hand back the same bytes.
    const fromBuild = join(dir, 'seg-built');
    const fromSource = join(dir, 'seg-source');
    expect((await runCli([...globals, 'wal-get', segment, fromBuild, '--service', 'shop'])).code).toBe(0);
    expect((await runCli([...globals, 'wal-get', segment, fromSource, '--service', 'shop'], { env: { LIFEBOAT_FROM_SOURCE: '1' } })).code).toBe(0);
    const digest = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');
    expect(await digest(fromBuild)).toBe(await digest(fromSource));
    expect(await digest(fromBuild)).toBe(await digest(join(cluster.dataDir, 'pg_wal', segment)));
    expect(backupId).toMatch(/^shop-/);
  });

  it('reports a build older than its sources and runs the sources instead, never the stale build', async () => {
    // A checkout of its own: the real sources and packages, and a copy of the build that must not run.
    const checkout = await mkdtemp(join(tmpdir(), 'lifeboat-stale-'));
    await mkdir(join(checkout, 'bin'));
    await cp(resolve('bin/lifeboat.mjs'), join(checkout, 'bin', 'lifeboat.mjs'));
    await symlink(resolve('src'), join(checkout, 'src'));
    await symlink(resolve('node_modules'), join(checkout, 'node_modules'));
    await cp(resolve('out/cli'), join(checkout, 'out', 'cli'), { recursive: true });
    const info = JSON.parse(await readFile(join(checkout, 'out', 'cli', 'build-info.json'), 'utf8'));
    await writeFile(join(checkout, 'out', 'cli', 'build-info.json'), JSON.stringify({ ...info, builtAt: 1 }));
    await writeFile(join(checkout, 'out', 'cli', 'lifeboat.mjs'), "export async function runCli() { process.stdout.write('THE STALE BUILD RAN\\n'); return 99; }\n");
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, [join(checkout, 'bin', 'lifeboat.mjs'), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    const stale = await run(['help']);
    expect(stale.stderr).toMatch(/The build in out\/cli is older than src\/.+; running from the sources \(slow\)\. Run "npm run build"\./);
    expect(stale.stdout).not.toContain('THE STALE BUILD RAN');
    expect(stale.stdout).toContain('lifeboat wal-push');
    expect(stale.code).toBe(0);
    // Fresh again: the build runs (here, the marker that shows it did).
    await writeFile(join(checkout, 'out', 'cli', 'build-info.json'), JSON.stringify({ ...info, builtAt: Date.now() + 60_000 }));
    const fresh = await run(['help']);
    expect(fresh.stdout).toContain('THE STALE BUILD RAN');
    expect(fresh.code).toBe(99);
    expect(fresh.stderr).toBe('');
  });
});
