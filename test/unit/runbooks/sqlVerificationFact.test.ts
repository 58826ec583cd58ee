import { describe, expect, it } from 'vitest';
import { sqlVerificationFact } from '../../../src/core/runbooks/sqlVerificationFact';
import type { SqlVerificationRecord } from '../../../src/shared/sqlServerViews';

function record(finishedAt: string, ok: boolean, extra: Partial<SqlVerificationRecord> = {}): SqlVerificationRecord {
  return {
    jobId: `job-${finishedAt}`,
    serviceId: 'sales',
    database: 'Sales',
    startedAt: finishedAt,
    finishedAt,
    ok,
    sets: [
      { backupSetId: '201', type: 'D', devices: ['D:\\b\\Sales_FULL.bak'], ok: true },
      { backupSetId: '204', type: 'L', devices: ['D:\\b\\Sales_LOG.trn'], ok },
    ],
    ...(ok ? {} : { error: { code: 'CHECKSUM_MISMATCH', message: 'Sales_LOG.trn is damaged (error 3189)', hint: 'Take a new backup.' } }),
    ...extra,
  };
}

describe("a SQL Server runbook's last verification", () => {
  it('is "never" when nothing was recorded', () => {
    expect(sqlVerificationFact([])).toBeNull();
  });

  it('names the full backup it starts from, when it passed and every set it proved', () => {
    expect(sqlVerificationFact([record('2026-11-24T03:00:00.000Z', true), record('2026-11-25T03:00:00.000Z', true)])).toEqual({
      id: '201',
      at: '2026-11-25T03:00:00.000Z',
      detail: 'RESTORE VERIFYONLY WITH CHECKSUM passed for 2 backup sets of Sales (FULL 201, LOG 204)',
    });
  });

  it('shows a failure since the last pass beside it, and an older failure not at all', () => {
    const records = [record('2026-11-23T03:00:00.000Z', false), record('2026-11-24T03:00:00.000Z', true), record('2026-11-25T03:00:00.000Z', false)];
    expect(sqlVerificationFact(records)!.detail).toBe(
      'RESTORE VERIFYONLY WITH CHECKSUM passed for 2 backup sets of Sales (FULL 201, LOG 204); a later verification FAILED at 2026-11-25 03:00:00Z: Sales_LOG.trn is damaged (error 3189)',
    );
    expect(sqlVerificationFact(records.slice(0, 2))!.detail).not.toContain('FAILED');
  });

  it('says so when no verification has passed yet', () => {
    const failed = record('2026-11-25T03:00:00.000Z', false, { sets: [], error: { code: 'UNREACHABLE', message: 'sql1:1433 did not answer', hint: '' } });
    expect(sqlVerificationFact([failed])).toEqual({ id: failed.jobId, at: failed.finishedAt, detail: 'FAILED at 2026-11-25 03:00:00Z: sql1:1433 did not answer; no verification has passed yet' });
  });
});
