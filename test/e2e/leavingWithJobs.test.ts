// Leaving the browser-mode page while a backup runs asks first (the browser's own question: pages may show no
// text of their own), and does not once nothing would be lost; the job itself keeps running in the host either
// way. In real Chromium against a real core and cluster.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query('create table lines (id int primary key, note text)', [], 'orders');
    await c.query("insert into lines select g, repeat('x', 200) from generate_series(1, 20000) g", [], 'orders');
  },
});
let b: BrowserMode;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  await b.t.call('repo.init', { path: join(b.t.dir, 'repo'), encrypt: true });
  await b.t.call('services.add', { service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { ...cluster.connection('orders'), password: { kind: 'keychain' } } }, password });
  await b.page.reload();
});

afterAll(async () => {
  await b?.close();
});

describe('leaving the page while jobs run', () => {
  it('asks before the page is left during a backup, stays when the DBA says so, and lets it go once nothing would be lost', async () => {
    const { page } = b;
    // A backup throttled to 32 kB/s: it runs for as long as the test needs it.
    const [job] = await b.t.call('backups.start', { serviceIds: ['orders'], kind: 'physical', maxRate: '32k' });
    await expectPage(page.locator(`[data-testid="job-${job!.id}"][data-state="running"]`)).toBeVisible();
    // Browsers ask only on a page the user has interacted with. (Headless Chromium asks on leaving the page by
    // navigation; it closes a tab without asking, so leaving is a reload here.)
    await page.getByRole('heading', { level: 1 }).first().click();
    await page.evaluate(() => ((window as Window & { stillThisPage?: boolean }).stillThisPage = true));
    const dialog = page.waitForEvent('dialog');
    void page.reload().catch(() => undefined); // never completes: the DBA stays
    const asked = await dialog;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss(); // "Stay on the page"
    expect(await page.evaluate(() => (window as Window & { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await expectPage(page.locator(`[data-testid="job-${job!.id}"][data-state="running"]`)).toBeVisible();
    expect(b.t.core.jobs.get(job!.id).state).toBe('running'); // the host's job went on regardless

    await b.t.call('jobs.cancel', { id: job!.id });
    expect((await b.t.core.jobs.wait(job!.id)).state).toBe('cancelled');
    await expectPage(page.locator(`[data-testid="job-${job!.id}"][data-state="cancelled"]`)).toBeVisible();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.reload();
    await expectPage(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    expect(dialogs).toEqual([]);
  });
});
