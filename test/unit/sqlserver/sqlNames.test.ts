import { describe, expect, it } from 'vitest';
import { backupFileName, parseBackupFileName } from '../../../src/core/sqlserver/backupFileName';
import { compareLsn, formatLsnHex, parseLsn } from '../../../src/core/sqlserver/sqlLsn';
import { parseUtcOffset, parseZonedTime, wallTime } from '../../../src/core/sqlserver/stopAtTime';

describe('LSNs', () => {
  it('keeps every digit of a numeric(25,0) LSN and compares as numbers, not as text', () => {
    expect(parseLsn('98000000017600001')).toBe(98000000017600001n);
    expect(compareLsn('98000000017600001', '98000000017600000')).toBe(1);
    expect(compareLsn('9000000001600001', '10000000001600001')).toBe(-1);
    expect(compareLsn('00037000000012800001', '37000000012800001')).toBe(0);
  });

  it('reads the VLF:block:slot hex form as the same LSN', () => {
    expect(parseLsn('00000025:00000080:0001')).toBe(37000000012800001n);
    expect(formatLsnHex(37000000012800001n)).toBe('00000025:00000080:0001');
  });

  it('refuses what is not an LSN, and numbers that already lost digits', () => {
    expect(() => parseLsn('37e15')).toThrow(/not an LSN/);
    expect(() => parseLsn(98000000017600001)).toThrow(/lost precision/);
    expect(parseLsn(12345)).toBe(12345n);
  });
});

describe('target times', () => {
  it('demands a zone and converts to the server\'s wall clock', () => {
    expect(parseZonedTime('2026-11-25T14:03:00+01:00')).toBe(Date.parse('2026-11-25T13:03:00Z'));
    expect(() => parseZonedTime('2026-11-25T14:03:00')).toThrow(/not a time with a zone/);
    expect(wallTime(Date.parse('2026-11-25T13:03:00Z'), 60)).toBe('2026-11-25T14:03:00.000');
    expect(wallTime(Date.parse('2026-03-29T01:30:00Z'), 120)).toBe('2026-03-29T03:30:00.000');
    expect(parseUtcOffset('-05:30')).toBe(-330);
    expect(parseUtcOffset('Z')).toBe(0);
    expect(() => parseUtcOffset('+1')).toThrow(/not a UTC offset/);
  });
});

describe('backup file names', () => {
  it('follows <service>_<database>_<KIND>_<yyyyMMddTHHmmssZ>.<bak|trn> in UTC', () => {
    const at = new Date('2026-11-25T14:03:07.861+01:00');
    expect(backupFileName('sql01', 'Sales', 'FULL', at)).toBe('sql01_Sales_FULL_20261125T130307Z.bak');
    expect(backupFileName('sql01', 'Sales', 'DIFF', at)).toBe('sql01_Sales_DIFF_20261125T130307Z.bak');
    expect(backupFileName('sql01', 'Sales', 'LOG', at)).toBe('sql01_Sales_LOG_20261125T130307Z.trn');
  });

  it('sanitises names so the parts stay separable and safe on Windows and Linux', () => {
    const name = backupFileName('prod sql/01', 'Ventes_été]2026', 'LOG', new Date('2026-01-02T03:04:05Z'));
    expect(name).toBe('prod-sql-01_Ventes-ete-2026_LOG_20260102T030405Z.trn');
    expect(parseBackupFileName(`/var/opt/mssql/backup/${name}`)).toEqual({ service: 'prod-sql-01', database: 'Ventes-ete-2026', kind: 'LOG', at: '2026-01-02T03:04:05Z' });
    expect(parseBackupFileName('C:\\Backup\\sql01_Sales_FULL_20261125T130307Z.bak')).toEqual({ service: 'sql01', database: 'Sales', kind: 'FULL', at: '2026-11-25T13:03:07Z' });
    expect(parseBackupFileName('sql01_Sales_LOG_20261125T130307Z.bak')).toBeNull();
    expect(parseBackupFileName('Sales_FULL_20261123_000000.bak')).toBeNull();
    expect(() => backupFileName('sql01', '___', 'FULL', new Date())).toThrow(/nothing for a file name/);
  });
});
