// A SQL Server service in browser mode, backed by the TDS test double: its msdb history on the recovery
// timeline and in a table, a point-in-time restore planned with its T-SQL script, the restore run, and the
// typed name required to overwrite an existing database.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/host/web/webHost';
import { launchChromium } from '../support/browser';
import { msdbHistoryRule } from '../support/tds/msdbHistoryFixtures';
import { databaseFactsRule, fileListRule, restoreRule, serverFactsRule, type DatabaseFixture } from '../support/tds/sqlServerBackupFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { startTdsTestDouble, type TdsTestDouble } from '../support/tds/tdsTestDouble';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';

const databases: Record<string, DatabaseFixture> = { orders: { recovery: 'FULL' } };
let double: TdsTestDouble;
let t: SqlServerTestCore;
let host: WebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  double = await startTdsTestDouble({
    logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }],
    databases: ['orders'],
    rules: [
      serverFactsRule({ utcOffsetMinutes: 60 }),
      databaseFactsRule(databases),
      msdbHistoryRule(),
      fileListRule([
        { LogicalName: 'orders', PhysicalName: 'D:\\MSSQL\\Data\\orders.mdf', Type: 'D', FileGroupName: 'PRIMARY', Size: 8388608 },
        { LogicalName: 'orders_log', PhysicalName: 'L:\\MSSQL\\Log\\orders_log.ldf', Type: 'L', FileGroupName: null, Size: 8388608 },
      ]),
      restoreRule({
        intervalMs: 50,
        onRestore: (sql) => {
          const name = /^RESTORE \w+ \[([^\]]+)\]/.exec(sql)![1]!;
          databases[name] = { state: /[\s,]RECOVERY\b/.test(sql) ? 'ONLINE' : 'RESTORING' };
        },
      }),
    ],
  });
  t = await startSqlServerTestCore(double, [{ id: 'orders-prod', user: 'sa', password: 'Str0ng!Passw0rd' }]);
  await t.call('services.update', {
    service: { id: 'orders-prod', name: 'Orders', engine: 'sqlserver', connection: { host: double.host, port: double.port, database: 'orders', user: 'sa', tls: 'disable' }, policy: { sqlServer: { backupDirectory: 'D:\\SQLBackups\\orders' } } },
  });
  host = await startWebHost({ core: t.core, rendererDir: join(process.cwd(), 'out', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await t?.close();
  await double?.stop();
});

describe('SQL Server page in browser mode', () => {
  it('shows the msdb history on the recovery timeline and in a table', async () => {
    await chooseFromServiceMenu(page, 'orders-prod', 'sqlserver-service-orders-prod');
    await expectPage(page.getByRole('heading', { name: 'SQL Server: Orders' })).toBeVisible();
    await expectPage(page.getByTestId('timeline-svg')).toBeVisible();
    await expectPage(page.getByTestId('timeline-backup-101')).toHaveAttribute('data-usable', 'true');
    await expectPage(page.getByTestId('timeline-backup-103')).toHaveCount(1);
    await expectPage(page.getByTestId('sqlserver-history-table').locator('tbody tr')).toHaveCount(5);
    await expectPage(page.getByTestId('sqlserver-history-row-104')).toContainText('98000000035200001');
    await expectPage(page.getByTestId('sqlserver-backup-destination')).toContainText('on the database server');
    const label = await page.getByTestId('timeline-svg').getAttribute('aria-label');
    expect(label).toMatch(/^Recoverable window of orders: 1 recoverable interval/);
    await page.screenshot({ path: 'test-results/sqlserver-history.png' });
  });

  it('plans a point-in-time restore step by step and shows the T-SQL script', async () => {
    await page.getByLabel('Zone').selectOption('utc');
    await page.getByTestId('sqlserver-restore-time').fill('2026-11-25T00:30:00');
    await page.getByTestId('sqlserver-restore-as').fill('orders_copy');
    await page.getByTestId('sqlserver-plan').click();
    await expectPage(page.getByTestId('sqlserver-plan-steps').locator('li')).toHaveCount(4);
    const script = (await page.getByTestId('sqlserver-script').textContent()) ?? '';
    expect(script).toContain('-- Lifeboat restore script: orders restored as orders_copy');
    expect(script).toContain("RESTORE DATABASE [orders_copy]\n  FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak'");
    expect(script).toContain("MOVE N'orders' TO N'D:\\MSSQL\\Data\\orders_copy.mdf'");
    expect(script).toContain("FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_DIFF_20261124T230000Z.bak'");
    expect(script).toContain("STOPAT = N'2026-11-25T01:30:00.000'");
    expect(script.match(/^ +NORECOVERY,$/gm)).toHaveLength(3);
    expect(script.match(/^ +RECOVERY,$/gm)).toHaveLength(1);
    expect(double.statements().filter((s) => /^RESTORE (DATABASE|LOG)/.test(s.sql))).toEqual([]);
    await page.screenshot({ path: 'test-results/sqlserver-page.png', fullPage: true });
  });

  it('runs the restore and follows its progress to the end', async () => {
    await page.getByTestId('sqlserver-restore-run').click();
    await expectPage(page.getByTestId('sqlserver-restore-progress')).toHaveAttribute('data-state', 'succeeded');
    expect(double.statements().filter((s) => /^RESTORE (DATABASE|LOG)/.test(s.sql))).toHaveLength(4);
    expect(databases.orders_copy?.state).toBe('ONLINE');
  });

  it('asks for the typed name before overwriting an existing database', async () => {
    await page.getByTestId('sqlserver-restore-as').fill('orders');
    await page.getByTestId('sqlserver-plan').click();
    const replace = page.getByTestId('sqlserver-restore-replace');
    await expectPage(replace).toBeVisible();
    expect(await replace.isDisabled()).toBe(true);
    await page.getByTestId('sqlserver-restore-confirm-name').fill('orders');
    expect(await replace.isDisabled()).toBe(false);
    expect((await page.getByTestId('sqlserver-script').textContent()) ?? '').toContain('REPLACE');
  });
});
