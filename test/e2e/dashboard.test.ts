// The dashboard in browser mode, in real Chromium against a real core and cluster: compliance per service
// (green within the RPO, red with no backup), the next scheduled run, success rates, recharts charts drawn
// under the strict CSP (no violation), recent failures with their hint, the schedule in words, and a browser
// notification for a failed job once the user enabled them. Screenshot: test-results/dashboard.png.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { freePort } from '../support/freePort';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query('create table t (id int primary key, v text); insert into t select g, md5(g::text) from generate_series(1, 5000) g', [], 'orders');
  },
});
let b: BrowserMode;
let failedMessage = '';

declare global {
  interface Window {
    __shown?: Array<{ title: string; body?: string }>;
    __csp?: string[];
  }
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  // The long-lived doors start the monitor (createCore runSchedules); the harness's core does not.
  await b.t.core.monitor.start();
  await b.t.call('repo.init', { path: join(b.t.dir, 'repo'), encrypt: false });
  await b.t.call('services.add', {
    service: {
      id: 'orders',
      name: 'Orders',
      engine: 'postgres',
      connection: { ...cluster.connection('orders'), password: { kind: 'keychain' } },
      policy: { rpo: '1h', rto: '30m', schedules: [{ kind: 'logical', cron: '0 2 * * *', timeZone: 'Europe/Berlin' }] },
    },
    password,
  });
  await b.t.call('services.add', { service: { id: 'legacy', name: 'Legacy billing', engine: 'postgres', connection: { ...cluster.connection('orders'), port: await freePort() }, policy: { rpo: '4h' } } });
  const [ok] = await b.t.call('backups.start', { serviceIds: ['orders'], kind: 'logical' });
  expect((await b.t.core.jobs.wait(ok!.id)).state).toBe('succeeded');
  const [bad] = await b.t.call('backups.start', { serviceIds: ['legacy'], kind: 'logical' });
  const failed = await b.t.core.jobs.wait(bad!.id);
  expect(failed.state).toBe('failed');
  failedMessage = failed.error!.message;

  // Record CSP violations and the notifications the page shows (a stand-in for the browser's Notification).
  await b.page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp!.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__shown = [];
    let permission: NotificationPermission = 'default';
    const Fake = function (this: unknown, title: string, options?: NotificationOptions) {
      window.__shown!.push({ title, body: options?.body });
    } as unknown as typeof Notification;
    Object.defineProperty(Fake, 'permission', { get: () => permission });
    Fake.requestPermission = async () => (permission = 'granted');
    Object.defineProperty(window, 'Notification', { value: Fake, configurable: true, writable: true });
  });
  await b.page.reload();
});

afterAll(async () => {
  await b?.close();
});

describe('the dashboard in browser mode', () => {
  it('shows each service against its RPO, the next run, rates, charts and recent failures', async () => {
    const { page } = b;
    const response = await page.goto(page.url().replace(/#.*$/, '') + '#/dashboard');
    const csp = response ? await response.headerValue('content-security-policy') : null;
    if (csp) expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    await expectPage(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();

    const ordersBackup = page.getByTestId('backup-status-orders');
    await expectPage(ordersBackup).toBeVisible();
    expect(await ordersBackup.getAttribute('data-tone')).toBe('ok');
    await expectPage(page.getByTestId('compliance-orders')).toContainText(/Within RPO: last good backup \d+ (s|min) ago \(RPO 1 h\)/);
    expect(await page.getByTestId('backup-status-legacy').getAttribute('data-tone')).toBe('error');
    await expectPage(page.getByTestId('compliance-legacy')).toContainText('No good backup yet (RPO 4 h)');
    await expectPage(page.getByTestId('compliance-orders')).toContainText('No drill yet (RTO 30 min)');
    await expectPage(page.getByTestId('next-run-orders')).toContainText('logical at');
    await expectPage(page.getByTestId('next-run-legacy')).toHaveText('Not scheduled');

    const week = page.getByTestId('rate-7');
    expect(await week.getAttribute('data-succeeded')).toBe('1');
    expect(await week.getAttribute('data-failed')).toBe('1');
    await expectPage(week).toContainText('50 % succeeded');

    // recharts drew real SVG: one bar for the day's success and one for its failure, one line per service.
    const outcomes = page.getByTestId('outcomes-chart');
    await expectPage(outcomes.locator('.recharts-bar-rectangle path')).toHaveCount(2);
    expect(await outcomes.getAttribute('data-failed')).toBe('1');
    await expectPage(page.getByTestId('storage-chart').locator('path.recharts-curve.recharts-line-curve')).toHaveCount(2);
    await expectPage(page.getByTestId('storage-orders')).toContainText(/\+\d/);

    const failures = page.getByTestId('recent-failures');
    await expectPage(failures).toContainText('Logical backup of legacy');
    await expectPage(failures).toContainText(failedMessage);
    await expectPage(page.getByTestId('schedules-table')).toContainText('every day at 02:00 (Europe/Berlin)');

    // recharts styles through the CSSOM, which style-src 'self' allows; zod runs jitless (main.tsx), so its
    // `new Function` probe never meets the CSP either: no violation of any kind.
    const violations = (await page.evaluate(() => window.__csp)) ?? [];
    expect(violations).toEqual([]);
    expect(b.consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    // The app scrolls inside its frame: a tall viewport shows the whole dashboard in the screenshot.
    await page.setViewportSize({ width: 1360, height: 2600 });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    await page.setViewportSize({ width: 1360, height: 860 });
  });

  it('shows a browser notification for a failed job once the user enabled them', async () => {
    const { page } = b;
    await page.getByTestId('enable-notifications').click();
    await expectPage(page.getByText('Enabled in this browser.')).toBeVisible();
    const [job] = await b.t.call('backups.start', { serviceIds: ['legacy'], kind: 'logical' });
    await b.t.core.jobs.wait(job!.id);
    const deadline = Date.now() + 15_000;
    let shown: Array<{ title: string; body?: string }> = [];
    while (Date.now() < deadline && !shown.length) {
      shown = (await page.evaluate(() => window.__shown)) ?? [];
      if (!shown.length) await page.waitForTimeout(100);
    }
    expect(shown).toEqual([{ title: 'Failed: Logical backup of legacy', body: expect.stringContaining(failedMessage) }]);
    await expectPage(page.getByTestId('notifications')).toContainText('Failed: Logical backup of legacy');
  });

  it('saves a webhook from the page (secret to the keychain only) and sends a test to it', async () => {
    const { page } = b;
    const secret = `whsec-${randomBytes(8).toString('hex')}`;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
      const panel = page.getByTestId('webhooks-panel');
      await panel.getByLabel('Name').fill('dba-chat');
      await panel.getByLabel('URL').fill(url);
      await panel.getByLabel('Secret header').fill('X-Lifeboat-Token');
      await panel.getByLabel('Secret value').fill(secret);
      await panel.getByRole('button', { name: 'Save webhook' }).click();
      await expectPage(page.getByTestId('webhook-dba-chat')).toContainText('X-Lifeboat-Token set');
      await page.getByTestId('webhook-test-dba-chat').click();
      await expectPage(page.getByTestId('webhook-result')).toContainText('Delivered');
      // Only the test: other notifications (a failed job, an RPO breach) may reach the receiver meanwhile.
      const tests = received.filter((r) => JSON.parse(r.body).notification.kind === 'test');
      expect(tests).toHaveLength(1);
      expect(tests[0]!.headers['x-lifeboat-token']).toBe(secret);
      expect(JSON.parse(tests[0]!.body)).toMatchObject({ source: 'lifeboat', notification: { kind: 'test', title: 'Lifeboat test notification' } });
      expect(await readFile(b.t.configPath, 'utf8')).not.toContain(secret);
      expect(b.received.some((frame) => frame.includes(secret))).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
