// `lifeboat find` in words: the table of findings, each finding's evidence, and the two restore commands around it
// as the DBA types them (PostgreSQL: pitr --before-xid/--after-xid with the commit LSN; SQL Server: sqlserver
// restore with STOPBEFOREMARK/STOPATMARK and the time that picks the chain).
import { describe, expect, it } from 'vitest';
import type { MomentFinding, MomentScanView } from '../../../src/shared/findMoment';
import { findingsText, restoreCommandsOf } from '../../../src/host/cli/findCommand';

const pg: MomentFinding = {
  action: 'drop',
  xid: '745',
  commitTime: '2026-11-25T14:03:07.123456Z',
  lsn: '0/3010F10',
  database: 'shop',
  relations: [{ name: 'public.orders', file: '1663/16384/16385', namedBy: 'the catalog of backup b1', action: 'drop', rowsDeleted: 0, rowsUpdated: 0 }],
  role: { name: 'app_owner', source: 'the server log' },
  evidence: ['The commit record at 0/3010F10 drops the files of public.orders.'],
  before: { engine: 'postgres', target: { kind: 'xid', xid: '745', inclusive: false, commitLsn: '0/3010F10' } },
  after: { engine: 'postgres', target: { kind: 'xid', xid: '745', inclusive: true, commitLsn: '0/3010F10' } },
};

const view = (findings: MomentFinding[], engine: 'postgres' | 'sqlserver' = 'postgres'): MomentScanView => ({
  serviceId: 'shop', engine, from: '2026-11-24T14:03:07Z', to: '2026-11-25T14:03:08Z', minRows: 100,
  scanned: { segments: 3, bytes: 48 << 20, first: 'a', last: 'b', tool: 'pg_waldump 15' }, catalogs: ['the catalog of backup b1', 'the live catalog'], notes: [], findings,
});

describe('lifeboat find', () => {
  it('lists each finding and the pitr commands just before and just after it', () => {
    const text = findingsText(view([pg]));
    expect(text).toMatch(/1 +2026-11-25T14:03:07.123456Z +DROP +public\.orders +- +745 +0\/3010F10 +app_owner/);
    expect(text).toContain('restore to just before it: lifeboat pitr shop --before-xid 745 --commit-lsn 0/3010F10');
    expect(text).toContain('restore to just after it:  lifeboat pitr shop --after-xid 745 --commit-lsn 0/3010F10');
    expect(findingsText(view([]))).toContain('No transaction dropped or truncated a table, or deleted or updated 100 rows or more of one');
  });

  it('gives SQL Server restores to the log record, with the time that picks the chain', () => {
    const sql: MomentFinding = { ...pg, xid: '0000:000004d2', lsn: '98000000030400001', before: { engine: 'sqlserver', stopBeforeMark: 'lsn:98000000030400001', stopAt: '2026-11-24T23:30:00.123Z' }, after: { engine: 'sqlserver', stopAtMark: 'lsn:98000000030400005', stopAt: '2026-11-24T23:30:00.200Z' } };
    expect(restoreCommandsOf('orders-prod', sql)).toEqual({
      before: 'lifeboat sqlserver restore orders-prod --stop-before-mark lsn:98000000030400001 --at 2026-11-24T23:30:00.123Z --as <new-db>',
      after: 'lifeboat sqlserver restore orders-prod --stop-at-mark lsn:98000000030400005 --at 2026-11-24T23:30:00.200Z --as <new-db>',
    });
  });
});
