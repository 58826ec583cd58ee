// Replication in browser mode: the fleet shows each service's replication health, the primary's page draws
// a lag chart per standby that moves while the standby's replay is paused and the primary writes, and comes
// back to zero after resume; the standby's page offers promotion only with a typed name and, while the old
// primary answers, a fencing confirmation.
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { useStandbyPair } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const pair = useStandbyPair({ superuserPassword: password, settings: { wal_receiver_status_interval: 1 } });
let b: BrowserMode;

async function register(id: string, port: number, policy: Record<string, unknown> = {}) {
  await b.t.call('services.add', {
    service: { id, name: id === 'main' ? 'Orders primary' : 'Orders standby', engine: 'postgres', connection: { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', tls: 'disable', password: { kind: 'keychain' } }, policy },
    password,
  });
}

/** Polls an attribute until `ok` accepts it; returns the value. */
async function attributeUntil(locator: ReturnType<BrowserMode['page']['getByTestId']>, name: string, ok: (v: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | null = null;
  while (Date.now() < deadline) {
    seen = await locator.getAttribute(name, { timeout: 1000 }).catch(() => null);
    if (seen !== null && ok(seen)) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last ${name}=${seen}`);
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  await pair.primary.query('create table items (id int, pad text)');
  await register('main', pair.primary.port, { replication: { sampleInterval: '1s', warnLagBytes: 32 * 1024 } });
  await register('replica', pair.standby.port);
  await pair.waitForReplay();
  await b.page.reload();
});

afterAll(async () => {
  await pair.standby.query('select pg_wal_replay_resume()').catch(() => undefined);
  await b?.t.call('replication.stopSampling', { serviceId: 'main' }).catch(() => undefined);
  await b?.close();
});

describe('replication in browser mode', () => {
  it('shows replication health in the fleet table', async () => {
    const { page } = b;
    await expectPage(page.getByTestId('replication-health-main')).toHaveAttribute('data-health', 'healthy');
    await expectPage(page.getByTestId('replication-health-replica')).toHaveAttribute('data-health', 'healthy');
  });

  it('draws the lag chart moving while replay is paused, and back to zero after resume', async () => {
    const { page } = b;
    await chooseFromServiceMenu(page, 'main', 'replication-service-main');
    await expectPage(page.getByRole('heading', { name: 'Replication of Orders primary' })).toBeVisible();
    await expectPage(page.getByTestId('standby-row-lifeboat_standby')).toHaveAttribute('data-state', 'streaming');
    const chart = page.getByTestId('lag-chart-lifeboat_standby');
    await expectPage(chart).toBeVisible();
    const firstPoints = Number(await attributeUntil(chart, 'data-points', (v) => Number(v) >= 2, 'two samples'));

    await pair.standby.query('select pg_wal_replay_pause()');
    await pair.primary.query("insert into items select g, repeat('x', 200) from generate_series(1, 5000) g");
    const lagging = Number(await attributeUntil(chart, 'data-latest-bytes', (v) => Number(v) > 0, 'lag on the chart'));
    await pair.primary.query("insert into items select g, repeat('y', 200) from generate_series(1, 5000) g");
    const more = Number(await attributeUntil(chart, 'data-latest-bytes', (v) => Number(v) > lagging, 'the lag growing'));
    expect(more).toBeGreaterThan(lagging);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(firstPoints);
    await expectPage(page.getByTestId('lag-latest-lifeboat_standby')).toContainText(/\d+(\.\d+)? (KiB|MiB) behind/);
    expect(await page.getByTestId('lag-line-lifeboat_standby').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
    await attributeUntil(page.getByTestId('standby-row-lifeboat_standby'), 'data-level', (v) => v === 'warn', 'the standby over its warn threshold');
    await page.screenshot({ path: 'test-results/replication-lagging.png', fullPage: true });

    await pair.standby.query('select pg_wal_replay_resume()');
    await attributeUntil(chart, 'data-latest-bytes', (v) => v === '0', 'the lag back to zero');
    await expectPage(page.getByTestId('lag-latest-lifeboat_standby')).toContainText('0 B behind');
  });

  it('asks for the typed name and a fencing confirmation before promoting, while the old primary answers', async () => {
    const { page } = b;
    await page.goto(`${b.host.url.split('#')[0]}#/service/replica/replication`);
    await expectPage(page.getByTestId('standby-position')).toHaveAttribute('data-paused', 'false');
    // Leaving the primary's page stopped the sampling it started: the job must not hold a job slot for nobody.
    for (let i = 0; i < 100 && (await b.t.call('replication.history', { serviceId: 'main' })).sampling; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await b.t.call('replication.history', { serviceId: 'main' })).sampling).toBe(false);
    await page.getByTestId('promote-open').click();
    const dialog = page.getByTestId('promotion-dialog');
    await expectPage(dialog.getByTestId('promotion-old-primary')).toHaveAttribute('data-reachable', 'true');
    await expectPage(dialog.getByTestId('promotion-unreplayed')).toContainText('0 B');
    const submit = dialog.getByTestId('promotion-submit');
    await dialog.getByTestId('promotion-confirm').fill('replica');
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByTestId('promotion-fenced').check();
    expect(await submit.isDisabled()).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectPage(dialog).toHaveCount(0);
    expect((await pair.standby.query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]?.r).toBe(true);
    expect(b.consoleErrors).toEqual([]);
  });
});
