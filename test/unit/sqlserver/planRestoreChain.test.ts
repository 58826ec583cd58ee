import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRestoreChain } from '../../../src/core/sqlserver/planRestoreChain';
import { parseHistoryFile } from '../../../src/core/sqlserver/historyFile';
import { LifeboatError } from '../../../src/core/lifeboatError';
import type { SqlBackupSet, SqlRestorePlan } from '../../../src/shared/sqlServer';

const fixtures = join(__dirname, '../../fixtures/sqlserver');
/** SQL01 (UTC+01:00): Sales, Orders, Billing. SQL02 (UTC-05:00): Inventory, InventoryDamaged, Crm. */
const sql01 = parseHistoryFile(readFileSync(join(fixtures, 'msdb-history-sql01.csv'), 'utf8'));
const sql02 = parseHistoryFile(readFileSync(join(fixtures, 'msdb-history-sql02.json'), 'utf8'));

const at = (time: string) => ({ kind: 'time' as const, time });
const ids = (plan: SqlRestorePlan) => plan.steps.map((s) => s.backupSetId);

function failure(run: () => unknown): LifeboatError {
  try {
    run();
  } catch (error) {
    if (error instanceof LifeboatError) return error;
    throw error;
  }
  throw new Error('expected a LifeboatError');
}

describe('a plain full and log chain (Sales)', () => {
  it('restores the full, then every log up to the one that holds the target, STOPAT on that one', () => {
    const plan = planRestoreChain(sql01, 'Sales', at('2026-11-23T03:30:00+01:00'));
    expect(ids(plan)).toEqual(['101', '102', '103', '104', '105']);
    expect(plan.steps.map((s) => s.type)).toEqual(['D', 'L', 'L', 'L', 'L']);
    expect(plan.steps.at(-1)!.stopAt).toBe('2026-11-23T03:30:00+01:00');
    expect(plan.steps.slice(0, -1).every((s) => s.stopAt === undefined)).toBe(true);
    expect(plan.steps[0]!.devices).toEqual(['\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_1.bak', '\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_2.bak']);
    expect(plan.steps[0]!.why).toMatch(/Newest full backup finished before the target/);
    expect(plan.steps[1]!.why).toMatch(/First log after the full: it starts at LSN 37000001181600001, at or before the restored point 38000000201600001/);
    expect(plan.steps.at(-1)!.why).toMatch(/holds the target .*STOPAT/);
    expect(plan.warnings).toEqual([]);
  });

  it('reads the same instant written in another zone the same way', () => {
    expect(ids(planRestoreChain(sql01, 'Sales', at('2026-11-23T02:30:00Z')))).toEqual(['101', '102', '103', '104', '105']);
  });

  it('stops at a log that ends exactly at the target', () => {
    expect(ids(planRestoreChain(sql01, 'Sales', at('2026-11-23T03:01:00+01:00')))).toEqual(['101', '102', '103', '104']);
  });

  it('restores the full alone when the target is the moment it finished', () => {
    expect(ids(planRestoreChain(sql01, 'Sales', at('2026-11-23T00:10:00+01:00')))).toEqual(['101']);
  });

  it('"latest" runs to the end of the last log, without STOPAT', () => {
    const plan = planRestoreChain(sql01, 'Sales', { kind: 'latest' });
    expect(ids(plan)).toEqual(['101', '102', '103', '104', '105', '106', '107']);
    expect(plan.steps.some((s) => s.stopAt)).toBe(false);
  });

  it('refuses a target before the first full, naming the nearest valid time after it', () => {
    const e = failure(() => planRestoreChain(sql01, 'Sales', at('2026-11-22T23:00:00+01:00')));
    expect(e.code).toBe('OUT_OF_WINDOW');
    expect(e.message).toContain('before the first usable full backup of Sales');
    expect(e.message).toContain('Nearest valid time: 2026-11-23T00:10:00.000+01:00 (after)');
  });

  it('refuses a target after the last log, naming the last valid time and LSN', () => {
    const e = failure(() => planRestoreChain(sql01, 'Sales', at('2026-11-23T07:00:00+01:00')));
    expect(e.code).toBe('OUT_OF_WINDOW');
    expect(e.message).toContain('after the end of the last log backup of Sales, at 2026-11-23T06:01:00.000+01:00 (LSN 44000000001600001)');
    expect(e.message).toContain('Nearest valid time: 2026-11-23T06:01:00.000+01:00 (before)');
  });

  it('refuses a time without a zone and names no database it does not know', () => {
    expect(failure(() => planRestoreChain(sql01, 'Sales', at('2026-11-23T03:30:00'))).code).toBe('INVALID_INPUT');
    expect(failure(() => planRestoreChain(sql01, 'Payroll', { kind: 'latest' })).code).toBe('NOT_FOUND');
  });
});

describe('a missing log (Orders: the 05:00 log is not in the history)', () => {
  it('restores to a time before the gap', () => {
    expect(ids(planRestoreChain(sql01, 'Orders', at('2026-11-23T03:30:00+01:00')))).toEqual(['201', '202', '203', '204', '205']);
  });

  it('refuses a time after the gap with BROKEN_CHAIN, naming the missing LSN range and the times either side', () => {
    const e = failure(() => planRestoreChain(sql01, 'Orders', at('2026-11-23T06:30:00+01:00')));
    expect(e.code).toBe('BROKEN_CHAIN');
    expect(e.message).toContain('LSN 42000000001600001 to 43000000001600001 cannot be restored');
    expect(e.message).toContain('a log backup is missing');
    expect(e.message).toContain('2026-11-23T04:01:00.000+01:00 (before) and 2026-11-23T09:40:00.000+01:00 (after)');
  });

  it('says when "latest" stops before the gap: the first log it cannot apply, its LSN range, the LSNs missing', () => {
    const beforeNextFull = sql01.filter((set) => set.databaseName !== 'Orders' || Number(set.id) < 210);
    const plan = planRestoreChain(beforeNextFull, 'Orders', { kind: 'latest' });
    expect(ids(plan)).toEqual(['201', '202', '203', '204', '205']);
    expect(plan.stopsBeforeBreak).toMatchObject({ backupSetId: '207', firstLsn: '43000000001600001', lastLsn: '44000000001600001', missingFromLsn: '42000000001600001', missingToLsn: '43000000001600001' });
    expect(plan.warnings[0]).toMatch(/^"Latest" stops before a break in the log chain of Orders: .* log 207 \(LSN 43000000001600001 to 44000000001600001/);
    // With the next full in the history, "latest" is its chain: nothing is cut.
    expect(planRestoreChain(sql01, 'Orders', { kind: 'latest' }).stopsBeforeBreak).toBeUndefined();
  });

  it('restores again from the next full after the gap', () => {
    expect(ids(planRestoreChain(sql01, 'Orders', at('2026-11-23T10:30:00+01:00')))).toEqual(['210', '211', '212']);
  });
});

describe('differentials and a copy-only full (Billing)', () => {
  it('uses the newest differential on the full, never the newer copy-only full as its base', () => {
    const plan = planRestoreChain(sql01, 'Billing', at('2026-11-23T07:45:00+01:00'));
    expect(ids(plan)).toEqual(['301', '310', '311']);
    expect(plan.steps[1]!.why).toMatch(/differential base LSN 38000000001600037 is the full's checkpoint LSN/);
    expect(plan.skipped.map((s) => s.backupSetId).sort()).toEqual(['305', '309']);
    expect(plan.skipped.find((s) => s.backupSetId === '309')!.why).toMatch(/Copy-only full 309 .* never a differential base/);
    expect(plan.skipped.find((s) => s.backupSetId === '305')!.why).toMatch(/superseded by the newer differential 310/);
  });

  it('uses an earlier differential while the later one is not yet finished', () => {
    expect(ids(planRestoreChain(sql01, 'Billing', at('2026-11-23T04:30:00+01:00')))).toEqual(['301', '305', '306', '307']);
  });

  it('skips a damaged differential with a warning and goes on from the previous one through the logs', () => {
    const plan = planRestoreChain(sql01, 'Billing', at('2026-11-23T10:30:00+01:00'));
    expect(ids(plan)).toEqual(['301', '310', '311', '312', '314', '315']);
    expect(plan.skipped.find((s) => s.backupSetId === '313')!.why).toMatch(/damaged/);
    expect(plan.warnings.some((w) => w.includes('Differential 313 is damaged') && w.includes('differential 310'))).toBe(true);
  });
});

describe('a copy-only full as the last resort (Billing with its scheduled full damaged)', () => {
  const history = sql01.map((s) => (s.id === '301' ? { ...s, isDamaged: true } : s));

  it('restores from the copy-only full and the logs after it, with a warning', () => {
    const plan = planRestoreChain(history, 'Billing', at('2026-11-23T08:30:00+01:00'));
    expect(ids(plan)).toEqual(['309', '311', '312']);
    expect(plan.steps[0]!.why).toMatch(/^Copy-only full .*no regular full reaches the target/);
    expect(plan.warnings.some((w) => w.includes('copy-only full 309'))).toBe(true);
  });

  it('cannot go back before the copy-only full', () => {
    const e = failure(() => planRestoreChain(history, 'Billing', at('2026-11-23T05:30:00+01:00')));
    expect(e.code).toBe('OUT_OF_WINDOW');
    expect(e.message).toContain('Nearest valid time: 2026-11-23T06:40:00.000+01:00 (after)');
  });
});

describe('two fulls with the log chain running across the second (Inventory, SQL02 at UTC-05:00)', () => {
  it('uses the newest full finished before the target', () => {
    expect(ids(planRestoreChain(sql02, 'Inventory', at('2026-11-23T04:30:00-05:00')))).toEqual(['405', '406', '407']);
  });

  it('uses the first full for a target between the two', () => {
    expect(ids(planRestoreChain(sql02, 'Inventory', at('2026-11-23T02:30:00-05:00')))).toEqual(['401', '402', '403', '404']);
  });

  it('falls back to the first full and the logs across the second when the second is damaged', () => {
    const plan = planRestoreChain(sql02, 'InventoryDamaged', at('2026-11-23T04:30:00-05:00'));
    expect(ids(plan)).toEqual(['501', '502', '503', '504', '506', '507']);
    expect(plan.skipped).toEqual([{ backupSetId: '505', why: expect.stringMatching(/Full 505 is damaged/) }]);
    expect(plan.warnings[0]).toMatch(/Full 505 is damaged.*skipped; the plan uses full 501/);
    expect(plan.steps[0]!.why).toMatch(/^Newest usable full backup finished before the target .*; the newer full is listed under skipped\.$/);
    expect(plan.steps[4]!.why).toBe('Continues the chain: starts at LSN 41000000001600001 where the previous log ended.');
  });
});

describe('a restore that forked the database (Crm restored in place at 04:30 to 02:30)', () => {
  const withoutForkGuids = (sets: SqlBackupSet[]) => sets.map(({ firstRecoveryForkGuid: _f, lastRecoveryForkGuid: _l, ...s }) => s);

  for (const [label, history] of [['with recovery fork GUIDs', sql02], ['with fork_point_lsn alone', withoutForkGuids(sql02)]] as const) {
    it(`keeps the old branch restorable up to the restore (${label})`, () => {
      expect(ids(planRestoreChain(history, 'Crm', at('2026-11-23T03:30:00-05:00')))).toEqual(['601', '602', '603', '604', '605']);
    });

    it(`never chains old-branch logs into the new branch (${label})`, () => {
      expect(ids(planRestoreChain(history, 'Crm', at('2026-11-23T07:30:00-05:00')))).toEqual(['607', '608', '609']);
      expect(ids(planRestoreChain(history, 'Crm', { kind: 'latest' }))).toEqual(['607', '608', '609']);
    });

    it(`refuses a time between the restore and the next full with BROKEN_CHAIN (${label})`, () => {
      const e = failure(() => planRestoreChain(history, 'Crm', at('2026-11-23T05:30:00-05:00')));
      expect(e.code).toBe('BROKEN_CHAIN');
      expect(e.message).toContain('the chain ends at LSN 42000000001600001');
      expect(e.message).toContain('log 606 starts a new recovery fork at LSN 40000000601600001');
      expect(e.message).toContain('2026-11-23T04:01:00.000-05:00 (before) and 2026-11-23T06:10:00.000-05:00 (after)');
    });
  }
});

describe('a database dropped and re-created under the same name (Sales, a day later)', () => {
  const shift = (iso: string) => new Date(Date.parse(iso) + 86_400_000).toISOString();
  const again = sql01
    .filter((s) => s.databaseName === 'Sales')
    .map((s) => ({ ...s, id: `r${s.id}`, familyGuid: '0f0f0f0f-0000-4000-8000-000000000099', firstRecoveryForkGuid: null, lastRecoveryForkGuid: null, backupStartDate: shift(s.backupStartDate), backupFinishDate: shift(s.backupFinishDate), devices: s.devices.map((d) => d.replace('Sales_', 'Sales_new_')) }));
  const history = [...sql01, ...again];

  it('plans each incarnation from its own backups, LSNs overlapping or not', () => {
    expect(ids(planRestoreChain(history, 'Sales', at('2026-11-24T03:30:00+01:00')))).toEqual(['r101', 'r102', 'r103', 'r104', 'r105']);
    expect(ids(planRestoreChain(history, 'Sales', at('2026-11-23T03:30:00+01:00')))).toEqual(['101', '102', '103', '104', '105']);
  });

  it('names the re-creation as the break between them', () => {
    const e = failure(() => planRestoreChain(history, 'Sales', at('2026-11-23T12:00:00+01:00')));
    expect(e.code).toBe('BROKEN_CHAIN');
    expect(e.message).toContain('the chain ends at LSN 44000000001600001');
    expect(e.message).toContain('dropped and re-created: backup r101');
  });
});
