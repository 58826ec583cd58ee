// A DBA's first minutes in browser mode, in real Chromium against a real core and a real cluster: add a
// PostgreSQL service from the UI, test its connection, see it listed with its version; a wrong password
// shows AUTH_FAILED with its hint; the password reaches no file and nothing the page receives.
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { fillPostgresConnection } from './serviceWizard';
import { passwordAccount } from '../../src/core/secrets/secretStore';
import { KeytarSecretStore } from '../../src/core/secrets/keytarSecretStore';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { filesContaining } from '../support/filesContaining';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, setup: async (c) => void (await c.query('create database orders')) });
let b: BrowserMode;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
});

afterAll(async () => {
  await b?.close();
});

async function openWizardAndConnect(pw: string): Promise<void> {
  await fillPostgresConnection(b.page, { port: cluster.port, database: 'orders', password: pw });
  await b.page.getByRole('dialog').getByRole('button', { name: 'Test connection' }).click();
}

describe('fleet page in browser mode', () => {
  it('adds a PostgreSQL service from the UI, tests it, and lists it with its version', async () => {
    const { page } = b;
    await openWizardAndConnect(password);
    const result = page.getByTestId('connection-test-result');
    await expectPage(result).toHaveAttribute('data-status', 'ok');
    await expectPage(page.getByTestId('server-version')).toHaveText(/PostgreSQL 15\.\d+/);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByLabel('Service id').fill('orders');
    await dialog.getByLabel('Display name').fill('Orders');
    await dialog.getByLabel('Owner').fill('team-checkout');
    await dialog.getByRole('button', { name: 'Save service' }).click();
    await expectPage(page.getByRole('dialog')).toHaveCount(0);

    const row = page.getByTestId('service-row-orders');
    await expectPage(row).toBeVisible();
    await chooseFromServiceMenu(page, 'orders', 'test-service-orders');
    await expectPage(page.getByTestId('connection-test-result-orders')).toHaveAttribute('data-status', 'ok');
    await expectPage(page.getByTestId('health-orders')).toHaveText(/OK/);
    const version = (await cluster.query<{ v: string }>("select current_setting('server_version') as v"))[0]!.v.split(' ')[0]!;
    await expectPage(row).toContainText(version);
    await expectPage(row).toContainText('team-checkout');
    await page.screenshot({ path: 'test-results/fleet-page.png', fullPage: true });

    // What the core stored is what the DBA typed.
    const [view] = await b.t.call('services.list', {});
    expect(view).toMatchObject({ service: { id: 'orders', connection: { port: cluster.port, password: { kind: 'keychain' } } }, hasStoredPassword: true, health: 'ok' });
    expect(await new KeytarSecretStore().get(passwordAccount('orders'))).toBe(password);
  });

  it('shows AUTH_FAILED and its hint for a wrong password', async () => {
    const { page } = b;
    await openWizardAndConnect('definitely-wrong');
    const result = page.getByTestId('connection-test-result');
    await expectPage(result).toHaveAttribute('data-status', 'error');
    await expectPage(result).toContainText('AUTH_FAILED');
    await expectPage(result).toContainText(/password/i);
    await page.screenshot({ path: 'test-results/wizard-auth-failed.png' });
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('keeps the password out of every file Lifeboat wrote and out of everything the page received', async () => {
    expect(b.received.length).toBeGreaterThan(5);
    expect(b.received.some((frame) => frame.includes('"services.changed"'))).toBe(true);
    expect(b.received.filter((frame) => frame.includes(password))).toEqual([]);
    expect(await filesContaining([b.t.dir], password)).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
