// A repository on Azure Blob, set up from Settings in real Chromium against a real core, Azurite and a real
// cluster: a wrong account key and a missing container are refused in the form with their code and hint;
// the right key creates the repository (shown as Azure Blob with its location) and stays out of the fleet file,
// the data folder, the page and everything the page received; a PostgreSQL service added from the wizard is
// backed up from the fleet page, its backup listed on its backups page and its manifest found in the container.
// Then 3-2-1 from the UI: a local folder repository created for copies in Settings (the Azure repository's key,
// the fleet keeps Azure), the service's repositories set to both on its Settings tab, a backup from the service's
// page copied into the folder, the dashboard saying "2 copies", and the manifest in the container and the folder.
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { fillPostgresConnection } from './serviceWizard';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { filesContaining } from '../support/filesContaining';
import { until } from '../support/until';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query('create table lines (id int primary key); insert into lines select generate_series(1, 500)', [], 'orders');
  },
});
const containerName = `lifeboat-${randomBytes(4).toString('hex')}`;
let azurite: Azurite;
let container: ContainerClient;
let b: BrowserMode;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  azurite = await startAzurite();
  container = new ContainerClient(`${azurite.endpoint}/${containerName}`, new StorageSharedKeyCredential(azurite.account, azurite.accountKey));
  await container.create();
  b = await startBrowserMode();
});

afterAll(async () => {
  await b?.close();
  await azurite?.stop();
});

function createForm(): Locator {
  return b.page.getByTestId('repository-section').getByRole('form', { name: 'Create a repository' });
}

/** Settings › Create a repository on Azure Blob, the location built from its fields, the key typed once. */
async function fillAzureRepository(o: { container: string; accountKey: string }): Promise<Locator> {
  const form = createForm();
  await form.getByRole('radio', { name: 'Azure Blob' }).check();
  await form.getByLabel('Storage account', { exact: true }).fill(azurite.account);
  await form.getByLabel('Container', { exact: true }).fill(o.container);
  await form.getByLabel('Prefix').fill('fleet');
  await form.getByLabel('Endpoint').fill(azurite.endpoint);
  await form.getByRole('radio', { name: 'Keychain' }).check();
  await form.getByRole('radio', { name: 'Account key' }).check();
  await form.getByLabel('Storage account key', { exact: true }).fill(o.accountKey);
  return form;
}

const location = (name: string) => `azure://${azurite.account}/${name}/fleet?endpoint=${azurite.endpoint}`;

describe('an Azure Blob repository from Settings', () => {
  it('refuses a wrong account key with AUTH_FAILED naming the repository, and clears the key from the form', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Settings' }).click();
    const wrongKey = randomBytes(64).toString('base64');
    const form = await fillAzureRepository({ container: containerName, accountKey: wrongKey });
    expect(await form.getByTestId('create-repository-location').inputValue()).toBe(location(containerName));
    await form.evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-results/azure-repository-form.png' });
    await form.getByRole('button', { name: 'Create repository' }).click();
    const error = form.getByTestId('create-repository-error');
    await expectPage(error).toContainText('AUTH_FAILED');
    await expectPage(error).toContainText(`storage account ${azurite.account} refused`);
    await expectPage(error).toContainText(location(containerName));
    await expectPage(error.locator('.error-notice__hint')).toContainText('Check the account key or SAS token');
    expect(await form.getByLabel('Storage account key', { exact: true }).inputValue()).toBe('');
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/azure-repository-auth-failed.png' });
    expect(await b.t.call('repo.info', {})).toBeNull();
  });

  it('says NOT_FOUND for a container that does not exist, the location pasted whole', async () => {
    const missing = `missing-${randomBytes(4).toString('hex')}`;
    const form = createForm();
    await form.getByRole('radio', { name: 'Azure Blob' }).check();
    await form.getByTestId('create-repository-location').fill(location(missing));
    // The fields follow the pasted location.
    expect(await form.getByLabel('Container', { exact: true }).inputValue()).toBe(missing);
    expect(await form.getByLabel('Endpoint').inputValue()).toBe(azurite.endpoint);
    await form.getByLabel('Storage account key', { exact: true }).fill(azurite.accountKey);
    await form.getByRole('button', { name: 'Create repository' }).click();
    const error = form.getByTestId('create-repository-error');
    await expectPage(error).toContainText('NOT_FOUND');
    await expectPage(error).toContainText(`container ${missing} does not exist`);
    await expectPage(error.locator('.error-notice__hint')).toContainText('az storage container create');
    expect(await b.t.call('repo.info', {})).toBeNull();
  });

  it('creates the repository with the account key, shows it as Azure Blob, and keeps the key out of every file and the page', async () => {
    const { page } = b;
    const form = await fillAzureRepository({ container: containerName, accountKey: azurite.accountKey });
    await form.getByRole('button', { name: 'Create repository' }).click();
    await expectPage(page.getByTestId('repository-storage')).toHaveText('Azure Blob');
    await expectPage(page.getByTestId('repository-location')).toHaveText(location(containerName));
    await expectPage(page.getByTestId('repository-key-state')).toContainText("In this computer's keychain");
    await page.getByTestId('repository-section').evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-results/azure-repository-created.png' });
    expect(await b.t.call('repo.info', {})).toMatchObject({ storage: 'azure', encrypted: true, keyAvailable: true });

    const blobs = await blobNames();
    expect(blobs).toContain('fleet/lifeboat-repo.json');
    const fleetFile = await readFile(b.t.configPath, 'utf8');
    expect(fleetFile).toContain(location(containerName));
    expect(fleetFile).not.toContain(azurite.accountKey);
    expect(await filesContaining([b.t.dir], azurite.accountKey)).toEqual([]);
    expect(await page.content()).not.toContain(azurite.accountKey);
    expect(b.received.filter((frame) => frame.includes(azurite.accountKey))).toEqual([]);
  });

  it('backs up a service added from the wizard into the container, lists the backup and finds its manifest there', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Fleet' }).click();
    await fillPostgresConnection(page, { port: cluster.port, database: 'orders', password });
    const wizard = page.getByRole('dialog');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Service id').fill('orders');
    await wizard.getByLabel('Display name').fill('Orders');
    await wizard.getByRole('button', { name: 'Save service' }).click();
    await expectPage(page.getByRole('dialog')).toHaveCount(0);
    await expectPage(page.getByTestId('service-row-orders')).toBeVisible();

    await page.getByTestId('backup-open').click();
    const dialog = page.getByTestId('backup-wizard');
    await expectPage(dialog.getByTestId('backup-destination')).toContainText(location(containerName));
    await dialog.getByRole('radio', { name: 'Physical (pg_basebackup)' }).check();
    await dialog.getByTestId('backup-start').click();
    const job = page.locator('[data-testid^="job-"][data-state]').first();
    const state = await until('the backup job to finish', async () => {
      const s = await job.getAttribute('data-state', { timeout: 1000 });
      return s === 'succeeded' || s === 'failed' ? s : undefined;
    }, 120_000);
    expect(state, JSON.stringify((await b.t.core.jobs.list())[0]?.error)).toBe('succeeded');

    const [backup] = await b.t.call('backups.list', { serviceId: 'orders' });
    expect(backup).toMatchObject({ kind: 'physical', encrypted: true });
    await chooseFromServiceMenu(page, 'orders', 'backups-service-orders');
    await expectPage(page.getByTestId(`backup-row-${backup!.id}`)).toBeVisible();
    await page.screenshot({ path: 'test-results/azure-repository-backups.png' });

    const manifests = (await blobNames()).filter((name) => name.endsWith(`/${backup!.id}/manifest.json`));
    expect(manifests).toHaveLength(1);
    expect(manifests[0]).toMatch(/^fleet\//);
    expect(await page.content()).not.toContain(azurite.accountKey);
    expect(await filesContaining([b.t.dir], azurite.accountKey)).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});

describe('a second copy in a local folder, from the UI', () => {
  it('creates a folder repository for copies in Settings with the Azure repository’s key, and the fleet keeps Azure', async () => {
    const { page } = b;
    const copies = copiesFolder();
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('repository-section');
    await section.getByRole('button', { name: 'Add a repository for copies' }).click();
    const form = createForm();
    expect(await form.getByRole('checkbox', { name: "For copies of the fleet repository's backups" }).isChecked()).toBe(true);
    // The copy's repository takes the first one's key: there is no key of its own to choose.
    await expectPage(form.getByRole('checkbox', { name: 'Encrypt backups (recommended)' })).toHaveCount(0);
    await expectPage(form).toContainText(`It shares the key of ${location(containerName)}`);
    await form.getByRole('radio', { name: 'Folder' }).check();
    await form.getByLabel('Repository folder').fill(copies);
    await form.evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-results/azure-repository-copies-form.png' });
    await form.getByRole('button', { name: 'Create repository' }).click();
    await expectPage(page.getByTestId('repository-message')).toContainText(`Created ${copies} (Folder) for copies`);
    await expectPage(page.getByTestId('repository-location')).toHaveText(location(containerName));
    await expectPage(page.getByTestId('repository-storage')).toHaveText('Azure Blob');
    const inUse = page.getByTestId('repositories-in-use');
    await expectPage(inUse.locator(`[data-location="${location(containerName)}"]`)).toContainText('the fleet repository; orders (backups taken here)');
    await expectPage(inUse.locator(`[data-location="${copies}"]`)).toContainText('created for copies; no service lists it yet');
    await section.evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-results/azure-repository-in-use.png' });

    const fleet = await b.t.call('repo.info', {});
    expect(fleet).toMatchObject({ path: location(containerName), storage: 'azure' });
    const info = JSON.parse(await readFile(join(copies, 'lifeboat-repo.json'), 'utf8')) as unknown;
    expect(JSON.stringify(info)).toContain(fleet!.keyFingerprint!);
    // The fleet file keeps it until a service names it (copyRepositories): Settings lists it after a reload.
    expect(await readFile(b.t.configPath, 'utf8')).toContain(`copyRepositories:\n  - ${copies}`);
    await page.reload();
    await page.getByRole('link', { name: 'Settings' }).click();
    await expectPage(page.getByTestId('repositories-in-use').locator(`[data-location="${copies}"]`)).toContainText('created for copies; no service lists it yet');
  });

  it("sets the service's repositories to Azure then the folder on its Settings tab", async () => {
    const { page } = b;
    const copies = copiesFolder();
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByTestId('service-link-orders').click();
    await page.getByRole('tablist', { name: 'Orders' }).getByRole('tab', { name: 'Settings' }).click();
    const panel = page.getByTestId('settings-repositories');
    await expectPage(panel.getByTestId('service-repository')).toHaveCount(1);
    await expectPage(panel).toContainText('One copy only');
    await panel.getByRole('button', { name: 'Edit repositories' }).click();
    const form = panel.getByRole('form', { name: 'Repositories of orders' });
    expect(await form.getByLabel('First repository', { exact: true }).inputValue()).toBe(location(containerName));
    await form.getByRole('button', { name: 'Add a copy' }).click();
    await form.getByLabel('Copy 1', { exact: true }).fill(copies);
    await form.getByRole('button', { name: 'Save repositories' }).click();
    await expectPage(panel.getByTestId('repositories-message')).toContainText(`taken into ${location(containerName)} and copied into ${copies}`);
    const listed = panel.getByTestId('service-repository');
    await expectPage(listed).toHaveCount(2);
    await expectPage(listed.nth(0)).toHaveAttribute('data-location', location(containerName));
    await expectPage(listed.nth(1)).toHaveAttribute('data-location', copies);
    await expectPage(listed.nth(1)).toHaveAttribute('data-role', 'copy');
    await panel.evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'test-results/azure-repository-service-repositories.png' });

    const { service } = await b.t.call('services.get', { id: 'orders' });
    expect(service.policy.repositories).toEqual([location(containerName), copies]);
    expect(service.policy.repository).toBeUndefined();
  });

  it('backs the service up from its page into Azure and the folder, and the dashboard says 2 copies', async () => {
    const { page } = b;
    const copies = copiesFolder();
    await page.getByRole('tablist', { name: 'Orders' }).getByRole('tab', { name: 'Overview' }).click();
    const before = new Set((await b.t.core.jobs.list()).map((j) => j.id));
    await page.getByTestId('backup-service-orders').click();
    const dialog = page.getByTestId('backup-wizard');
    await expectPage(dialog.getByTestId('backup-destination-copies')).toContainText(`orders: into ${location(containerName)}, then copied into ${copies}`);
    await dialog.getByRole('radio', { name: 'Physical (pg_basebackup)' }).check();
    await dialog.getByTestId('backup-start').click();
    const started = await until('the backup job to start', async () => (await b.t.core.jobs.list()).find((j) => !before.has(j.id) && j.kind === 'backup.physical'));
    const job = await b.t.core.jobs.wait(started.id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    await expectPage(page.getByTestId(`job-${job.id}`)).toHaveAttribute('data-state', 'succeeded');
    const { backupId, copies: outcomes } = job.result as { backupId: string; copies: Array<{ to: string; ok: boolean }> };
    expect(outcomes).toEqual([{ to: copies, ok: true }]);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expectPage(page.getByTestId('copies-text-orders')).toContainText('2 copies');
    await expectPage(page.getByTestId('copies-text-orders')).toContainText('2 kinds of storage, 1 off-site');
    await expectPage(page.getByTestId('copies-status-orders')).toHaveAttribute('data-tone', 'ok');
    await page.getByTestId('copies-text-orders').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/azure-repository-dashboard-copies.png' });
    const row = (await b.t.call('monitoring.dashboard', {})).services.find((s) => s.serviceId === 'orders')!;
    expect(row.copies).toMatchObject({ level: 'ok', copies: 2, storageKinds: 2, offsite: true });

    // The manifest, the backup's commit point, is in both places.
    expect((await blobNames()).filter((name) => name === `fleet/orders/backups/${backupId}/manifest.json`)).toHaveLength(1);
    await access(join(copies, 'orders', 'backups', backupId, 'manifest.json'));
    const copied = JSON.parse(await readFile(join(copies, 'orders', 'backups', backupId, 'manifest.json'), 'utf8')) as { id: string };
    expect(copied.id).toBe(backupId);
    expect(await page.content()).not.toContain(azurite.accountKey);
    expect(await filesContaining([b.t.dir], azurite.accountKey)).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  }, 180_000);
});

function copiesFolder(): string {
  return join(b.t.dir, 'copies');
}

async function blobNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: 'fleet/' })) names.push(blob.name);
  return names;
}
