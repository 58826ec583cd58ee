// "Find the moment" in browser mode: rows of orders committed, then DROP TABLE orders among unrelated traffic; on
// the recovery page the DBA types the table, looks over the whole window, finds the DROP with its evidence, sees
// it as a flag on the timeline, clicks the flag to target just before it, restores, and the copy holds every row.
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchView } from '../../src/shared/recovery';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { idsIn } from '../support/scratchQuery';
import { until } from '../support/until';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, setup: async (c) => void (await c.query('create database shop')) });
let b: BrowserMode;
let dropXid: string;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  await b.t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await b.t.call('repo.init', { path: `${b.t.dir}/repo`, encrypt: true });
  await cluster.query('create table orders (id int primary key, note text); create table customers (id int primary key, visits int not null default 0)', [], 'shop');
  await cluster.query("insert into customers select g, 0 from generate_series(1, 50) g; insert into orders select g, 'order ' || g from generate_series(1, 120) g", [], 'shop');
  await b.t.call('wal.start', { serviceId: 'shop' });
  await until('the slot to be active', async () => (await b.t.call('wal.status', { serviceId: 'shop' })).slot?.active);
  const [job] = await b.t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  expect((await b.t.core.jobs.wait(job!.id)).state).toBe('succeeded');
  await cluster.query("insert into orders select g, 'order ' || g from generate_series(121, 200) g", [], 'shop');
  for (let i = 1; i <= 5; i++) await cluster.query('update customers set visits = visits + 1 where id = $1', [i], 'shop');
  // One transaction: its id, then the DROP.
  const out = await cluster.psql('begin; select txid_current(); drop table orders; commit;', 'shop');
  dropXid = out.split('\n').find((l) => /^\d+$/.test(l.trim()))!.trim();
  for (let i = 6; i <= 10; i++) await cluster.query('update customers set visits = visits + 1 where id = $1', [i], 'shop');
  const [last] = await cluster.query<{ at: string }>("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at");
  await cluster.query('select pg_switch_wal()');
  await until('WAL archived through the DROP', async () => (await b.t.call('window.get', { serviceId: 'shop' })).intervals.some((iv) => Date.parse(iv.to) >= Date.parse(last!.at) - 1000));
  await b.page.reload();
});

afterAll(async () => {
  for (const s of (await b?.t.call('scratch.list', {}).catch(() => [])) ?? []) await b.t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await b?.t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await b?.close();
});

describe('find the moment in browser mode', () => {
  it('finds the DROP, marks it on the timeline, and the restore just before it holds the table', async () => {
    const { page } = b;
    await chooseFromServiceMenu(page, 'shop', 'recovery-service-shop');
    const panel = page.getByTestId('find-panel');
    await expectPage(panel).toBeVisible();
    await page.getByTestId('find-table').fill('orders');
    await page.getByTestId('find-range').selectOption('window');
    await page.getByTestId('find-start').click();

    const row = page.getByTestId(`finding-row-${dropXid}`);
    await expectPage(row).toBeVisible();
    expect(await row.getAttribute('data-action')).toBe('drop');
    await expectPage(page.getByTestId('find-table-results').locator('tbody tr[data-testid^="finding-row-"]')).toHaveCount(1);
    await expectPage(row).toContainText('public.orders');
    await expectPage(page.getByTestId(`finding-evidence-${dropXid}`)).toContainText('the catalog of backup shop-');
    await expectPage(page.getByTestId('find-summary')).toContainText('One transaction found');
    await panel.screenshot({ path: 'test-results/find-moment-panel.png' });

    // The flag on the timeline: a click targets just before the transaction.
    const flag = page.getByTestId(`timeline-event-${dropXid}`);
    await expectPage(flag).toHaveCount(1);
    await page.getByTestId('jobs-panel').getByRole('button', { expanded: true }).first().click().catch(() => undefined);
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.getByTestId('timeline-svg').scrollIntoViewIfNeeded();
    await flag.locator('rect').click();
    await page.getByTestId('recovery-timeline').screenshot({ path: 'test-results/find-moment-timeline.png' });
    await until('the transaction in the restore form', async () => (await page.getByTestId('pitr-xid').inputValue({ timeout: 1000 })) === dropXid);
    expect(await page.getByRole('checkbox', { name: 'Just after it commits' }).isChecked()).toBe(false);
    await expectPage(flag).toHaveAttribute('data-selected', 'true');
    await page.screenshot({ path: 'test-results/find-moment.png', fullPage: true });

    await page.getByTestId('pitr-start').click();
    await expectPage(page.getByTestId('pitr-result')).toBeVisible();
    await expectPage(page.getByTestId('pitr-reached-detail')).toContainText(`stopped before the commit of transaction ${dropXid}`);
    const scratch = (await b.t.call('scratch.list', {})).find((s) => s.target.includes(`transaction ${dropXid}`)) as ScratchView;
    expect(await idsIn(scratch, 'orders')).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(b.consoleErrors).toEqual([]);
  });
});
