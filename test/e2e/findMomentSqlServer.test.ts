// "Find the moment" on the SQL Server page in browser mode, against the TDS test double (fn_dump_dblog and
// fn_dblog answered with rows shaped after their documented output, see fnDblogFixtures.ts): the DBA searches
// the log backups of a range, sees the DROP, TRUNCATE, DELETE and UPDATE with their evidence and as flags on the
// timeline, sets the restore to just before the DROP with a click, and the plan and the restore stop at that log
// record (STOPBEFOREMARK on the log that holds it).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/host/web/webHost';
import { launchChromium } from '../support/browser';
import { startFindMomentServer } from '../support/tds/fnDblogFixtures';
import type { SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import type { TdsTestDouble } from '../support/tds/tdsTestDouble';
import { expect as expectPage } from './pageExpect';

let double: TdsTestDouble;
let t: SqlServerTestCore;
let host: WebHost;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  ({ double, t } = await startFindMomentServer());
  host = await startWebHost({ core: t.core, rendererDir: join(process.cwd(), 'out', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
  await page.goto(`${host.url}#/service/orders-prod/sqlserver`);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await t?.close();
  await double?.stop();
});

describe('find the moment on the SQL Server page', () => {
  it('lists the transactions of the log backups with their evidence and flags, and restores to just before the DROP', async () => {
    const panel = page.getByTestId('find-panel');
    await expectPage(panel).toBeVisible();
    await expectPage(panel).toContainText('fn_dump_dblog');
    await page.getByTestId('find-range').selectOption('custom');
    await page.getByTestId('find-from').fill('2026-11-24T22:30:00Z');
    await page.getByTestId('find-to').fill('2026-11-25T02:00:00Z');
    await page.getByTestId('find-start').click();

    const rows = page.getByTestId('find-table-results').locator('tbody tr[data-testid^="finding-row-"]');
    await expectPage(rows).toHaveCount(4);
    await expectPage(page.getByTestId('find-summary')).toContainText('4 transactions found in 3 logs');
    const drop = page.getByTestId('finding-row-0000:000004d2');
    expect(await drop.getAttribute('data-action')).toBe('drop');
    await expectPage(drop).toContainText('object 245575913');
    await expectPage(drop).toContainText('CORP\\deployer');
    await expectPage(drop).toContainText('0000:000004d2 at 98000000030400001');
    expect(await page.getByTestId('finding-row-0000:000004e0').getAttribute('data-action')).toBe('truncate');
    await expectPage(page.getByTestId('finding-row-0000:000004e0')).toContainText('dbo.audit');
    // The DELETE counts its 150 rows once (its nonclustered index rows are the same rows), the UPDATE its 120.
    await expectPage(page.getByTestId('finding-row-0000:000004e1')).toContainText('150 deleted');
    await expectPage(page.getByTestId('finding-row-0000:000004f0')).toContainText('120 updated');
    await expectPage(page.getByTestId('finding-evidence-0000:000004d2')).toContainText('by its object ID');
    for (const xid of ['0000:000004d2', '0000:000004e0', '0000:000004e1', '0000:000004f0']) await expectPage(page.getByTestId(`timeline-event-${xid}`)).toHaveCount(1);
    await panel.screenshot({ path: 'test-results/find-moment-sqlserver.png' });

    await page.getByTestId('finding-before-0000:000004d2').click();
    const mark = page.getByTestId('sqlserver-restore-mark');
    await expectPage(mark).toContainText('Just before the log record lsn:98000000030400001');
    expect(await mark.getAttribute('data-inclusive')).toBe('false');
    await expectPage(page.getByTestId('timeline-event-0000:000004d2')).toHaveAttribute('data-selected', 'true');
    await page.getByTestId('sqlserver-restore-as').fill('orders_before_drop');
    await page.getByTestId('sqlserver-plan').click();
    await expectPage(page.getByTestId('sqlserver-plan-steps').locator('li')).toHaveCount(3);
    await expectPage(page.getByTestId('sqlserver-script')).toContainText("STOPBEFOREMARK = N'lsn:98000000030400001'");

    double.clearRecords();
    await page.getByTestId('sqlserver-restore-run').click();
    await expectPage(page.getByTestId('sqlserver-restore-progress')).toHaveAttribute('data-state', 'succeeded');
    const restores = double.statements().map((s) => s.sql).filter((sql) => /^RESTORE (DATABASE|LOG) /.test(sql));
    expect(restores.map((sql) => /_(FULL|DIFF|LOG)_/.exec(sql)![1])).toEqual(['FULL', 'DIFF', 'LOG']);
    expect(restores[2]).toContain("STOPBEFOREMARK = N'lsn:98000000030400001'");
    expect(restores[2]).toContain('orders-prod_orders_LOG_20261125T000000Z.trn');

    // "Just after" sets STOPATMARK on the transaction's commit record.
    await page.getByTestId('finding-after-0000:000004d2').click();
    await expectPage(mark).toContainText('Up to and including the log record lsn:98000000030400005');
    expect(consoleErrors).toEqual([]);
  });
});
