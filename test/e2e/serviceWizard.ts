// The service wizard's first two steps as a DBA fills them for a test cluster: Add service, PostgreSQL, the
// cluster's loopback address and database, user postgres, the password into the keychain.
import type { Page } from 'playwright-core';

export async function fillPostgresConnection(page: Page, o: { port: number; database: string; password: string }): Promise<void> {
  await page.getByRole('button', { name: /^Add (your first )?service$/ }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: 'PostgreSQL' }).check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByLabel('Host').fill('127.0.0.1');
  await dialog.getByLabel('Port').fill(String(o.port));
  await dialog.getByLabel('Database').fill(o.database);
  await dialog.getByLabel('User').fill('postgres');
  await dialog.getByRole('radio', { name: 'Store in OS keychain' }).check();
  await dialog.getByLabel('Password', { exact: true }).fill(o.password);
}
