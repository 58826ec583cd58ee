// "Find the moment" on SQL Server, against the TDS test double: the log backups msdb lists for the range read
// with fn_dump_dblog and the active log with fn_dblog, answered with rows shaped after the documented output of
// those functions (Current LSN as VLF:block:slot in hex, Transaction ID, Transaction Name, Begin/End Time in the
// server's local time, Lock Information, AllocUnitName and Context). What this does not prove: that a real
// SQL Server writes these exact rows for a DROP, a TRUNCATE or a mass DELETE (see the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MomentScanView } from '../../src/shared/findMoment';
import type { SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { startFindMomentServer } from '../support/tds/fnDblogFixtures';
import type { TdsTestDouble } from '../support/tds/tdsTestDouble';

let double: TdsTestDouble;
let t: SqlServerTestCore;

beforeAll(async () => {
  ({ double, t } = await startFindMomentServer());
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

async function find(input: { table?: string } = {}): Promise<MomentScanView> {
  const job = await t.waitForJob(await t.call('findMoment.start', { serviceId: 'orders-prod', from: '2026-11-24T22:30:00Z', to: '2026-11-25T02:00:00Z', ...input }));
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as MomentScanView;
}

describe('find the moment on SQL Server (TDS test double)', () => {
  it('reads the log backups of the range with fn_dump_dblog and the active log with fn_dblog, and finds the DROP, TRUNCATE, DELETE and UPDATE', async () => {
    double.clearRecords();
    const view = await find();
    const reads = double.statements().map((s) => s.sql).filter((sql) => /fn_dump_dblog|fn_dblog/.test(sql));
    expect(reads).toHaveLength(3);
    expect(reads[0]).toContain("N'D:\\SQLBackups\\orders\\orders-prod_orders_LOG_20261125T000000Z.trn', DEFAULT");
    expect(reads[1]).toContain('orders-prod_orders_LOG_20261125T010000Z.trn');
    expect(reads[2]).toContain('FROM sys.fn_dblog(NULL, NULL)');
    expect(view.findings.map((f) => [f.action, f.xid, f.commitTime, f.relations.map((r) => r.name ?? r.file), f.role.name])).toEqual([
      ['drop', '0000:000004d2', '2026-11-24T23:30:00.200Z', ['object 245575913'], 'CORP\\deployer'],
      ['truncate', '0000:000004e0', '2026-11-25T00:20:00.050Z', ['dbo.audit'], 'CORP\\batch'],
      ['delete', '0000:000004e1', '2026-11-25T00:40:00.500Z', ['dbo.customers'], 'app'],
      ['update', '0000:000004f0', '2026-11-25T01:30:01.000Z', ['dbo.customers'], 'app'],
    ]);
    // Nonclustered index rows are the same rows again: 150, not 300.
    expect(view.findings[2]!.relations[0]).toMatchObject({ rowsDeleted: 150, rowsUpdated: 0 });
    expect(view.findings[0]!.relations[0]!.unresolved).toContain('by its object ID only');
    // 0x62:0x130:1 as a decimal LSN: VLF 98, block 304, slot 1.
    expect(view.findings[0]!.before).toEqual({ engine: 'sqlserver', stopBeforeMark: 'lsn:98000000030400001', stopAt: '2026-11-24T23:30:00.123Z' });
    expect(view.findings[0]!.after).toEqual({ engine: 'sqlserver', stopAtMark: 'lsn:98000000030400005', stopAt: '2026-11-24T23:30:00.200Z' });
    expect(view.scanned.segments).toBe(3);
  });

  it('narrows to one table, keeping a dropped table whose name the log does not give', async () => {
    expect((await find({ table: 'customers' })).findings.map((f) => f.action)).toEqual(['drop', 'delete', 'update']);
    expect((await find({ table: 'dbo.audit' })).findings.map((f) => [f.action, f.xid])).toEqual([
      ['drop', '0000:000004d2'],
      ['truncate', '0000:000004e0'],
    ]);
  });

  it('restores to just before the DROP: full, differential and the log holding it, each log WITH STOPBEFOREMARK', async () => {
    const [drop] = (await find()).findings;
    if (drop!.before.engine !== 'sqlserver') throw new Error('a SQL Server target');
    const lsn = drop!.before.stopBeforeMark!.slice(4);
    double.clearRecords();
    const job = await t.waitForJob(await t.call('sqlserver.restore', { serviceId: 'orders-prod', target: { kind: 'mark', lsn, inclusive: false, time: drop!.before.stopAt }, asDatabase: 'orders_before_drop' }));
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const restores = double.statements().map((s) => s.sql).filter((sql) => /^RESTORE (DATABASE|LOG) /.test(sql));
    expect(restores.map((sql) => /_(FULL|DIFF|LOG)_/.exec(sql)![1])).toEqual(['FULL', 'DIFF', 'LOG']);
    expect(restores[2]).toContain("STOPBEFOREMARK = N'lsn:98000000030400001'");
    expect(restores[2]).toMatch(/[\s,]RECOVERY\b/);
    expect(restores[2]).toContain('orders-prod_orders_LOG_20261125T000000Z.trn');
  });
});
