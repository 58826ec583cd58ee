// The in-process scanner against pg_waldump on every segment a real PostgreSQL archives: ordinary and two-phase
// commits, aborts, a large transaction, pgbench traffic, restore points, a record longer than two segments and
// pg_switch_wal(). Each summary must be what parseWaldump makes of pg_waldump's output for that segment alone.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { findPgTools } from '../../src/core/engines/postgres/pgTools';
import { scanWalSegment, WalSegmentScanner, type SegmentSummary } from '../../src/core/wal/walRecordScan';
import { runProgram } from '../support/runProgram';
import { useCluster } from '../support/useCluster';
import { parseWaldump } from '../support/waldumpSummary';

const cluster = useCluster({
  settings: {
    archive_mode: 'on',
    // The archiver runs in the data directory; the folder beside it is the cluster account's and goes with it.
    archive_command: 'mkdir -p ../archive && cp %p ../archive/%f',
    max_prepared_transactions: 4,
    // No background transactions between the ones the test places.
    autovacuum: false,
  },
});

function waldump(pgWaldump: string, dir: string, name: string): Promise<string> {
  return new Promise((resolve) => {
    // pg_waldump exits non-zero at the end of a lone segment; what it printed is still whole.
    execFile(pgWaldump, ['--path', dir, name], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 }, (_err, stdout) => resolve(stdout ?? ''));
  });
}

describe('in-process WAL scan', () => {
  it('summarises every archived segment as pg_waldump does', async () => {
    const q = (sql: string) => cluster.query(sql);
    const currentSegment = async () => (await cluster.query<{ f: string }>('select pg_walfile_name(pg_current_wal_insert_lsn()) as f'))[0]!.f;

    await q('create table t (id int, note text)');
    for (let i = 0; i < 5; i++) await q(`insert into t values (${i}, 'ordinary commit')`);
    await q("begin; insert into t values (-1, 'rolled back'); rollback");
    await q("begin; insert into t values (10, 'kept'); savepoint s; insert into t values (-2, 'subxact'); rollback to savepoint s; commit");
    await q("select pg_create_restore_point('before the big load')");

    // A segment whose only transaction ends are two-phase ones.
    await q('select pg_switch_wal()');
    const preparedSegment = await currentSegment();
    await q("begin; insert into t values (20, 'two-phase'); prepare transaction 'lifeboat_p1'");
    await q("commit prepared 'lifeboat_p1'");
    await q("begin; insert into t values (21, 'two-phase'); prepare transaction 'lifeboat_p2'");
    await q("rollback prepared 'lifeboat_p2'");
    await q('select pg_switch_wal()');

    // Large transactions: many small records in one, and commit records of several kilobytes.
    await q('create table small (i int)');
    await q('insert into small select generate_series(1, 300000)');
    await q("do $$ begin for i in 1..150 loop execute format('create table wide_%s (a int, b text)', i); end loop; end $$");
    await q("do $$ begin for i in 1..150 loop execute format('drop table wide_%s', i); end loop; end $$");

    const pgbench = cluster.binaries.path('pgbench');
    const connect = ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.superuser];
    const run = { user: cluster.osUser, cwd: cluster.baseDir, env: { PGPASSWORD: cluster.superuserPassword } };
    await runProgram(pgbench, ['-i', '-s', '1', '-q', ...connect, 'postgres'], run);
    await runProgram(pgbench, ['-N', '-T', '3', '-c', '2', '-j', '2', ...connect, 'postgres'], run);

    // One record of 34 MB (over 32 MiB) from the start of a segment: the next segment is continuation from end to end.
    await q('select pg_switch_wal()');
    await q("select pg_logical_emit_message(false, 'lifeboat', repeat('x', 34000000))");
    await q("insert into t values (30, 'after the big message')");
    await q("select pg_create_restore_point('after the big message')");
    const last = await currentSegment();
    await q('select pg_switch_wal()');

    for (let waited = 0; ; waited += 100) {
      const [row] = await cluster.query<{ w: string | null }>('select last_archived_wal as w from pg_stat_archiver');
      if (row?.w && row.w >= last) break;
      if (waited > 60_000) throw new Error(`segment ${last} was not archived in a minute.\n${cluster.logTail()}`);
      await delay(100);
    }

    const archive = join(cluster.baseDir, 'archive');
    const names = (await readdir(archive)).filter((n) => /^[0-9A-F]{24}$/.test(n)).sort();
    const pgWaldump = (await findPgTools(cluster.binaries.major)).path('pg_waldump');
    const scans: Array<{ name: string; summary: SegmentSummary; open: boolean; end: string | undefined }> = [];
    for (const name of names) {
      const bytes = await readFile(join(archive, name));
      const scanner = new WalSegmentScanner();
      scanner.push(bytes);
      const summary = scanner.finish();
      const reference = parseWaldump(await waldump(pgWaldump, archive, name));
      // A record that runs into the next segment starts here, so it counts; pg_waldump stops before printing it.
      expect(summary, name).toStrictEqual({ ...reference, records: reference.records + (scanner.recordOpenAtEnd ? 1 : 0) });
      expect(scanWalSegment(bytes), name).toStrictEqual(summary);
      scans.push({ name, summary, open: scanner.recordOpenAtEnd, end: scanner.end });
    }

    // What makes the comparison mean something: each kind of segment was there.
    expect(names).toContain(last);
    expect(Math.max(...scans.map((s) => s.summary.records))).toBeGreaterThan(10_000);
    expect(scans.flatMap((s) => s.summary.restorePoints.map((p) => p.name))).toEqual(['before the big load', 'after the big message']);
    expect(scans.some((s) => s.open)).toBe(true);
    expect(scans.some((s) => s.end === 'switch')).toBe(true);
    expect(scans.some((s) => s.summary.records === 0 && s.end === 'segment-end')).toBe(true);
    const prepared = scans.find((s) => s.name === preparedSegment)!;
    expect(prepared.summary.firstXactTime).toBeDefined();
    expect(prepared.summary.lastXactTime! >= prepared.summary.firstXactTime!).toBe(true);
  });
});
