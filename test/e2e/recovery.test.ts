// Point-in-time recovery in browser mode: pick a time on the timeline, set it to the second between two
// commits, restore into a scratch cluster, and find exactly the rows committed before it.
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './pageExpect';
import { chooseFromServiceMenu } from './serviceMenu';
import { startBrowserMode, type BrowserMode } from '../support/browserMode';
import { useCluster } from '../support/useCluster';

const password = `ui-${randomBytes(8).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { track_commit_timestamp: true }, setup: async (c) => void (await c.query('create database shop')) });
let b: BrowserMode;
const commits: string[] = [];

async function commitRow(id: number): Promise<string> {
  await cluster.query('insert into items values ($1)', [id], 'shop');
  const [row] = await cluster.query<{ at: string }>("select to_char(pg_xact_commit_timestamp(xmin) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') as at from items where id = $1", [id], 'shop');
  await cluster.query('select pg_switch_wal()');
  return row!.at;
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  b = await startBrowserMode();
  await b.t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection: { ...cluster.connection('shop'), password: { kind: 'keychain' } } }, password });
  await b.t.call('repo.init', { path: `${b.t.dir}/repo`, encrypt: true });
  await cluster.query('create table items (id int primary key)', [], 'shop');
  await b.t.call('wal.start', { serviceId: 'shop' });
  for (let i = 0; i < 200 && !(await b.t.call('wal.status', { serviceId: 'shop' })).slot?.active; i++) await new Promise((r) => setTimeout(r, 100));
  const [job] = await b.t.call('backups.start', { serviceIds: ['shop'], kind: 'physical' });
  expect((await b.t.core.jobs.wait(job!.id)).state).toBe('succeeded');
  for (const id of [1, 2, 3]) {
    commits.push(await commitRow(id));
    await new Promise((r) => setTimeout(r, 2500));
  }
  for (let i = 0; i < 300; i++) {
    const w = await b.t.call('window.get', { serviceId: 'shop' });
    if (w.intervals.some((iv) => Date.parse(iv.to) >= Date.parse(commits[2]!))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await b.page.reload();
});

afterAll(async () => {
  for (const s of (await b?.t.call('scratch.list', {}).catch(() => [])) ?? []) await b.t.call('scratch.remove', { id: s.id }).catch(() => undefined);
  await b?.t.call('wal.stop', { serviceId: 'shop' }).catch(() => undefined);
  await b?.close();
});

describe('recovery page in browser mode', () => {
  it('picks a time on the timeline, restores to it, and the copy holds exactly the rows before it', async () => {
    const { page } = b;
    await chooseFromServiceMenu(page, 'shop', 'recovery-service-shop');
    const svg = page.getByTestId('timeline-svg');
    await expectPage(svg).toBeVisible();
    await page.getByRole('button', { name: 'Fit' }).click();
    // Collapse the jobs panel so it cannot cover the chart, then click 60 % of the way along it.
    await page.getByTestId('jobs-panel').getByRole('button', { expanded: true }).first().click().catch(() => undefined);
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await svg.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
    // The cursor is a thin SVG line: present, with the picked time, rather than "visible" by area.
    await expectPage(page.getByTestId('timeline-cursor')).toHaveCount(1);
    const cursorTime = (await page.getByTestId('timeline-cursor').getAttribute('data-time'))!;
    expect(Date.parse(cursorTime)).toBeGreaterThan(Date.parse(commits[0]!) - 3_600_000);
    const picked = await page.getByTestId('pitr-time').inputValue();
    expect(picked).toMatch(/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/);

    // To the second: the first whole second after row 2's commit (rows are 2.5 s apart, so before row 3).
    const target = new Date(Math.ceil(Date.parse(commits[1]!) / 1000) * 1000);
    expect(target.getTime()).toBeLessThan(Date.parse(commits[2]!));
    await page.getByTestId('pitr-zone').selectOption('utc');
    await page.getByTestId('pitr-time').fill(target.toISOString().slice(0, 19));
    await expectPage(page.getByTestId('pitr-window-check')).toHaveAttribute('data-inside', 'true');
    await page.screenshot({ path: 'test-results/recovery-page.png', fullPage: true });
    await page.getByTestId('pitr-start').click();
    await expectPage(page.getByTestId('pitr-result')).toBeVisible();
    await expectPage(page.getByTestId('pitr-reached')).toContainText('stopped before the commit');

    const [scratch] = await b.t.call('scratch.list', {});
    const client = new pg.Client({ host: scratch!.connection.host, port: scratch!.connection.port, user: scratch!.connection.user, database: 'shop' });
    await client.connect();
    try {
      expect((await client.query('select id from items order by id')).rows.map((r) => r.id)).toEqual([1, 2]);
    } finally {
      await client.end();
    }
    await expectPage(page.getByTestId('pitr-uri')).toContainText(String(scratch!.connection.port));
    await page.screenshot({ path: 'test-results/recovery-restored.png', fullPage: true });
    expect(b.consoleErrors).toEqual([]);
  });

  it('shows the lines for a server that archives by itself: asynchronous wal-push and prefetching wal-get, with the key file', async () => {
    const { page } = b;
    const lines = page.getByTestId('wal-server-commands');
    await lines.getByText('Archive from the server instead').click();
    const archive = page.getByTestId('wal-archive-command');
    await expectPage(archive).toBeVisible();
    const status = await b.t.call('wal.status', { serviceId: 'shop' });
    expect(await archive.textContent()).toBe(`archive_command = '${status.serverCommands.archiveCommand}'`);
    expect(status.serverCommands.archiveCommand).toMatch(/^LIFEBOAT_KEY_FILE=\/etc\/lifeboat\/repo\.key lifeboat wal-push --async %p --service shop --config \S+$/);
    await expectPage(page.getByTestId('wal-restore-command')).toContainText('lifeboat wal-get --prefetch 8 %f %p --service shop');
    await expectPage(lines).toContainText('/etc/lifeboat/repo.key');
    await lines.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/recovery-server-archiving.png', fullPage: true });
  });
});
