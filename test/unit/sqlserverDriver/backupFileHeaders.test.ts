// RESTORE HEADERONLY rows as backup sets, the version-specific temporary table, and server-local times.
import { describe, expect, it } from 'vitest';
import { fileListRowToFile, headerOnlyBatch, headerOnlyColumns, headerRowToBackupSet } from '../../../src/core/sqlserver/backupFileHeaders';
import { serverLocalToUtc } from '../../../src/core/sqlserver/serverTime';

describe('RESTORE HEADERONLY', () => {
  it('declares the documented columns of each version', () => {
    expect(headerOnlyColumns(10)).toHaveLength(52);
    expect(headerOnlyColumns(11)).toHaveLength(53);
    expect(headerOnlyColumns(12)).toHaveLength(56);
    expect(headerOnlyColumns(16)).toHaveLength(59);
  });

  it('reads LSNs as text through a temporary table, the file name quoted twice inside EXEC', () => {
    const sql = headerOnlyBatch("D:\\b\\it's.bak", 15);
    expect(sql).toContain("INSERT INTO #lifeboat_header EXEC (N'RESTORE HEADERONLY FROM DISK = N''D:\\b\\it''''s.bak''');");
    expect(sql).not.toContain('LastValidRestoreTime');
  });

  it('maps a differential row: type 5, LSNs exact, times from the server zone', () => {
    const set = headerRowToBackupSet(
      { DatabaseName: 'orders', BackupType: 5, Position: 2, FirstLSN: '98000000027200001', LastLSN: '98000000028800001', CheckpointLSN: '98000000027200001', DatabaseBackupLSN: '98000000017600001', DifferentialBaseLSN: '98000000017600001', BackupStartDate: '2026-11-25T00:00:00.000', BackupFinishDate: '2026-11-25T00:00:04.000', IsCopyOnly: 0, IsDamaged: 0, HasBackupChecksums: 1, RecoveryModel: 'BULK-LOGGED' },
      'D:\\b\\x.bak',
      60,
    );
    expect(set).toMatchObject({ id: 'D:\\b\\x.bak#2', type: 'I', firstLsn: '98000000027200001', differentialBaseLsn: '98000000017600001', backupFinishDate: '2026-11-24T23:00:04.000Z', recoveryModel: 'BULK-LOGGED', position: 2, hasBackupChecksums: true, isCopyOnly: false });
  });

  it('skips kinds a restore plan never uses only when unknown', () => {
    expect(headerRowToBackupSet({ BackupType: 3 } as never, 'x', 0)).toBeUndefined();
  });

  it('maps FILELISTONLY rows', () => {
    expect(fileListRowToFile({ LogicalName: 'orders_log', PhysicalName: 'L:\\orders_log.ldf', Type: 'L', FileGroupName: null, Size: '8388608' })).toEqual({ logicalName: 'orders_log', physicalName: 'L:\\orders_log.ldf', type: 'L', fileGroupName: null, sizeBytes: 8388608 });
  });
});

describe('server time', () => {
  it('turns the server wall time into UTC, east positive', () => {
    expect(serverLocalToUtc('2026-11-25T10:00:00.000', 60)).toBe('2026-11-25T09:00:00.000Z');
    expect(serverLocalToUtc('2026-11-25 10:00:00', -300)).toBe('2026-11-25T15:00:00.000Z');
  });
});
