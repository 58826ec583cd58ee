// A SQL Server service's runbook through the TDS test double: the facts from msdb (last full, recoverable
// window), the T-SQL restore script of the latest chain under a new name, and the point-in-time variant with
// the STOPAT placeholder on every RESTORE LOG; the fleet report's compliance row. The password appears nowhere.
import { mkdir, writeFile } from 'node:fs/promises';
import { marked, type Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../src/core/formatFacts';
import { STOPAT_PLACEHOLDER } from '../../src/core/runbooks/sqlServerProcedures';
import { msdbHistoryRule } from '../support/tds/msdbHistoryFixtures';
import { databaseFactsRule, fileListRule, serverFactsRule } from '../support/tds/sqlServerBackupFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { startTdsTestDouble, type TdsTestDouble } from '../support/tds/tdsTestDouble';

const PASSWORD = 'Str0ng!Passw0rd';
const FILES = [
  { LogicalName: 'orders', PhysicalName: 'D:\\MSSQL\\Data\\orders.mdf', Type: 'D' as const, FileGroupName: 'PRIMARY', Size: 8388608 },
  { LogicalName: 'orders_log', PhysicalName: 'L:\\MSSQL\\Log\\orders_log.ldf', Type: 'L' as const, FileGroupName: null, Size: 8388608 },
];
let double: TdsTestDouble;
let t: SqlServerTestCore;

beforeAll(async () => {
  double = await startTdsTestDouble({
    logins: [{ user: 'sa', password: PASSWORD }],
    databases: ['orders'],
    rules: [serverFactsRule({ utcOffsetMinutes: 60 }), databaseFactsRule({ orders: { recovery: 'FULL' } }), msdbHistoryRule(), fileListRule(FILES)],
  });
  t = await startSqlServerTestCore(double, [{ id: 'orders-prod', user: 'sa', password: PASSWORD, policy: { backupDirectory: 'D:\\SQLBackups\\orders' } }]);
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

function cell(md: string, label: string): string {
  for (const tk of marked.lexer(md)) if (tk.type === 'table') for (const row of (tk as Tokens.Table).rows) if (row[0]?.text === label) return row[1]!.text;
  throw new Error(`no row ${label}`);
}

describe('a SQL Server runbook', () => {
  it('states the last full backup and the window from msdb, and the restore scripts for this server', async () => {
    const window = await t.call('sqlserver.window', { serviceId: 'orders-prod' });
    const { content: md } = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'orders-prod' }, format: 'md' });
    expect(cell(md, 'Engine')).toBe('SQL Server');
    expect(cell(md, 'Last good backup')).toMatch(/^`101` \(full, finished 2026-11-24 21:00:05Z/);
    const iv = window.window.intervals;
    expect(cell(md, 'Recoverable window')).toBe(`from ${formatTime(iv.map((i) => i.from).sort()[0])} to ${formatTime(iv.map((i) => i.to).sort().at(-1))}`);
    expect(cell(md, 'Backups live in')).toBe('`D:\\SQLBackups\\orders (on the server)`');

    const code = marked.lexer(md).filter((tk): tk is Tokens.Code => tk.type === 'code' && tk.lang === 'sql').map((tk) => tk.text);
    expect(code).toHaveLength(2);
    const [latest, pitr] = code as [string, string];
    expect(latest).toContain("RESTORE DATABASE [orders_restored]\n  FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak'");
    expect(latest).toContain("MOVE N'orders' TO ");
    expect(latest).not.toContain('STOPAT =');
    const logs = pitr.split('\nGO').filter((s) => s.includes('RESTORE LOG'));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(log).toContain(`STOPAT = N'${STOPAT_PLACEHOLDER}'`);
    expect(pitr.split('\nGO').filter((s) => s.includes('RESTORE DATABASE')).every((s) => !s.includes('STOPAT ='))).toBe(true);
    expect(pitr).toContain("-- Target: a point in time; write STOPAT in the server's local time (UTC offset 60 minutes)");
    expect(md).toContain('lifeboat sqlserver verify orders-prod --config ');
    expect(md.includes(PASSWORD)).toBe(false);
    await mkdir('test-results/runbooks', { recursive: true });
    await writeFile('test-results/runbooks/runbook-orders-prod-sqlserver.md', md);
  });

  it('puts the SQL Server service in the fleet report with its last backup and window', async () => {
    const { content } = await t.call('runbooks.render', { document: { kind: 'report', days: 30 }, format: 'html' });
    expect(content).toContain('<tr data-service="orders-prod"><td><code>orders-prod</code></td>');
    // The newest set in msdb is a log backup finished minutes after the full: its age, not "none" or "unknown".
    expect(content).toMatch(/<tr data-service="orders-prod"><td><code>orders-prod<\/code><\/td><td>-<\/td><td>\d+ (d|h|min)[^<]* ago<\/td><td>2026-11-25 /);
    expect(content.includes(PASSWORD)).toBe(false);
  });
});
