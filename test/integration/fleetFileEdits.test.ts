// An agent's core follows edits of its fleet file without a restart: a schedule changed in the file takes the
// next run, on a manual clock; a broken edit keeps the last good schedule and says why in the log, in the
// lines the agent prints and as a notification.
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/api';
import type { LogEntry } from '../../src/core/logging/activityLog';
import type { NotificationRecord } from '../../src/shared/monitoring';
import { ManualClock } from '../support/manualClock';
import { startTestCore } from '../support/testCore';
import { until } from '../support/until';

const START = Date.parse('2026-11-25T00:00:00Z');
let dir: string;
let configPath: string;
let core: Core;
const clock = new ManualClock(START);
const printed: LogEntry[] = [];
const notifications: NotificationRecord[] = [];

/** How an editor saves: a new file renamed over the old one. */
async function editorSave(text: string): Promise<void> {
  const temp = join(dir, '.fleet.yaml.swp');
  await writeFile(temp, text);
  await rename(temp, configPath);
}

const schedule = () => core.monitor.scheduler.views().find((v) => v.serviceId === 'orders' && v.kind === 'retention');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-fleet-edits-'));
  configPath = join(dir, 'fleet.yaml');
  const t = await startTestCore(dir);
  try {
    await t.call('repo.init', { path: join(dir, 'repo'), encrypt: false });
    await t.call('services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { host: '127.0.0.1', port: 1, database: 'orders', user: 'backup', password: { kind: 'none' } }, policy: { schedules: [{ kind: 'retention', cron: '0 3 * * *', timeZone: 'UTC' }] } },
    });
  } finally {
    await t.close();
  }
  core = await createCore({ configPath, dataDir: join(dir, 'data'), runSchedules: true, agentName: 'edits-agent', clock, onScheduleLog: (e) => printed.push(e) });
  core.events.subscribe((name, payload) => {
    if (name === 'monitoring.notification') notifications.push(payload as NotificationRecord);
  });
});

afterAll(async () => {
  await core?.close();
});

describe('an edited fleet file', () => {
  it('is applied without a restart: the next run follows the schedule now in the file', async () => {
    expect(schedule()).toMatchObject({ cron: '0 3 * * *', nextRun: '2026-11-25T03:00:00.000Z' });
    const text = await readFile(configPath, 'utf8');
    expect(text).toContain('cron: 0 3 * * *');
    await editorSave(text.replace('cron: 0 3 * * *', 'cron: 30 1 * * *'));

    await until('the new schedule', async () => schedule()?.cron === '30 1 * * *');
    expect(schedule()).toMatchObject({ nextRun: '2026-11-25T01:30:00.000Z' });
    expect(printed.find((e) => e.event === 'fleet.reloaded')?.detail).toBe(`${configPath} was edited and applied; services changed: orders`);

    // The clock reaches 01:30: retention runs then, and not at the old 03:00.
    await clock.advance(Date.parse('2026-11-25T01:30:00Z') - clock.now(), () => core.monitor.whenIdle());
    await until('the run at 01:30 to end', async () => schedule()?.lastRun?.outcome === 'succeeded', 30_000, async () => schedule()?.lastRun);
    expect(schedule()!.lastRun).toMatchObject({ slot: '2026-11-25T01:30:00.000Z' });
    const job = core.jobs.get(schedule()!.lastRun!.jobId!);
    expect(job).toMatchObject({ kind: 'retention', serviceId: 'orders', state: 'succeeded' });
    await clock.advance(Date.parse('2026-11-25T03:05:00Z') - clock.now(), () => core.monitor.whenIdle());
    expect(schedule()!.lastRun).toMatchObject({ slot: '2026-11-25T01:30:00.000Z' });
    expect(schedule()!.nextRun).toBe('2026-11-26T01:30:00.000Z');
  });

  it('keeps the last good schedule when an edit is broken, and says why: log, agent output, notification', async () => {
    const good = await readFile(configPath, 'utf8');
    const broken = good.replace('kind: retention', 'kind: retention\n        cron: [unclosed');
    await editorSave(broken);

    await until('the notification', async () => notifications.find((n) => n.kind === 'config-invalid'));
    const n = notifications.find((x) => x.kind === 'config-invalid')!;
    expect(n).toMatchObject({ severity: 'critical', title: 'The edited fleet file was not applied' });
    expect(n.message).toMatch(new RegExp(`^${configPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line \\d+: `));
    expect(n.hint).toMatch(/Until then the last good version stays in use\.$/);
    expect(schedule()).toMatchObject({ cron: '30 1 * * *', nextRun: '2026-11-26T01:30:00.000Z' });
    expect(core.monitor.scheduler.views()).toHaveLength(1);

    const rejected = printed.find((e) => e.event === 'fleet.rejected')!;
    expect(rejected).toMatchObject({ level: 'error', code: 'CONFIG_INVALID' });
    expect(rejected.detail).toContain(n.message);
    const logged = async () => (await readFile(join(dir, 'data', 'logs', 'lifeboat.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
    // The notifier logs its line after it publishes the event.
    const log = await until('the notification in the log', async () => ((await logged()).some((e) => e.event === 'notification.config-invalid') ? logged() : undefined));
    expect(log.find((e) => e.event === 'fleet.rejected')?.detail).toBe(rejected.detail);

    // A field the validator refuses names its place; fixed, the file is applied again.
    await editorSave(good.replace('cron: 30 1 * * *', 'cron: 45 4 * * *').replace('port: 1', 'port: not-a-port'));
    await until('the second refusal', async () => notifications.filter((x) => x.kind === 'config-invalid').length === 2);
    expect(notifications.filter((x) => x.kind === 'config-invalid')[1]!.message).toMatch(/services\[0\] \(id orders\)\.connection\.port/);
    expect(schedule()!.cron).toBe('30 1 * * *');
    await editorSave(good.replace('cron: 30 1 * * *', 'cron: 45 4 * * *'));
    await until('the fixed file applied', async () => schedule()?.cron === '45 4 * * *');
    expect(schedule()!.nextRun).toBe('2026-11-25T04:45:00.000Z'); // the clock stands at 03:05
  });

  it('starts sampling replication for a service whose edit adds replication thresholds', async () => {
    const sampling = () => core.jobs.list().find((j) => j.kind === 'replication.sample' && j.serviceId === 'orders' && j.state === 'running');
    expect(sampling()).toBeUndefined();
    const text = await readFile(configPath, 'utf8');
    expect(text).toMatch(/\n {4}policy:\n/);
    await editorSave(text.replace(/\n {4}policy:\n/, '\n    policy:\n      replication:\n        warnLagSeconds: 30\n'));
    await until('the sampling job of orders', async () => sampling());
  });
});
