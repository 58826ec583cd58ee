import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFileList } from '../../../src/core/sqlserver/fileListFile';
import { parseHistoryFile } from '../../../src/core/sqlserver/historyFile';
import { planRestoreChain } from '../../../src/core/sqlserver/planRestoreChain';
import { restoreScript } from '../../../src/core/sqlserver/restoreScript';
import { quoteName, quoteString } from '../../../src/core/sqlserver/tsqlQuote';
import { moveTargets } from '../../../src/core/sqlserver/moveTargets';

const fixtures = join(__dirname, '../../fixtures/sqlserver');
const sql01 = parseHistoryFile(readFileSync(join(fixtures, 'msdb-history-sql01.csv'), 'utf8'));
const salesFiles = parseFileList(readFileSync(join(fixtures, 'sales-filelist.json'), 'utf8'));
const inventoryFiles = parseFileList(readFileSync(join(fixtures, 'inventory-filelistonly.csv'), 'utf8'));

describe('T-SQL quoting', () => {
  it('doubles ] in names and \' in strings, as QUOTENAME and N\'\' literals do', () => {
    expect(quoteName('Sales]Copy')).toBe('[Sales]]Copy]');
    expect(quoteName('a[b')).toBe('[a[b]');
    expect(quoteString("D:\\SQL Backups\\O'Brien")).toBe("N'D:\\SQL Backups\\O''Brien'");
    expect(() => quoteName('x'.repeat(129))).toThrow(/128/);
  });
});

describe('restore script', () => {
  const plan = planRestoreChain(sql01, 'Sales', { kind: 'time', time: '2026-11-23T03:30:00+01:00' });
  const script = restoreScript(plan, { asDatabase: 'Sales]Restored', replace: false, fileList: salesFiles, checksum: true, stats: 5, serverUtcOffsetMinutes: 60 });

  it('restores the striped full from every stripe, with a MOVE for every file, WITH NORECOVERY', () => {
    expect(script.statements[0]).toEqual({
      stepIndex: 0,
      comment: 'restore full 101 (NORECOVERY)',
      sql: [
        'RESTORE DATABASE [Sales]]Restored]',
        "  FROM DISK = N'\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_1.bak', DISK = N'\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_2.bak'",
        '  WITH FILE = 1,',
        "    MOVE N'Sales' TO N'D:\\Data\\Sales]Restored.mdf',",
        "    MOVE N'Sales_Archive]2019' TO N'E:\\Data\\Sales]Restored_Sales_Archive]2019.ndf',",
        "    MOVE N'Sales_log' TO N'L:\\Logs\\Sales]Restored_log.ldf',",
        '    CHECKSUM,',
        '    NORECOVERY,',
        '    STATS = 5;',
      ].join('\n'),
    });
  });

  it('puts the same STOPAT, in the server\'s local time, on every log; RECOVERY only on the last', () => {
    const logs = script.statements.slice(1);
    expect(logs.map((s) => s.stepIndex)).toEqual([1, 2, 3, 4]);
    for (const s of logs) {
      expect(s.sql).toMatch(/^RESTORE LOG \[Sales\]\]Restored\]\n {2}FROM DISK = N'.*\.trn'\n/);
      expect(s.sql).toContain("STOPAT = N'2026-11-23T03:30:00.000'");
      expect(s.sql).not.toContain('MOVE');
      expect(s.sql).not.toContain('REPLACE');
    }
    expect(logs.slice(0, -1).every((s) => s.sql.includes('NORECOVERY') && !/\bRECOVERY,/.test(s.sql.replace('NORECOVERY', '')))).toBe(true);
    expect(logs.at(-1)!.sql).toBe(
      "RESTORE LOG [Sales]]Restored]\n  FROM DISK = N'\\\\backup01\\sql\\SQL01\\Sales\\Sales_LOG_20261123_040000.trn'\n  WITH FILE = 1,\n    CHECKSUM,\n    RECOVERY,\n    STOPAT = N'2026-11-23T03:30:00.000',\n    STATS = 5;",
    );
    expect(logs.at(-1)!.comment).toBe('restore log 105 (RECOVERY, STOPAT)');
  });

  it('converts the zoned target to the server clock: 02:30Z is 21:30 the day before on a UTC-05:00 server', () => {
    const utcPlan = planRestoreChain(sql01, 'Sales', { kind: 'time', time: '2026-11-23T02:30:00Z' });
    const s = restoreScript(utcPlan, { asDatabase: 'S2', replace: false, fileList: salesFiles, serverUtcOffsetMinutes: -300 });
    expect(s.statements.at(-1)!.sql).toContain("STOPAT = N'2026-11-22T21:30:00.000'");
    expect(restoreScript(utcPlan, { asDatabase: 'S2', replace: false, fileList: salesFiles }).statements.at(-1)!.sql).toContain("STOPAT = N'2026-11-23T02:30:00.000'");
  });

  it('adds REPLACE to the first statement only when asked', () => {
    expect(script.text).not.toContain('REPLACE');
    const replacing = restoreScript(plan, { asDatabase: 'Sales', replace: true, fileList: salesFiles });
    expect(replacing.statements[0]!.sql).toContain('    REPLACE,');
    expect(replacing.statements.slice(1).some((s) => s.sql.includes('REPLACE'))).toBe(false);
    // The same name and no new folders: the files go back where they were, no MOVE.
    expect(replacing.statements[0]!.sql).not.toContain('MOVE');
  });

  it('restores "latest" without STOPAT and recovers on the last log', () => {
    const latest = restoreScript(planRestoreChain(sql01, 'Sales', { kind: 'latest' }), { asDatabase: 'SalesLatest', replace: false, fileList: salesFiles });
    expect(latest.statements.some((s) => s.sql.includes('STOPAT'))).toBe(false);
    expect(latest.statements.map((s) => /\bNORECOVERY\b/.test(s.sql) ? 'N' : /\bRECOVERY\b/.test(s.sql) ? 'R' : '?').join('')).toBe('NNNNNNR');
  });

  it('recovers on a full restored alone', () => {
    const full = restoreScript(planRestoreChain(sql01, 'Sales', { kind: 'time', time: '2026-11-23T00:10:00+01:00' }), { asDatabase: 'S3', replace: false, fileList: salesFiles });
    expect(full.statements).toHaveLength(1);
    expect(full.statements[0]!.sql).toContain('    RECOVERY,');
  });

  it('writes a script a DBA can paste: comments with each step\'s reason, GO after each statement', () => {
    expect(script.text).toContain("-- Target: 2026-11-23T03:30:00+01:00; STOPAT is in the server's local time (UTC+01:00): 2026-11-23T03:30:00.000");
    expect(script.text).toContain('-- Step 1 of 5: restore full 101 (NORECOVERY)\n-- Why: Newest full backup');
    expect(script.text.match(/^GO$/gm)).toHaveLength(5);
  });

  it('says plainly that MOVE is missing when no file list was given', () => {
    const bare = restoreScript(plan, { asDatabase: 'SalesCopy', replace: false, fileList: [] });
    expect(bare.statements[0]!.sql).not.toContain('MOVE');
    expect(bare.text).toContain('-- MOVE clauses are missing');
    expect(bare.text).toContain("--   RESTORE FILELISTONLY FROM DISK = N'\\\\backup01\\sql\\SQL01\\Sales\\Sales_FULL_20261123_000000_1.bak', DISK = N'");
  });

  it('keeps a line break in a name inside its comment and its brackets', () => {
    const odd = restoreScript(plan, { asDatabase: 'x\nDROP DATABASE Sales --', replace: false, fileList: salesFiles });
    expect(odd.text).toContain('-- Lifeboat restore script: Sales restored as x DROP DATABASE Sales --\n');
    // The only line that starts with DROP is the rest of the bracketed name inside a RESTORE statement.
    expect(odd.text.split('\n').filter((l) => l.startsWith('DROP'))).toEqual(Array(5).fill('DROP DATABASE Sales --]'));
    expect(odd.statements[0]!.sql.startsWith('RESTORE DATABASE [x\nDROP DATABASE Sales --]\n')).toBe(true);
  });

  it('quotes device paths with quotes and commas (Billing\'s folder)', () => {
    const billing = restoreScript(planRestoreChain(sql01, 'Billing', { kind: 'time', time: '2026-11-23T07:45:00+01:00' }), { asDatabase: 'BillingCopy', replace: false, fileList: [] });
    expect(billing.statements[1]!.sql).toContain("FROM DISK = N'D:\\SQL Backups\\O''Brien, Billing\\Billing_DIFF_20261123_073000.bak'");
    expect(billing.statements.map((s) => s.sql.split('\n')[0])).toEqual(['RESTORE DATABASE [BillingCopy]', 'RESTORE DATABASE [BillingCopy]', 'RESTORE LOG [BillingCopy]']);
  });
});

describe('MOVE targets', () => {
  it('names Linux files after the new database, FILESTREAM as a folder, into the given folders', () => {
    expect(moveTargets(inventoryFiles, 'Inventory_drill', '/mnt/scratch/data', '/mnt/scratch/log')).toEqual([
      { logicalName: 'Inventory', physicalName: '/mnt/scratch/data/Inventory_drill.mdf' },
      { logicalName: 'Inventory_log', physicalName: '/mnt/scratch/log/Inventory_drill_log.ldf' },
      { logicalName: 'Inventory_fs', physicalName: '/mnt/scratch/data/Inventory_drill_Inventory_fs' },
    ]);
  });

  it('keeps each file\'s directory by default and never gives two files one name', () => {
    const twoLogs = [
      { logicalName: 'a', physicalName: 'C:\\Data\\a.mdf', type: 'D' as const },
      { logicalName: 'b/c', physicalName: 'C:\\Data\\b.ndf', type: 'D' as const },
      { logicalName: 'b:c', physicalName: 'C:\\Data\\b2.ndf', type: 'D' as const },
    ];
    expect(moveTargets(twoLogs, 'New:Db').map((m) => m.physicalName)).toEqual(['C:\\Data\\New_Db.mdf', 'C:\\Data\\New_Db_b_c.ndf', 'C:\\Data\\New_Db_b_c_2.ndf']);
  });
});
