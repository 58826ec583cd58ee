// A repository on Azure Blob, set up from Settings in real Chromium against a real core, Azurite and a real
// cluster: a wrong account key and a missing container are refused in the form with their code and hint;
// the right key creates the repository (shown as Azure Blob with its location) and stays out of the fleet file,
// the data folder, the page and everything the page received; a PostgreSQL service added from the wizard is
// backed up from the fleet page, its backup listed on its backups page and its manifest found in the container.
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
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

async function blobNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: 'fleet/' })) names.push(blob.name);
  return names;
}
