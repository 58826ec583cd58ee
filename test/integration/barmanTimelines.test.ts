// A Barman service whose database was failed over: the primary archives timeline 1 into Barman, its standby
// is promoted (timeline 2) and archives there too. Barman's list-files of a timeline 1 backup skips the
// segments of later timelines, so Lifeboat reads them from the switch point in the history file with
// `barman get-wal --peek`: the window on timeline 2 runs to the last commit archived after the promotion,
// and a restore through barman recover to a time there (--target-tli 2) holds the rows of both timelines.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgCluster, StandbyPair } from '../support/pgCluster';
import { startPrimaryWithStandby } from '../support/pgCluster';
import { commitRow, midway, restoreToTime } from '../support/rowStory';
import { idsIn } from '../support/scratchQuery';
import { startBarmanService } from '../support/engineService';
import { serverClockPast } from '../support/serverClockPast';
import { until } from '../support/until';

type BarmanService = Awaited<ReturnType<typeof startBarmanService>>;
let s: BarmanService;
let pair: StandbyPair;
/** Row 1 on timeline 1 (the primary), rows 2 and 3 on timeline 2 (the promoted standby). */
const commits: string[] = [];
let switchSegment = '';

/** Commits a row a second after the last one and waits until its segment is shipped to Barman's incoming. */
async function commitShipped(cluster: PgCluster, id: number): Promise<void> {
  await serverClockPast(cluster, commits.at(-1) ?? new Date().toISOString());
  const row = await commitRow(cluster, id);
  await until(`segment ${row.segment} shipped`, async () => (await readdir(s.engine.incoming)).includes(row.segment), 30_000);
  commits.push(row.at);
}

beforeAll(async () => {
  s = await startBarmanService({
    start: async (settings, password) => {
      // Both archive into Barman's incoming; the standby only once it is promoted.
      pair = await startPrimaryWithStandby({ superuserPassword: password, settings });
      return { cluster: pair.primary, stop: () => pair.stop() };
    },
  });
  const [job] = await s.t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  expect((await s.finished(job!)).error).toBeUndefined();
  await commitShipped(pair.primary, 1);
  await pair.waitForReplay();
  await pair.standby.query('select pg_promote(wait => true)');
  await until('the promoted standby\'s history file shipped', async () => (await readdir(s.engine.incoming)).includes('00000002.history'), 30_000);
  const [history] = await pair.standby.query<{ name: string }>("select pg_walfile_name(pg_current_wal_lsn()) as name");
  switchSegment = history!.name;
  await commitShipped(pair.standby, 2);
  await commitShipped(pair.standby, 3);
  await s.engine.archiveWal();
}, 240_000);

afterAll(async () => {
  await s?.close();
});

describe('a Barman service after a failover', () => {
  it('draws timeline 2 from the backup on timeline 1 to the last commit archived after the promotion', async () => {
    expect(switchSegment.startsWith('00000002')).toBe(true);
    // What Barman's own listing of the backup holds: timeline 1 and the history file, no timeline 2 segment.
    const [backup] = await s.t.call('backups.list', { serviceId: 'shop' });
    const listed = await s.engine.run(['list-files', '--target', 'wal', 'shop', backup!.engine!.label]);
    expect(listed).toContain('00000002.history');
    expect(listed).not.toMatch(/\/00000002[0-9A-F]{16}$/m);
    const w = await s.t.call('window.get', { serviceId: 'shop' });
    const tl2 = w.intervals.find((i) => i.timeline === 2)!;
    expect(tl2.backupIds).toEqual([backup!.id]);
    expect(Math.abs(Date.parse(tl2.to) - Date.parse(commits[2]!))).toBeLessThan(5);
    // Timeline 1 is drawn up to what the old primary archived (row 1), not into timeline 2's rows.
    const tl1 = w.intervals.find((i) => i.timeline === 1)!;
    expect(Date.parse(tl1.to)).toBeLessThan(Date.parse(commits[1]!));
    expect(w.gaps).toEqual([]);
  });

  it('restores through barman recover to a time between rows 2 and 3 on timeline 2: rows 1 and 2', async () => {
    const scratch = await restoreToTime(s.t, 'shop', midway(commits[1]!, commits[2]!));
    expect(await idsIn(scratch)).toEqual([1, 2]);
    expect(scratch.reached!.detail).toMatch(/stopped before the commit of transaction \d+/);
    await s.t.call('scratch.remove', { id: scratch.id });
  });
});
