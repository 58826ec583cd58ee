// The fleet page as an overview, at 1280×800, for a fleet of 200 services from a generated fleet file (three
// of them on a real cluster, the others on a port where nothing listens): the rows sort by the clicked column,
// the filters (engine, team, tag, state) and the search leave exactly the expected services, a service's page
// opens from the keyboard with its tabs, no table scrolls sideways on either page, and a server that did not
// answer never reads "Broken". Screenshots: test-results/fleet-1280.png and test-results/service-1280.png.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/host/web/webHost';
import type { Service } from '../../src/shared/domain';
import type { ServiceCompliance } from '../../src/shared/monitoring';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/freePort';
import { startTestCore, type TestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';
import { expect as expectPage } from './pageExpect';

const password = `ui-${randomBytes(8).toString('hex')}`;
const PASSWORD_VARIABLE = 'LIFEBOAT_E2E_FLEET_PW';
const cluster = useCluster({ superuserPassword: password });
const REAL = new Set(['svc-001', 'svc-002', 'svc-004']);
const COUNT = 200;

let t: TestCore;
let host: WebHost;
let browser: Browser;
let page: Page;
let services: Service[];
let verdicts: ServiceCompliance[];

function generatedFleet(nowhere: number): Service[] {
  return Array.from({ length: COUNT }, (_, i): Service => {
    const id = `svc-${String(i + 1).padStart(3, '0')}`;
    const engine = i % 5 === 4 ? 'sqlserver' : 'postgres';
    const real = REAL.has(id);
    return {
      id,
      name: `Service ${String(i + 1).padStart(3, '0')}`,
      engine,
      team: `team-${String((i % 10) + 1).padStart(2, '0')}`,
      owner: i % 4 === 0 ? 'Ana Silva' : undefined,
      // One long tag: a chip that must never break inside a word, whatever the column's width.
      tags: [i % 3 === 0 ? 'tier-1' : 'tier-2', ...(i % 7 === 0 ? ['payments'] : []), ...(i % 11 === 0 ? ['customer-data-residency-eu'] : [])],
      connection: real
        ? { ...cluster.connection('postgres'), password: { kind: 'env', variable: PASSWORD_VARIABLE } }
        : { host: '127.0.0.1', port: nowhere, database: 'app', user: engine === 'postgres' ? 'postgres' : 'sa', tls: 'disable', password: { kind: 'none' } },
      policy: { rpo: '1h', rto: '30m' },
    };
  });
}

/** The services' ids in the order the table shows them (only the rows in the document). */
async function shownIds(): Promise<string[]> {
  return page.locator('[data-testid="fleet-table"] tbody tr[data-testid^="service-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('service-row-', '')));
}

/** Waits until the table shows exactly these services (in any order). */
async function expectExactly(ids: string[]): Promise<void> {
  const want = [...ids].sort();
  await expectPage(page.getByTestId('fleet-count')).toHaveAttribute('data-shown', String(want.length));
  expect([...(await shownIds())].sort()).toEqual(want);
}

/** No table's frame, nor the page, scrolls sideways. */
async function expectNoSidewaysScroll(): Promise<void> {
  const overflowing = await page.evaluate(() => {
    const boxes = [document.documentElement, document.querySelector('.app-main'), ...document.querySelectorAll('.table-scroll')].filter((e): e is Element => e !== null);
    return boxes.filter((e) => e.scrollWidth > e.clientWidth).map((e) => `${e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`);
  });
  expect(overflowing).toEqual([]);
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  process.env[PASSWORD_VARIABLE] = password;
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-fleet-'));
  services = generatedFleet(await freePort());
  // JSON is YAML: the generated fleet file is what a team would keep in git.
  await writeFile(join(dir, 'fleet.yaml'), JSON.stringify({ version: 1, services }, null, 2));
  t = await startTestCore(dir);
  await t.call('repo.init', { path: join(dir, 'repo'), encrypt: false });
  const [job] = await t.call('backups.start', { serviceIds: ['svc-001'], kind: 'logical' });
  expect((await t.core.jobs.wait(job!.id)).state).toBe('succeeded');
  verdicts = (await t.call('monitoring.fleet', {})).services;
  host = await startWebHost({ core: t.core, rendererDir: join(process.cwd(), 'out', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
  await expectPage(page.getByTestId('fleet-generated')).toContainText('State as of');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await t?.close();
  delete process.env[PASSWORD_VARIABLE];
});

describe('the fleet page with 200 services at 1280×800', () => {
  it('lists every service, renders only the rows in view, and fits the window without scrolling sideways', async () => {
    await expectPage(page.getByTestId('fleet-count')).toHaveAttribute('data-total', String(COUNT));
    const table = page.getByRole('table', { name: 'Services' });
    await expectPage(table).toHaveAttribute('data-virtual', 'true');
    await expectPage(table).toHaveAttribute('aria-rowcount', String(COUNT + 1));
    const inDocument = await shownIds();
    expect(inDocument.length).toBeLessThan(COUNT);
    expect(inDocument.slice(0, 3)).toEqual(['svc-001', 'svc-002', 'svc-003']);
    // Tags are whole chips on one line: never "customer-data-" / "residency-eu".
    const tagHeights = await page.locator('.fleet__tag').evaluateAll((tags) => tags.map((e) => (e as HTMLElement).offsetHeight));
    expect(tagHeights.length).toBeGreaterThan(0);
    expect(Math.max(...tagHeights)).toBeLessThan(24);
    await expectNoSidewaysScroll();
    await page.screenshot({ path: 'test-results/fleet-1280.png' });

    // The last service comes into the document once the list is scrolled to its end.
    await page.locator('.table-scroll--virtual').evaluate((e) => e.scrollTo(0, e.scrollHeight));
    await expectPage(page.getByTestId('service-row-svc-200')).toBeVisible();
    await page.locator('.table-scroll--virtual').evaluate((e) => e.scrollTo(0, 0));
    await expectPage(page.getByTestId('service-row-svc-001')).toBeVisible();
  });

  it('never calls the replication of a server that did not answer "Broken"', async () => {
    const silent = services.filter((s) => !REAL.has(s.id)).slice(0, 6).map((s) => s.id);
    for (const id of silent) {
      const cell = page.getByTestId(`replication-health-${id}`);
      await page.getByTestId('fleet-search').fill(id);
      await expectPage(cell).toBeVisible();
      expect(await cell.getAttribute('data-health')).not.toBe('broken');
      const unknown = verdicts.find((v) => v.serviceId === id)!.unknown;
      for (const fact of unknown.filter((u) => u.fact === 'replication')) await expectPage(cell).toContainText(`unknown: ${fact.reason}`);
    }
    await page.getByTestId('fleet-search').fill('');
  });

  it('sorts by the clicked column, both ways, and says so in aria-sort', async () => {
    const header = page.getByRole('columnheader', { name: /Team \/ owner/ });
    const teams = services.map((s) => s.team!).sort();
    const firstTeams = async () =>
      page.locator('[data-testid="fleet-table"] tbody tr[data-testid^="service-row-"]').evaluateAll((rows) => rows.slice(0, 10).map((r) => r.children[2]!.querySelector('.fleet__line')!.textContent));
    const before = await shownIds();
    await header.getByRole('button').click();
    await expectPage(header).toHaveAttribute('aria-sort', 'ascending');
    expect(await firstTeams()).toEqual(teams.slice(0, 10));
    expect((await shownIds()).slice(0, 10)).not.toEqual(before.slice(0, 10));
    // The keyboard sorts too: the header is a button.
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expectPage(header).toHaveAttribute('aria-sort', 'descending');
    expect(await firstTeams()).toEqual(teams.slice(-10).reverse());
    expect(await page.getByRole('columnheader', { name: /^Service/ }).getAttribute('aria-sort')).toBe('none');
    await page.getByRole('columnheader', { name: /^Service/ }).getByRole('button').click();
    await expectPage(page.getByRole('columnheader', { name: /^Service/ })).toHaveAttribute('aria-sort', 'ascending');
  });

  it('filters by engine, team, tag and state, and searches, leaving exactly the expected services', async () => {
    const ids = (keep: (s: Service) => boolean) => services.filter(keep).map((s) => s.id);
    await page.getByTestId('fleet-filter-engine').selectOption('sqlserver');
    await expectExactly(ids((s) => s.engine === 'sqlserver'));
    await page.getByTestId('fleet-filter-team').selectOption('team-03');
    await expectExactly(ids((s) => s.engine === 'sqlserver' && s.team === 'team-03'));
    await expectPage(page.getByTestId('fleet-table').locator('tbody')).toContainText('No service matches');
    await page.getByTestId('fleet-filters-clear').click();
    await expectPage(page.getByTestId('fleet-count')).toHaveAttribute('data-shown', String(COUNT));

    await page.getByTestId('fleet-filter-tag').selectOption('payments');
    await expectExactly(ids((s) => s.tags.includes('payments')));
    await page.getByTestId('fleet-filter-tag').selectOption('customer-data-residency-eu');
    await expectExactly(ids((s) => s.tags.includes('customer-data-residency-eu')));
    await page.getByTestId('fleet-filters-clear').click();

    // The state is the worst verdict the core gave each service: within one team, each state leaves its own.
    await page.getByTestId('fleet-filter-team').selectOption('team-01');
    const team = verdicts.filter((v) => v.team === 'team-01');
    for (const state of ['breach', 'warning', 'unknown', 'ok'] as const) {
      await page.getByTestId('fleet-filter-state').selectOption(state);
      await expectExactly(team.filter((v) => v.state === state).map((v) => v.serviceId));
    }
    await page.getByTestId('fleet-filters-clear').click();

    // The search looks at names, ids, teams, owners and tags, together with the filters.
    const matching = (q: string) => ids((s) => [s.name, s.id, s.engine, s.team, s.owner, ...s.tags].filter(Boolean).join(' ').toLowerCase().includes(q));
    await page.getByTestId('fleet-search').fill('Service 12');
    await expectExactly(matching('service 12'));
    await page.getByTestId('fleet-search').fill('ana silva');
    await page.getByTestId('fleet-filter-tag').selectOption('tier-1');
    await expectExactly(matching('ana silva').filter((id) => services.find((s) => s.id === id)!.tags.includes('tier-1')));
    await page.getByTestId('fleet-filters-clear').click();
    await expectPage(page.getByTestId('fleet-count')).toHaveAttribute('data-shown', String(COUNT));
  });

  it('fills in a verdict when a job that changes it ends, without a refresh', async () => {
    await page.getByTestId('fleet-search').fill('svc-002');
    await expectExactly(['svc-002']);
    await expectPage(page.getByTestId('last-good-svc-002')).toHaveText('None');
    const [job] = await t.call('backups.start', { serviceIds: ['svc-002'], kind: 'logical' });
    expect((await t.core.jobs.wait(job!.id)).state).toBe('succeeded');
    await expectPage(page.getByTestId('last-good-svc-002')).toContainText('ago');
    await expectPage(page.getByTestId('rpo-state-svc-002')).toHaveAttribute('data-level', 'ok');
    await page.getByTestId('fleet-search').fill('');
  });

  it("opens a service's page from the keyboard, with its verdicts, its tabs and its actions", async () => {
    await page.getByTestId('fleet-search').fill('svc-001');
    await expectExactly(['svc-001']);
    await page.getByTestId('service-link-svc-001').focus();
    await page.keyboard.press('Enter');
    await expectPage(page.getByRole('heading', { name: 'Service 001', level: 1 })).toBeVisible();
    expect(new URL(page.url()).hash).toBe('#/service/svc-001');
    const tabs = page.getByRole('tablist', { name: 'Service 001' });
    await expectPage(tabs.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await expectPage(page.getByTestId('overview-rpo')).toBeVisible();
    const mine = verdicts.find((v) => v.serviceId === 'svc-001')!;
    await expectPage(page.getByTestId('overview-rpo')).toHaveAttribute('data-level', mine.backup.level);
    await page.getByTestId('test-service-svc-001').click();
    await expectPage(page.getByTestId('connection-test-result-svc-001')).toHaveAttribute('data-status', 'ok');
    await expectNoSidewaysScroll();
    await page.screenshot({ path: 'test-results/service-1280.png' });

    // Arrows move along the tabs, Enter opens one: the backups tab lists the backup taken at the start.
    await tabs.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expectPage(page.getByTestId('service-tabpanel')).toHaveAttribute('data-tab', 'backups');
    await expectPage(page.getByRole('heading', { name: 'Backups of Service 001' })).toBeVisible();
    await expectPage(page.getByTestId('backups-table').locator('tbody tr[data-testid^="backup-row-"]')).toHaveCount(1);
    await expectNoSidewaysScroll();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expectPage(page.getByTestId('service-tabpanel')).toHaveAttribute('data-tab', 'settings');
    await expectPage(page.getByTestId('settings-policy')).toContainText('1h');
    await expectNoSidewaysScroll();
  });
});
