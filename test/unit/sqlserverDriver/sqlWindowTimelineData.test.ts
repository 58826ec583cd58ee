// A SQL Server recoverable window drawn on the shared timeline: log runs as bars, gaps, fulls as marks.
import { describe, expect, it } from 'vitest';
import type { SqlBackupSet } from '../../../src/shared/sqlServer';
import { logCoverage, sqlWindowTimelineData } from '../../../src/renderer/src/pages/sqlserver/sqlWindowTimelineData';

const log = (id: string, first: string, last: string, start: string, finish: string): SqlBackupSet => ({
  id, databaseName: 'orders', type: 'L', firstLsn: first, lastLsn: last, checkpointLsn: '1', databaseBackupLsn: '1', differentialBaseLsn: '1',
  backupStartDate: start, backupFinishDate: finish, isCopyOnly: false, isDamaged: false, hasBackupChecksums: true, recoveryModel: 'FULL', devices: [],
});

describe('SQL Server window on the timeline', () => {
  it('draws one bar per unbroken run of log backups', () => {
    const bars = logCoverage(
      [
        log('1', '100', '200', '2026-11-25T00:00:00Z', '2026-11-25T01:00:00Z'),
        log('2', '200', '300', '2026-11-25T01:00:00Z', '2026-11-25T02:00:00Z'),
        log('3', '400', '500', '2026-11-25T03:00:00Z', '2026-11-25T04:00:00Z'),
      ],
      'r',
    );
    expect(bars.map((b) => [b.from, b.to])).toEqual([
      [Date.parse('2026-11-25T00:00:00Z'), Date.parse('2026-11-25T02:00:00Z')],
      [Date.parse('2026-11-25T03:00:00Z'), Date.parse('2026-11-25T04:00:00Z')],
    ]);
  });

  it('maps intervals, gaps and fulls into one database row', () => {
    const data = sqlWindowTimelineData({
      serviceId: 's',
      databaseName: 'orders',
      now: '2026-11-25T05:00:00Z',
      sets: [],
      window: {
        databaseName: 'orders',
        intervals: [{ from: '2026-11-25T00:00:00Z', to: '2026-11-25T02:00:00Z', fromLsn: '100', toLsn: '300' }],
        gaps: [{ fromLsn: '300', toLsn: '400', after: '2026-11-25T02:00:00Z', before: '2026-11-25T03:00:00Z' }],
        fulls: [{ id: '7', finishedAt: '2026-11-25T00:00:00Z', usable: true, copyOnly: false }],
      },
    });
    expect(data.rows).toEqual([{ key: 'database-orders', label: 'orders' }]);
    expect(data.gaps[0]).toMatchObject({ label: 'missing LSN 300..400', from: Date.parse('2026-11-25T02:00:00Z') });
    expect(data.marks).toEqual([expect.objectContaining({ id: '7', usable: true })]);
  });
});
