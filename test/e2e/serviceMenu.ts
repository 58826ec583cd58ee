// A fleet row's actions menu, used as a DBA uses it: open the menu on the service's row, then choose an entry
// (its test id is the one the row's buttons had: backup-service-<id>, recovery-service-<id>, ...).
import type { Page } from 'playwright-core';

export async function chooseFromServiceMenu(page: Page, serviceId: string, entryTestId: string): Promise<void> {
  await page.getByTestId(`service-actions-${serviceId}`).click();
  await page.getByRole('menu').getByTestId(entryTestId).click();
}
