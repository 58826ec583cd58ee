// Reports and runbooks in browser mode: the reports page previews the fleet report with every service and
// its facts (one service's server is down: its facts read "unknown"), exports it as PDF and Markdown through
// a download, and each service's row links to its runbook, previewed with its restore procedure.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const PASSWORD_VARIABLE = 'LIFEBOAT_E2E_RUNBOOK_PW';
const cluster = useCluster({ superuserPassword: password });
const out = resolve('test-results/runbooks');
let b: BrowserMode;

beforeAll(async () => {
  await mkdir(out, { recursive: true });
  // The password comes from an environment variable (no keychain needed here); the report names that as a risk.
  process.env[PASSWORD_VARIABLE] = password;
  b = await startBrowserMode();
  await b.t.call('services.add', {
    service: { id: 'orders', name: 'Orders database', owner: 'Ana Silva', engine: 'postgres', connection: { ...cluster.connection('postgres'), password: { kind: 'env', variable: PASSWORD_VARIABLE } }, policy: { rpo: '1h', rto: '30m' } },
  });
  await b.t.call('services.add', { service: { id: 'billing', name: 'Billing archive', engine: 'postgres', connection: { host: '127.0.0.1', port: 1, database: 'billing', user: 'postgres', tls: 'disable', password: { kind: 'none' } } } });
  await b.t.call('repo.init', { path: join(b.t.dir, 'repo'), encrypt: false });
  const [job] = await b.t.call('backups.start', { serviceIds: ['orders'], kind: 'physical' });
  expect((await b.t.core.jobs.wait((job as Job).id)).state).toBe('succeeded');
  await b.page.goto(`${b.host.url.split('#')[0]}#/reports`);
});

afterAll(async () => {
  await b?.close();
  delete process.env[PASSWORD_VARIABLE];
});

describe('reports and runbooks in browser mode', () => {
  it('previews the fleet report with every service, its compliance and open risks', async () => {
    const { page } = b;
    await expectPage(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
    const preview = page.getByTestId('document-preview').first();
    await expectPage(preview).toContainText('Backup and recovery report');
    await expectPage(preview.locator('table.compliance tr[data-service="orders"]')).toContainText('1h');
    await expectPage(preview.locator('table.compliance tr[data-service="billing"]')).toContainText('no target');
    const services = await preview.locator('tr[data-service] td:first-child').allTextContents();
    expect(services).toEqual(expect.arrayContaining(['Orders database (orders)', 'Billing archive (billing)']));
    await expectPage(preview.locator('ul.risks')).toContainText(`password read from environment variable ${PASSWORD_VARIABLE}`);
    await expectPage(preview.locator('ul.risks')).toContainText('backups are not encrypted');
    // The preview is inert: the document's own <style> and anything active were dropped.
    expect(await preview.locator('style, script, iframe').count()).toBe(0);
    expect(b.consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await page.screenshot({ path: join(out, 'e2e-reports-page.png') });
  });

  it('exports the report as PDF and Markdown through a download', async () => {
    const { page } = b;
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-pdf').first().click()]);
    expect(pdf.suggestedFilename()).toMatch(/^fleet-report-\d{4}-\d\d-\d\d\.pdf$/);
    const pdfPath = join(out, 'e2e-fleet-report.pdf');
    await pdf.saveAs(pdfPath);
    expect((await readFile(pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout: text } = await promisify(execFile)('pdftotext', ['-layout', pdfPath, '-']);
    expect(text).toContain('Orders database');
    expect(text).toContain('Billing archive');
    await expectPage(page.getByTestId('export-status').first()).toContainText('Saved fleet-report-');

    const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').first().click()]);
    const mdPath = join(out, 'e2e-fleet-report.md');
    await md.saveAs(mdPath);
    const markdown = await readFile(mdPath, 'utf8');
    expect(markdown).toMatch(/^# Backup and recovery report/);
    expect(markdown).toContain('| Orders database (`orders`) | PostgreSQL |');
    for (const t of [text, markdown]) expect(t.includes(password)).toBe(false);
  });

  it('opens a service\'s runbook from the fleet table and previews its restore procedure', async () => {
    const { page } = b;
    await page.goto(`${b.host.url.split('#')[0]}#/fleet`);
    await chooseFromServiceMenu(page, 'orders', 'runbook-service-orders');
    await expectPage(page.getByRole('heading', { name: 'Runbook: orders', level: 1, exact: true })).toBeVisible();
    const preview = page.getByTestId('document-preview');
    await expectPage(preview).toContainText('Runbook: Orders database (orders)');
    await expectPage(preview.locator('code.port')).toHaveText(String(cluster.port));
    await expectPage(preview.locator('#procedure-pitr h3')).toContainText('Restore the whole cluster to a point in time');
    await expectPage(preview.locator('[data-fact="last-backup"]')).toContainText('orders-');
    await page.goto(`${b.host.url.split('#')[0]}#/service/billing/runbook`);
    await expectPage(page.getByTestId('document-preview').locator('[data-fact="last-backup"]')).toHaveText('none');
    await expectPage(page.getByTestId('document-preview').locator('[data-fact="window"]')).toContainText('unknown:');
  });
});
