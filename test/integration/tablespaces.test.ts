// A cluster with two extra tablespaces, as production servers have them: backed up physically (BASE_BACKUP read
// by Lifeboat, one stored file per tablespace, nothing in plaintext on disk), verified with pg_verifybackup over
// every tablespace, restored to a time between two commits in a scratch cluster whose tablespaces are relinked
// inside its own folder, with exactly the expected rows in every tablespace, and drilled; backup-fetch puts the
// tablespaces where --tablespace-mapping says and refuses a non-empty folder unless its path is typed; the
// printed whole-cluster restore keeps the old tablespace folders aside or maps them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupView } from '../../src/shared/backups';
import type { Job } from '../../src/shared/jobs';
import type { DrillView, ScratchView } from '../../src/shared/recovery';
import { filesContaining } from '../support/filesContaining';
import { runCli } from '../support/runCli';
import { scratchQuery } from '../support/scratchQuery';
import { startTestCore, type TestCore } from '../support/testCore';
import { createTablespace } from '../support/tablespaceFolder';
import { until } from '../support/until';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const MARKER = `tablespace-marker-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
let t: TestCore;
let fast: string;
let slow: string;
let backup: BackupView;
const commits: string[] = [];

async function commitRow(id: number): Promise<string> {
  for (const table of ['orders', 'ledger', 'notes']) await cluster.query(`insert into ${table} values ($1, $2)`, [id, `${MARKER} ${id}`], 'shop');
  const [row] = await cluster.query<{ at: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from notes where id = $1", [id], 'shop');
  await cluster.query('select pg_switch_wal()');
  return row!.at;
}


beforeAll(async () => {
  t = await startTestCore();
  await t.call('repo.init', { path: join(t.dir, 'repo'), encrypt: true });
  await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } }, policy: { drillChecks: [{ name: 'orders in the fast tablespace', sql: 'select count(*) from orders', min: 1 }] } }, password });
  fast = await createTablespace(cluster, 'fast', 'fast disk');
  slow = await createTablespace(cluster, 'slow');
  await cluster.query('create table orders (id int primary key, note text) tablespace fast', [], 'shop');
  await cluster.query('create table ledger (id int primary key, note text) tablespace slow', [], 'shop');
  await cluster.query('create table notes (id int primary key, note text)', [], 'shop');
  await cluster.query("create index ledger_note on ledger (note) tablespace fast", [], 'shop');
  await t.call('wal.start', { serviceId: 'shop' });
  await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  const [job] = await t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  const done = await t.core.jobs.wait((job as Job).id);
  expect(done.error).toBeUndefined();
  backup = (await t.call('backups.list', { serviceId: 'shop' })).find((b) => b.id === (done.result as { backupId: string }).backupId)!;
  commits.push(await commitRow(1));
  await new Promise((r) => setTimeout(r, 1200));
  commits.push(await commitRow(2));
  await until('WAL archived through row 2', async () => (await t.call('window.get', { serviceId: 'shop' })).intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[1]!)));
});

afterAll(async () => {
  for (const s of await t.call('scratch.list', {}).catch(() => [])) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await t?.close();
});

describe('a cluster with two extra tablespaces', () => {
  it('is backed up with one encrypted file per tablespace, listed with its OID and location, no plaintext on disk', async () => {
    expect(backup.tablespaces?.map((s) => [s.name, s.location])).toEqual([['fast', fast], ['slow', slow]]);
    const files = await readdir(join(t.dir, 'repo', 'shop', 'backups', backup.id));
    expect(files.sort()).toEqual(['backup_manifest.enc', 'base.tar.zst.enc', 'manifest.json', 'reserved.json', ...backup.tablespaces!.map((s) => `tablespace-${s.oid}.tar.zst.enc`)].sort());
    const manifest = JSON.parse(await readFile(join(t.dir, 'repo', 'shop', 'backups', backup.id, 'manifest.json'), 'utf8'));
    expect(manifest.physical).toMatchObject({ serverManifest: 'own file', tablespaces: backup.tablespaces!.map((s) => ({ oid: s.oid, name: s.name, location: s.location, file: `tablespace-${s.oid}.tar.zst.enc` })) });
    // Rows written before the backup would be readable in a plaintext tar; nothing in the repository shows them.
    expect(await filesContaining([join(t.dir, 'repo')], 'PG_VERSION')).toEqual([]);
  });

  it('verifies every tablespace with pg_verifybackup', async () => {
    const job = await t.core.jobs.wait((await t.call('backups.verify', { backupId: backup.id })).id);
    expect(job.error).toBeUndefined();
    expect((job.result as { detail: string }).detail).toMatch(/pg_verifybackup: .*\(data directory and 2 tablespaces\)/);
  });

  it('restores to a time between two commits in a scratch cluster: exactly row 1 in every tablespace, each relinked inside the scratch folder', async () => {
    const between = new Date((Date.parse(commits[0]!) + Date.parse(commits[1]!)) / 2).toISOString();
    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: 'shop', target: { kind: 'time', time: between, inclusive: true } })).id);
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    for (const table of ['orders', 'ledger', 'notes']) expect(await scratchQuery<{ id: number }>(scratch, `select id from ${table} order by id`), table).toEqual([{ id: 1 }]);
    expect(await scratchQuery(scratch, "select note from ledger where note like 'tablespace-marker%' order by note")).toHaveLength(1);
    const places = await scratchQuery<{ spcname: string; location: string }>(scratch, "select spcname, pg_tablespace_location(oid) as location from pg_tablespace where spcname in ('fast', 'slow') order by spcname");
    expect(places.map((p) => p.spcname)).toEqual(['fast', 'slow']);
    for (const p of places) expect(p.location.startsWith(scratch.connection.host), p.location).toBe(true);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('is drilled: RTO measured, amcheck and the check query on the tablespace pass', async () => {
    const job = await t.core.jobs.wait((await t.call('drills.start', { serviceId: 'shop' })).id);
    expect(job.error).toBeUndefined();
    const drill = job.result as DrillView;
    expect(drill.ok).toBe(true);
    expect(drill.rtoMs).toBeGreaterThan(0);
    expect(drill.checks).toEqual([expect.objectContaining({ name: 'orders in the fast tablespace', ok: true })]);
  });

  it('backup-fetch puts each tablespace where --tablespace-mapping says, and refuses a non-empty folder unless its path is typed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-fetch-ts-'));
    const globals = ['--config', t.configPath, '--data-dir', t.dataDir];
    // To where they were: the live cluster's folders are not empty.
    const refused = await runCli([...globals, '--json', 'backup-fetch', backup.id, '--to', join(dir, 'data-a')]);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(fast), hint: expect.stringContaining(`--replace-tablespace ${fast}`) });
    // Mapped elsewhere: unpacked there, and tablespace_map points there.
    const fast2 = join(dir, 'fast2');
    const slow2 = join(dir, 'slow2');
    const fetched = await runCli([...globals, 'backup-fetch', backup.id, '--to', join(dir, 'data-b'), '--tablespace-mapping', `${fast}=${fast2}`, '--tablespace-mapping', `${slow}=${slow2}`]);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain(`tablespace fast (${backup.tablespaces![0]!.oid}) at ${fast2}`);
    const map = await readFile(join(dir, 'data-b', 'tablespace_map'), 'utf8');
    expect(map.trim().split('\n').sort()).toEqual(backup.tablespaces!.map((s) => `${s.oid} ${s.name === 'fast' ? fast2 : slow2}`).sort());
    expect((await readdir(fast2)).some((n) => n.startsWith('PG_15_'))).toBe(true);
    expect((await readdir(join(dir, 'data-b'))).includes('PG_VERSION')).toBe(true);
    // A mapping that names no tablespace of the backup is refused with the real ones.
    const wrong = await runCli([...globals, '--json', 'backup-fetch', backup.id, '--to', join(dir, 'data-c'), '--tablespace-mapping', `/nowhere=${slow2}`]);
    expect(JSON.parse(wrong.stdout).error).toMatchObject({ code: 'INVALID_INPUT', hint: expect.stringContaining(fast) });
  });

  it('prints a whole-cluster restore that keeps the old tablespace folders aside, or maps them', async () => {
    const globals = ['--config', t.configPath, '--data-dir', t.dataDir];
    const inPlace = await runCli([...globals, 'restore-commands', 'shop', '--latest']);
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(inPlace.stdout).toContain('Keep the current data directory and tablespaces');
    expect(inPlace.stdout).toContain(`mv '${fast}' '${fast}.before-restore-`);
    expect(inPlace.stdout).toContain(`mv ${slow} ${slow}.before-restore-`);
    const mapped = await runCli([...globals, 'restore-commands', 'shop', '--latest', '--tablespace-mapping', `${slow}=/srv/slow-restored`]);
    expect(mapped.stdout).toContain(`--tablespace-mapping ${slow}=/srv/slow-restored`);
    expect(mapped.stdout).not.toContain(`mv ${slow} `);
  });
});
