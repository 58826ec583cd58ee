import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistoryFile } from '../../../src/core/sqlserver/historyFile';
import { MSDB_HISTORY_COLUMNS, MSDB_HISTORY_EXPORT_SCRIPT, MSDB_HISTORY_QUERY, rowsToBackupSets } from '../../../src/core/sqlserver/msdbHistory';
import { parseFileList } from '../../../src/core/sqlserver/fileListFile';
import { planRestoreChain } from '../../../src/core/sqlserver/planRestoreChain';
import { sameDatabaseName } from '../../../src/core/sqlserver/databaseNameMatch';

const fixtures = join(__dirname, '../../fixtures/sqlserver');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('msdb history exported as CSV', () => {
  const sets = parseHistoryFile(read('msdb-history-sql01.csv'));

  it('joins a striped full\'s rows into one set, stripes in family order', () => {
    expect(sets.filter((s) => s.id === '101')).toEqual([
      {
        id: '101',
        databaseName: 'Sales',
        type: 'D',
        firstLsn: '37000001181600001',
        lastLsn: '38000000201600001',
        checkpointLsn: '38000000001600037',
        databaseBackupLsn: '36000000009600037',
        differentialBaseLsn: null,
        differentialBaseGuid: null,
        backupStartDate: '2026-11-23T00:00:00.000+01:00',
        backupFinishDate: '2026-11-23T00:10:00.000+01:00',
        isCopyOnly: false,
        isDamaged: false,
        hasBackupChecksums: true,
        recoveryModel: 'FULL',
        forkPointLsn: null,
        familyGuid: '5f3c2a1e-8b7d-4c6a-9e21-0a1b2c3d4e5f',
        firstRecoveryForkGuid: 'a1000000-0000-4000-8000-000000000001',
        lastRecoveryForkGuid: 'a1000000-0000-4000-8000-000000000001',
        devices: ['\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_1.bak', '\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_2.bak'],
        position: 1,
        backupSizeBytes: 5368709120,
        compressedSizeBytes: 1342177280,
        serverName: 'SQL01',
        timeZoneOffsetMinutes: 60,
      },
    ]);
  });

  it('reads every set once, quoted paths with commas and quotes intact', () => {
    expect(sets.map((s) => s.id)).toHaveLength(33);
    expect(sets.find((s) => s.id === '305')!.devices).toEqual(["D:\\SQL Backups\\O'Brien, Billing\\Billing_DIFF_20261123_033000.bak"]);
    expect(sets.find((s) => s.id === '313')!.isDamaged).toBe(true);
    expect(sets.find((s) => s.id === '309')!.isCopyOnly).toBe(true);
  });

  it('reads sqlcmd -s, -W output: dashes under the header, "(1 rows affected)", SSMS-style dates, time_zone 127', () => {
    const [web] = parseHistoryFile(read('msdb-history-sqlcmd.csv'));
    expect(web).toMatchObject({ id: '7', databaseName: 'Web', recoveryModel: 'SIMPLE', hasBackupChecksums: false, backupFinishDate: '2026-11-24T22:00:04.123+00:00', devices: ['/var/opt/mssql/backup/Web_FULL.bak'] });
  });

  it('reads a CSV saved without headers in the query\'s column order', () => {
    const noHeader = read('msdb-history-sql01.csv').split('\r\n').slice(1).join('\r\n');
    expect(parseHistoryFile(noHeader)).toEqual(sets);
    expect(MSDB_HISTORY_COLUMNS).toHaveLength(27);
  });

  it('names the line and column of a bad value', () => {
    const lines = read('msdb-history-sql01.csv').split('\r\n');
    lines[4] = lines[4]!.replace(/^(\d+,Sales,L,)\d+/, '$1twelve');
    expect(() => parseHistoryFile(lines.join('\r\n'))).toThrow(/^Line 5, column first_lsn: expected a decimal LSN \(found "twelve"\)/);
    const short = read('msdb-history-sql01.csv').split('\r\n').slice(0, 3);
    short[2] = short[2]!.split(',').slice(0, 10).join(',');
    expect(() => parseHistoryFile(short.join('\r\n'))).toThrow(/^Line 3: 10 columns where the header has 27/);
  });
});

describe('exports a DBA makes by hand (header rows in any order, names as SQL Server compares them)', () => {
  const lines = read('msdb-history-sql01.csv').split('\r\n');
  const header = lines[0]!.split(',');
  /** The file with only these columns, in this order: a SELECT of its own, saved with headers. */
  const only = (columns: string[]) => lines.filter(Boolean).map((l, i) => {
    const fields = i === 0 ? header : (parseHistoryRow(l));
    return columns.map((c) => fields[header.indexOf(c)]).join(',');
  }).join('\r\n');
  const parseHistoryRow = (l: string) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));

  it('reads a CSV by its header when it has no backup_set_id, naming each set by its kind and LSN range', () => {
    const columns = ['database_name', 'backup_finish_date', 'backup_start_date', 'type', 'first_lsn', 'last_lsn', 'checkpoint_lsn', 'database_backup_lsn', 'differential_base_lsn', 'is_copy_only', 'family_sequence_number', 'physical_device_name', 'time_zone'];
    const byHeader = parseHistoryFile(only(columns));
    const full = byHeader.find((s) => s.databaseName === 'Sales' && s.type === 'D')!;
    expect(full.id).toBe('D:37000001181600001-38000000201600001');
    expect(full.devices).toHaveLength(2);
    // The same chain as the full export plans, each set under its new name.
    const all = parseHistoryFile(read('msdb-history-sql01.csv'));
    const renamed = (id: string) => { const s = all.find((x) => x.id === id)!; return `${s.type}:${s.firstLsn}-${s.lastLsn}`; };
    expect(planRestoreChain(byHeader, 'Sales', { kind: 'latest' }).steps.map((s) => s.backupSetId)).toEqual(planRestoreChain(all, 'Sales', { kind: 'latest' }).steps.map((s) => renamed(s.backupSetId)));
  });

  it('names the columns a header lacks that the planner needs', () => {
    expect(() => parseHistoryFile(only(['database_name', 'type', 'first_lsn', 'backup_finish_date']))).toThrow(/^Line 1: the header has no column last_lsn, checkpoint_lsn, backup_start_date; the planner needs them\./);
  });

  it('matches --database as SQL Server does: a trailing space in msdb and another case are the same database', () => {
    // dbatools' fixtures hold "Test, command and conquer ": msdb keeps the space, the reader trims values.
    const padded = parseHistoryFile(lines.map((l) => l.replace(/^(\d+),Sales,/, '$1,Sales ,')).join('\r\n'));
    for (const asked of ['Sales ', 'SALES', 'sales  ']) expect(planRestoreChain(padded, asked, { kind: 'latest' }).steps.map((s) => s.backupSetId)).toEqual(['101', '102', '103', '104', '105', '106', '107']);
    expect(sameDatabaseName('Sales ', 'sales')).toBe(true);
    expect(sameDatabaseName(' Sales', 'Sales')).toBe(false);
  });
});

describe('msdb history exported as JSON', () => {
  const sets = parseHistoryFile(read('msdb-history-sql02.json'));

  it('reads FOR JSON rows, NULL columns left out, dates at the server\'s UTC-05:00', () => {
    const diffless = sets.find((s) => s.id === '606')!;
    expect(diffless).toMatchObject({ type: 'L', forkPointLsn: '40000000601600001', firstRecoveryForkGuid: 'c3000000-0000-4000-8000-00000000000a', lastRecoveryForkGuid: 'c3000000-0000-4000-8000-00000000000b', backupStartDate: '2026-11-23T05:00:00.000-05:00' });
    expect(sets.find((s) => s.id === '401')!.differentialBaseLsn).toBeNull();
    expect(sets).toHaveLength(25);
  });

  it('reads FOR JSON output cut into 2033-character rows by SSMS', () => {
    const text = JSON.stringify(JSON.parse(read('msdb-history-sql02.json')));
    const cut = text.match(/[\s\S]{1,2033}/g)!.join('\r\n');
    expect(parseHistoryFile(cut, 'json')).toEqual(sets);
  });

  it('refuses an LSN that arrived as a JSON number beyond 2^53', () => {
    const row = { ...JSON.parse(read('msdb-history-sql02.json'))[0], first_lsn: 98000000017600001 };
    expect(() => rowsToBackupSets([row])).toThrow(/Row 1, column first_lsn: the LSN arrived as a number/);
    expect(() => parseHistoryFile('[1, 2]')).toThrow(/JSON item 1: expected an object/);
    expect(() => parseHistoryFile('[{"backup_set_id": "1"')).toThrow(/not valid JSON/);
  });
});

describe('the export query', () => {
  it('selects LSNs as text, dates as style 126 with time_zone, stripes without mirrors, @database bound by the caller', () => {
    for (const column of ['first_lsn', 'last_lsn', 'checkpoint_lsn', 'database_backup_lsn', 'differential_base_lsn', 'fork_point_lsn']) {
      expect(MSDB_HISTORY_QUERY).toContain(`CONVERT(varchar(25), bs.${column}) AS ${column}`);
    }
    expect(MSDB_HISTORY_QUERY).toContain('CONVERT(varchar(23), bs.backup_finish_date, 126)');
    expect(MSDB_HISTORY_QUERY).toContain('mf.mirror = 0');
    expect(MSDB_HISTORY_QUERY).not.toContain('DECLARE');
    expect(MSDB_HISTORY_QUERY).not.toContain('@since');
    expect(MSDB_HISTORY_EXPORT_SCRIPT).toMatch(/DECLARE @database sysname = NULL;[\s\S]*DECLARE @since datetime = NULL;[\s\S]*@since IS NULL OR bs\.backup_finish_date >= @since/);
    for (const column of MSDB_HISTORY_COLUMNS) expect(MSDB_HISTORY_QUERY).toMatch(new RegExp(`\\b${column}\\b`));
  });
});

describe('file lists', () => {
  it('reads RESTORE FILELISTONLY saved as CSV and as JSON', () => {
    expect(parseFileList(read('inventory-filelistonly.csv'))).toEqual([
      { logicalName: 'Inventory', physicalName: '/var/opt/mssql/data/Inventory.mdf', type: 'D', fileGroupName: 'PRIMARY', sizeBytes: 8388608 },
      { logicalName: 'Inventory_log', physicalName: '/var/opt/mssql/data/Inventory_log.ldf', type: 'L', fileGroupName: null, sizeBytes: 8388608 },
      { logicalName: 'Inventory_fs', physicalName: '/var/opt/mssql/data/Inventory_fs', type: 'S', fileGroupName: 'FSGROUP', sizeBytes: 0 },
    ]);
    expect(parseFileList('[{"LogicalName":"a","PhysicalName":"C:\\\\a.mdf","Type":"D"}]')).toEqual([{ logicalName: 'a', physicalName: 'C:\\a.mdf', type: 'D', fileGroupName: null }]);
    expect(() => parseFileList('LogicalName,PhysicalName,Type\r\na,b,X\r\n')).toThrow(/File list line 2: Type "X"/);
  });
});
