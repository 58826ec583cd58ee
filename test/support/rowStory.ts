// The story every restore test tells: rows committed at known times, each in its own WAL segment, and a
// restore to a time between two of them. One copy for the tests of every engine.
import type { ScratchView } from '../../src/shared/recovery';
import type { PgCluster } from './pgCluster';
import type { TestCore } from './testCore';

/** Commits one row of items(id, note), returns its commit time as the server saw it and the segment it is in,
 * then closes that segment (pg_switch_wal) so it is archived. Needs track_commit_timestamp. */
export async function commitRow(cluster: PgCluster, id: number, database = 'shop'): Promise<{ at: string; segment: string }> {
  await cluster.query('insert into items values ($1, $2)', [id, `row ${id}`], database);
  const [row] = await cluster.query<{ at: string; segment: string }>(
    "select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at, pg_walfile_name(pg_current_wal_lsn()) as segment from items where id = $1",
    [id],
    database,
  );
  await cluster.query('select pg_switch_wal()');
  return row!;
}

/** The moment halfway between two times. */
export const midway = (a: string, b: string) => new Date((Date.parse(a) + Date.parse(b)) / 2).toISOString();

/** A point-in-time restore to `time` that must succeed; the scratch cluster it left. */
export async function restoreToTime(t: TestCore, serviceId: string, time: string): Promise<ScratchView> {
  const job = await t.core.jobs.wait((await t.call('restore.pointInTime', { serviceId, target: { kind: 'time', time, inclusive: true } })).id);
  if (job.error) throw Object.assign(new Error(`restore to ${time} failed: ${job.error.message}`), job.error);
  return job.result as ScratchView;
}
