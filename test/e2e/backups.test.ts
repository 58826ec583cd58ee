// The backup flow in browser mode, in real Chromium against a real core and cluster: create the repository
// in Settings, start a backup from the fleet page, watch its progress in the jobs panel, verify it from
// the service's backups page and see it marked verified, with the tablespace it carries listed.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { createTablespace } from '../support/tablespaceFolder';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
// The cluster has an extra tablespace (a table of orders lives on it), as production servers often do.
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await createTablespace(c, 'fast', 'fast disk');
    await c.query('create table lines (id int primary key) tablespace fast', [], 'orders');
    await c.query('insert into lines select generate_series(1, 500)', [], 'orders');
  },
});
let b: BrowserMode;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  await b.t.call('services.add', { service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { ...cluster.connection('orders'), password: { kind: 'keychain' } } }, password });
  await b.page.reload();
});

afterAll(async () => {
  await b?.close();
});

describe('backups in browser mode', () => {
  it('creates an encrypted repository from Settings', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('repository-section');
    await section.getByLabel('Repository folder').fill(join(b.t.dir, 'repo'));
    await section.getByRole('button', { name: 'Create repository' }).click();
    await expectPage(page.getByTestId('repository-info')).toContainText(join(b.t.dir, 'repo'));
    const info = await b.t.call('repo.info', {});
    expect(info).toMatchObject({ encrypted: true, keyAvailable: true });
  });

  it('starts a physical backup, shows its progress, and lists it', async () => {
    const { page } = b;
    const phases = new Set<string>();
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByTestId('backup-open').click();
    const dialog = page.getByTestId('backup-wizard');
    await dialog.getByRole('radio', { name: 'Physical (pg_basebackup)' }).check();
    // Throttled so the progress can be watched.
    await dialog.getByLabel('Max rate').fill('4M');
    await dialog.getByTestId('backup-start').click();
    const job = page.locator('[data-testid^="job-"][data-state]').first();
    const deadline = Date.now() + 90_000;
    let state = '';
    while (Date.now() < deadline) {
      state = (await job.getAttribute('data-state').catch(() => '')) ?? '';
      const phase = await job.getAttribute('data-phase').catch(() => null);
      if (state === 'running' && phase) phases.add(phase);
      if (state === 'succeeded' || state === 'failed') break;
      await page.waitForTimeout(150);
    }
    expect(state).toBe('succeeded');
    expect(phases.size).toBeGreaterThan(0);
    expect([...phases].some((p) => /copying|checkpoint|finishing/.test(p))).toBe(true);
    const [backup] = await b.t.call('backups.list', { serviceId: 'orders' });
    expect(backup).toMatchObject({ kind: 'physical', encrypted: true });
    await expectPage(page.getByTestId(`job-backup-id-${(await b.t.core.jobs.list())[0]!.id}`)).toContainText(backup!.id);
  });

  it('verifies the backup from its page and shows it verified', async () => {
    const { page } = b;
    const [backup] = await b.t.call('backups.list', { serviceId: 'orders' });
    await chooseFromServiceMenu(page, 'orders', 'backups-service-orders');
    await expectPage(page.getByTestId(`backup-row-${backup!.id}`)).toBeVisible();
    await expectPage(page.getByTestId(`backup-verified-${backup!.id}`)).toHaveText(/^Never/);
    await page.getByTestId(`verify-${backup!.id}`).click();
    await expectPage(page.getByTestId(`backup-verified-${backup!.id}`)).toHaveText(/^Verified/);
    // The backup's tablespaces, by name and the location they come back to.
    expect(backup!.tablespaces).toEqual([expect.objectContaining({ name: 'fast', location: join(cluster.baseDir, 'fast disk') })]);
    const tablespaces = page.getByTestId(`backup-tablespaces-${backup!.id}`).getByRole('listitem');
    await expectPage(tablespaces).toHaveCount(1);
    await expectPage(tablespaces).toHaveText(`+ fast at ${join(cluster.baseDir, 'fast disk')}`);
    await page.screenshot({ path: 'test-results/backups-page.png', fullPage: true });
    const [after] = await b.t.call('backups.list', { serviceId: 'orders' });
    expect(after!.lastVerification).toMatchObject({ ok: true, detail: expect.stringContaining('pg_verifybackup') });
    expect(b.consoleErrors).toEqual([]);
  });

  it('restores a logical backup from the dialog, and replaces an existing database only once its name is typed', async () => {
    const { page } = b;
    const [job] = await b.t.call('backups.start', { serviceIds: ['orders'], kind: 'logical' });
    expect((await b.t.core.jobs.wait(job!.id)).state).toBe('succeeded');
    const logical = (await b.t.call('backups.list', { serviceId: 'orders' })).find((x) => x.kind === 'logical')!;
    await page.reload();
    const restoreOnce = async () => {
      await page.getByTestId(`restore-${logical.id}`).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('New database name').fill('orders_copy');
      await dialog.getByTestId('restore-start').click();
      return dialog;
    };
    let dialog = await restoreOnce();
    await expectPage(dialog.getByTestId('restore-status')).toHaveAttribute('data-status', 'succeeded');
    await page.keyboard.press('Escape');
    dialog = await restoreOnce();
    await expectPage(dialog.getByTestId('restore-confirm-name')).toBeVisible();
    await dialog.getByTestId('restore-confirm-name').fill('orders_cop');
    expect(await dialog.getByTestId('restore-replace').isDisabled()).toBe(true);
    await dialog.getByTestId('restore-confirm-name').fill('orders_copy');
    expect(await dialog.getByTestId('restore-replace').isDisabled()).toBe(false);
    await dialog.getByTestId('restore-replace').click();
    await expectPage(dialog.getByTestId('restore-status')).toHaveAttribute('data-status', 'succeeded');
    const restores = (await b.t.core.jobs.list()).filter((j) => j.kind === 'restore.logical');
    expect(restores.map((j) => j.state)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(restores[2]!.result).toMatchObject({ database: 'orders_copy', replaced: true });
  });
});
