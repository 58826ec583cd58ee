// The commit times recorded for an archived segment are that segment's own: archive_command hands Lifeboat a
// segment in pg_wal, next to the segments that follow it, and a summary that read on into them would claim a
// window reaching past the archived WAL. The scanner reads the segment's bytes only, as archive_command has them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanWalSegment } from '../../src/core/wal/walRecordScan';
import { useCluster } from '../support/useCluster';

const cluster = useCluster({ settings: { track_commit_timestamp: true } });

describe('segment commit times', () => {
  it('summarises one segment only, even with the next segment beside it', async () => {
    await cluster.query('create table t (id int)');
    const segmentOf = async () => (await cluster.query<{ f: string }>('select pg_walfile_name(pg_current_wal_insert_lsn()) as f'))[0]!.f;
    const first = await segmentOf();
    await cluster.query('insert into t values (1)');
    const [row] = await cluster.query<{ c: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as c from t where id = 1");
    await cluster.query('select pg_switch_wal()');
    await new Promise((r) => setTimeout(r, 50));
    await cluster.query('insert into t values (2)');
    const second = await segmentOf();
    expect(second).not.toBe(first);
    await cluster.query('select pg_switch_wal()');

    const summary = async (name: string) => scanWalSegment(await readFile(join(cluster.dataDir, 'pg_wal', name)));
    const one = await summary(first);
    const two = await summary(second);
    expect(one.lastXactTime).toBe(new Date(row!.c).toISOString());
    expect(Date.parse(two.firstXactTime!)).toBeGreaterThan(Date.parse(one.lastXactTime!));
    expect(two.lastXactTime).toBe(two.firstXactTime);
  });
});
