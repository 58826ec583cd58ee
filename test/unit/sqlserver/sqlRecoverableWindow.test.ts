import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistoryFile } from '../../../src/core/sqlserver/historyFile';
import { planRestoreChain } from '../../../src/core/sqlserver/planRestoreChain';
import { sqlRecoverableWindow } from '../../../src/core/sqlserver/sqlRecoverableWindow';
import type { SqlBackupSet } from '../../../src/shared/sqlServer';

const fixtures = join(__dirname, '../../fixtures/sqlserver');
const sql01 = parseHistoryFile(readFileSync(join(fixtures, 'msdb-history-sql01.csv'), 'utf8'));
const sql02 = parseHistoryFile(readFileSync(join(fixtures, 'msdb-history-sql02.json'), 'utf8'));

describe('recoverable window', () => {
  it('runs from the first full\'s finish to the end of the last log', () => {
    expect(sqlRecoverableWindow(sql01, 'Sales')).toEqual({
      databaseName: 'Sales',
      intervals: [{ from: '2026-11-23T00:10:00.000+01:00', to: '2026-11-23T06:01:00.000+01:00', fromLsn: '38000000201600001', toLsn: '44000000001600001' }],
      gaps: [],
      fulls: [{ id: '101', finishedAt: '2026-11-23T00:10:00.000+01:00', usable: true, copyOnly: false }],
    });
  });

  it('names a missing log as a gap with its LSN range and the valid times either side', () => {
    const w = sqlRecoverableWindow(sql01, 'Orders');
    expect(w.intervals.map((i) => [i.from, i.to])).toEqual([
      ['2026-11-23T00:10:00.000+01:00', '2026-11-23T04:01:00.000+01:00'],
      ['2026-11-23T09:40:00.000+01:00', '2026-11-23T11:01:00.000+01:00'],
    ]);
    expect(w.gaps).toEqual([
      {
        fromLsn: '42000000001600001',
        toLsn: '43000000001600001',
        after: '2026-11-23T04:01:00.000+01:00',
        before: '2026-11-23T09:40:00.000+01:00',
        cause: 'missing',
        reason: 'no log backup in the history starts at LSN 42000000001600001: a log backup is missing',
      },
    ]);
  });

  it('flags damaged and copy-only fulls; a copy-only full still opens an interval of its own', () => {
    expect(sqlRecoverableWindow(sql02, 'InventoryDamaged').fulls.map((f) => [f.id, f.usable, f.copyOnly])).toEqual([['501', true, false], ['505', false, false]]);
    expect(sqlRecoverableWindow(sql01, 'Billing').fulls.map((f) => [f.id, f.usable, f.copyOnly])).toEqual([['301', true, false], ['309', true, true]]);
    expect(sqlRecoverableWindow(sql01, 'Billing').intervals).toHaveLength(1);
  });

  it('shows a restore-made fork as a gap between the branches', () => {
    const w = sqlRecoverableWindow(sql02, 'Crm');
    expect(w.intervals.map((i) => [i.from, i.to])).toEqual([
      ['2026-11-23T00:10:00.000-05:00', '2026-11-23T04:01:00.000-05:00'],
      ['2026-11-23T06:10:00.000-05:00', '2026-11-23T08:01:00.000-05:00'],
    ]);
    expect(w.gaps[0]).toMatchObject({ cause: 'fork', after: '2026-11-23T04:01:00.000-05:00', before: '2026-11-23T06:10:00.000-05:00' });
  });

  it('shows logs stranded after a damaged log as a trailing gap', () => {
    const history = sql01.map((s) => (s.id === '105' ? { ...s, isDamaged: true } : s));
    const w = sqlRecoverableWindow(history, 'Sales');
    expect(w.intervals.map((i) => i.to)).toEqual(['2026-11-23T03:01:00.000+01:00']);
    expect(w.gaps).toEqual([{ fromLsn: '41000000001600001', toLsn: '42000000001600001', after: '2026-11-23T03:01:00.000+01:00', cause: 'damaged', reason: expect.stringContaining('log 105 is damaged') }]);
  });

  it('names a switch to SIMPLE recovery as the cause of a break', () => {
    // Orders lost its 05:00 log; say msdb also shows a differential taken under SIMPLE at 04:30.
    const diff = { ...sql01.find((s) => s.id === '210')!, id: '299', type: 'I' as const, recoveryModel: 'SIMPLE' as const, backupStartDate: '2026-11-23T04:30:00.000+01:00', backupFinishDate: '2026-11-23T04:35:00.000+01:00', differentialBaseLsn: sql01.find((s) => s.id === '201')!.checkpointLsn };
    const w = sqlRecoverableWindow([...sql01, diff], 'Orders');
    expect(w.intervals.map((i) => [i.from, i.to])).toEqual([
      ['2026-11-23T00:10:00.000+01:00', '2026-11-23T04:01:00.000+01:00'],
      ['2026-11-23T04:35:00.000+01:00', '2026-11-23T04:35:00.000+01:00'],
      ['2026-11-23T09:40:00.000+01:00', '2026-11-23T11:01:00.000+01:00'],
    ]);
    expect(w.gaps[0]!.reason).toContain('SIMPLE recovery (backup 299)');
  });

  it('treats a log backup written to NUL as lost', () => {
    const history = sql01.map((s) => (s.id === '104' ? { ...s, devices: ['NUL'] } : s));
    expect(sqlRecoverableWindow(history, 'Sales').gaps[0]!.reason).toContain('log 104 was written to the NUL device');
  });
});

describe('a year of log backups', () => {
  // A full every 7 days, a differential every day, a log every 15 minutes: 10,000 logs (about 104 days).
  function history(logs: number): SqlBackupSet[] {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const lsn = (n: number) => (BigInt(37 + n) * 10n ** 15n + 1600001n).toString();
    const iso = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const sets: SqlBackupSet[] = [];
    const common = { databaseName: 'Big', isCopyOnly: false, isDamaged: false, hasBackupChecksums: true, recoveryModel: 'FULL' as const, differentialBaseLsn: null };
    let fullCheckpoint = '0';
    for (let i = 0; i < logs; i++) {
      const minute = i * 15;
      if (i % (96 * 7) === 0) {
        fullCheckpoint = (BigInt(lsn(i)) + 36n).toString();
        sets.push({ ...common, id: `F${i}`, type: 'D', firstLsn: lsn(i), lastLsn: (BigInt(lsn(i)) + 500n).toString(), checkpointLsn: fullCheckpoint, databaseBackupLsn: '0', backupStartDate: iso(minute + 1), backupFinishDate: iso(minute + 5), devices: [`/b/F${i}.bak`] });
      } else if (i % 96 === 0) {
        sets.push({ ...common, id: `D${i}`, type: 'I', firstLsn: lsn(i), lastLsn: (BigInt(lsn(i)) + 500n).toString(), checkpointLsn: lsn(i), databaseBackupLsn: fullCheckpoint, differentialBaseLsn: fullCheckpoint, backupStartDate: iso(minute + 1), backupFinishDate: iso(minute + 3), devices: [`/b/D${i}.bak`] });
      }
      sets.push({ ...common, id: `L${i}`, type: 'L', firstLsn: lsn(i), lastLsn: lsn(i + 1), checkpointLsn: lsn(i), databaseBackupLsn: fullCheckpoint, backupStartDate: iso(minute + 15), backupFinishDate: iso(minute + 15.5), devices: [`/b/L${i}.trn`] });
    }
    return sets;
  }

  // Its speed is not asserted here (a timed test fails on a loaded machine); the fleet bench measures views.
  it('computes the window and the plan of 10,000 logs', () => {
    const sets = history(10_000);
    const w = sqlRecoverableWindow(sets, 'Big');
    expect(w.intervals).toHaveLength(1);
    expect(w.gaps).toEqual([]);
    expect(w.fulls).toHaveLength(15);
    const plan = planRestoreChain(sets, 'Big', { kind: 'latest' });
    expect(plan.steps.map((s) => s.backupSetId).slice(0, 3)).toEqual(['F9408', 'D9984', 'L9984']);
    expect(plan.steps).toHaveLength(2 + 16);
  });
});
