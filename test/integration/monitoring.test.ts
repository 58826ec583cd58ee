// Monitoring through a real core on a manual clock: a failing job raises a notification event and a webhook
// POST that is retried with backoff until the receiver answers (secret header from the keychain, the secret
// in no file); a schedule starts a real backup of a real cluster when the clock reaches its slot; the
// dashboard turns red and an RPO notification goes out once the last good backup is older than the RPO.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/api';
import { createOutput } from '../../src/host/cli/cliOutput';
import { monitoringCommand } from '../../src/host/cli/monitoringCommands';
import { dispatchCall } from '../../src/core/doorDispatch';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { Job } from '../../src/shared/jobs';
import type { NotificationRecord } from '../../src/shared/monitoring';
import { filesContaining } from '../support/filesContaining';
import { freePort } from '../support/freePort';
import { ManualClock } from '../support/manualClock';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const webhookSecret = `whsec-${randomBytes(12).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query('create table t (id int primary key); insert into t select generate_series(1, 100)', [], 'orders');
  },
});

interface Received {
  headers: IncomingHttpHeaders;
  body: { source: string; host: string; notification: NotificationRecord };
}

let dir: string;
let core: Core;
let clock: ManualClock;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** How many of the next requests the receiver fails with 503 before it answers 200. */
let failNext = 0;
const notifications: NotificationRecord[] = [];
const jobEvents: Job[] = [];

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const outcome = await dispatchCall(core, method, input);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as MethodOutput<M>;
}

/** Waits for a condition the system under test will make true (polls; no fixed sleeps). */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-monitoring-'));
  receiver = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => (text += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/lifeboat?channel=dba`;
  clock = new ManualClock(Date.now());
  core = await createCore({ configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data'), runSchedules: true, clock, webhookRetry: { attempts: 4, baseDelayMs: 1000 } });
  core.events.subscribe((name, payload) => {
    if (name === 'monitoring.notification') notifications.push(payload as NotificationRecord);
    if (name === 'job.changed') jobEvents.push(payload as Job);
  });
  await call('repo.init', { path: join(dir, 'repo'), encrypt: false });
});

afterAll(async () => {
  await core?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('notifications and webhooks', () => {
  it('stores a webhook in the fleet file and its secret only in the keychain', async () => {
    const view = await call('monitoring.setWebhook', { webhook: { name: 'dba-chat', url: receiverUrl, secretHeader: 'X-Lifeboat-Token' }, secret: webhookSecret });
    expect(view).toEqual({ name: 'dba-chat', url: receiverUrl, secretHeader: 'X-Lifeboat-Token', kinds: undefined, hasSecret: true });
    const fleet = await readFile(join(dir, 'fleet.yaml'), 'utf8');
    expect(fleet).toContain('X-Lifeboat-Token');
    expect(fleet).not.toContain(webhookSecret);
    expect(await call('monitoring.setDesktopNotifications', { enabled: false })).toEqual({ desktop: false });
    expect((await call('monitoring.notifications', { limit: 5 })).desktop).toBe(false);
  });

  it('notifies a failed job and POSTs it to the webhook, retrying with backoff until the receiver answers', async () => {
    const closedPort = await freePort();
    await call('services.add', { service: { id: 'ghost', name: 'Ghost', engine: 'postgres', connection: { ...cluster.connection('orders'), port: closedPort, password: { kind: 'none' } } } });
    failNext = 2;
    const before = received.length;
    const [job] = await call('backups.start', { serviceIds: ['ghost'], kind: 'logical' });
    const failed = await core.jobs.wait(job!.id);
    expect(failed.state).toBe('failed');
    await until(() => notifications.some((n) => n.jobId === job!.id), 'the notification event');
    const n = notifications.find((x) => x.jobId === job!.id)!;
    expect(n).toMatchObject({ kind: 'job-failed', severity: 'critical', serviceId: 'ghost', title: 'Failed: Logical backup of ghost', message: failed.error!.message });

    // Attempt 1 fails (503), then the notifier waits 1 s, attempt 2 fails, waits 2 s, attempt 3 succeeds.
    await until(() => received.length === before + 1, 'the first POST');
    await until(async () => {
      await clock.advance(1000);
      return received.length === before + 3;
    }, 'the retries');
    await core.monitor.notifier.whenIdle();
    const posts = received.slice(before);
    expect(posts).toHaveLength(3);
    for (const p of posts) {
      expect(p.headers['x-lifeboat-token']).toBe(webhookSecret);
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.body).toMatchObject({ source: 'lifeboat', notification: { id: n.id, kind: 'job-failed', jobId: job!.id, message: failed.error!.message } });
    }
    const { deliveries, notifications: listed } = await call('monitoring.notifications', { limit: 10 });
    expect(deliveries[0]).toMatchObject({ webhook: 'dba-chat', notificationId: n.id, ok: true, attempts: 3, status: 204 });
    expect(listed[0]!.id).toBe(n.id);
    await call('services.remove', { id: 'ghost' });
  });

  it('reports a webhook that never answers after its last attempt, and a test delivery that works', async () => {
    failNext = 100;
    const pending = call('monitoring.testWebhook', { name: 'dba-chat' });
    const before = received.length;
    await until(async () => {
      await clock.advance(1000);
      return received.length >= before + 4 || (await Promise.race([pending.then(() => true), Promise.resolve(false)]));
    }, 'four attempts');
    expect(await pending).toMatchObject({ webhook: 'dba-chat', ok: false, attempts: 4, status: 503, error: 'HTTP 503' });
    failNext = 0;
    expect(await call('monitoring.testWebhook', { name: 'dba-chat' })).toMatchObject({ ok: true, attempts: 1 });
    expect(received.at(-1)!.body.notification.kind).toBe('test');
  });

  it('never writes the webhook secret to a file: fleet file, state, logs, repository', async () => {
    await core.monitor.notifier.whenIdle();
    const log = await readFile(join(dir, 'data', 'logs', 'lifeboat.log'), 'utf8');
    expect(log).toContain('webhook.delivered');
    expect(log).toContain('webhook.failed');
    expect(await filesContaining([dir], webhookSecret)).toEqual([]);
  });
});

describe('schedules and the RPO', () => {
  it('starts a real backup when the clock reaches the slot, then turns red once the backup is older than the RPO', async () => {
    const slot = new Date(Math.ceil((clock.now() + 60_000) / 60_000) * 60_000);
    const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
    await call('services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { ...cluster.connection('orders'), password: { kind: 'keychain' } }, policy: { rpo: '1h', schedules: [{ kind: 'logical', cron, timeZone: 'UTC' }] } },
      password,
    });
    const [schedule] = await call('monitoring.schedules', {});
    expect(schedule).toMatchObject({ serviceId: 'orders', kind: 'logical', nextRun: slot.toISOString(), description: `every day at ${String(slot.getUTCHours()).padStart(2, '0')}:${String(slot.getUTCMinutes()).padStart(2, '0')} (UTC)` });
    let dashboard = await call('monitoring.dashboard', {});
    expect(dashboard.services.find((s) => s.serviceId === 'orders')).toMatchObject({ backup: { level: 'breach', text: 'No good backup yet (RPO 1 h)' }, nextRun: { at: slot.toISOString(), kind: 'logical' } });

    await clock.advance(slot.getTime() - clock.now() - 1000, () => core.monitor.scheduler.whenIdle());
    expect(jobEvents.some((j) => j.kind === 'backup.logical' && j.serviceId === 'orders')).toBe(false);
    await clock.advance(1000, () => core.monitor.scheduler.whenIdle());
    const started = jobEvents.find((j) => j.kind === 'backup.logical' && j.serviceId === 'orders');
    expect(started).toBeDefined();
    const done = await core.jobs.wait(started!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    await core.monitor.scheduler.whenIdle();
    expect((await call('monitoring.schedules', {}))[0]!.lastRun).toMatchObject({ slot: slot.toISOString(), outcome: 'succeeded', jobId: started!.id });

    const [backup] = await call('backups.list', { serviceId: 'orders' });
    dashboard = await call('monitoring.dashboard', {});
    const fresh = dashboard.services.find((s) => s.serviceId === 'orders')!;
    expect(fresh.backup).toMatchObject({ level: 'ok', lastGoodAt: backup!.finishedAt, rpoSeconds: 3600 });
    expect(fresh.backup.text).toMatch(/^Within RPO/);
    expect(dashboard.storage.find((s) => s.serviceId === 'orders')).toMatchObject({ storedBytes: backup!.storedBytes, growth7d: backup!.storedBytes });

    // 50 minutes later: amber (over 80 % of the RPO); 61 minutes later: red, and one RPO notification.
    const finished = Date.parse(backup!.finishedAt);
    const settle = () => core.monitor.whenIdle();
    await clock.advance(finished + 50 * 60_000 - clock.now(), settle);
    dashboard = await call('monitoring.dashboard', {});
    expect(dashboard.services.find((s) => s.serviceId === 'orders')!.backup.level).toBe('warning');
    expect(notifications.filter((n) => n.kind === 'rpo-breach' && n.serviceId === 'orders')).toHaveLength(0);
    await clock.advance(finished + 66 * 60_000 - clock.now(), settle);
    dashboard = await call('monitoring.dashboard', {});
    const late = dashboard.services.find((s) => s.serviceId === 'orders')!;
    expect(late.backup).toMatchObject({ level: 'breach' });
    expect(late.backup.text).toMatch(/^RPO breached: last good backup 1 h \d+ min ago \(RPO 1 h\)$/);
    expect(notifications.filter((n) => n.kind === 'rpo-breach' && n.serviceId === 'orders')).toHaveLength(1);
    await clock.advance(20 * 60_000, settle);
    expect(notifications.filter((n) => n.kind === 'rpo-breach' && n.serviceId === 'orders')).toHaveLength(1);
    expect(dashboard.rates.find((r) => r.days === 7)).toMatchObject({ succeeded: 1, failed: 1, successRate: 0.5 });
    expect(dashboard.failures[0]).toMatchObject({ serviceId: 'ghost', kind: 'backup.logical', source: 'this computer' });
  });

  it('lists the schedules and the compliance for scripts (lifeboat schedules / dashboard --json)', async () => {
    const run = async (command: string, args: string[], json = true) => {
      let stdout = '';
      let stderr = '';
      const out = createOutput(json, { write: (t: string) => (stdout += t) } as never, { write: (t: string) => (stderr += t) } as never);
      const code = await monitoringCommand(core, command, args, out, async () => '');
      return { code, stdout, stderr };
    };
    const schedules = await run('schedules', []);
    expect(schedules.code).toBe(0);
    expect(JSON.parse(schedules.stdout)).toEqual([expect.objectContaining({ serviceId: 'orders', kind: 'logical', lastRun: expect.objectContaining({ outcome: 'succeeded' }) })]);
    const human = await run('dashboard', [], false);
    expect(human.stdout).toMatch(/orders\s+BREACH RPO breached: last good backup/);
    expect(human.stdout).toContain('last 7 days: 1 succeeded, 1 failed (50 %)');
    const webhooks = await run('webhook', ['list']);
    expect(JSON.parse(webhooks.stdout)).toEqual([expect.objectContaining({ name: 'dba-chat', hasSecret: true })]);
    expect(webhooks.stdout).not.toContain(webhookSecret);
    const bad = await run('webhook', ['set', 'x', 'http://127.0.0.1/x', '--no-such-option'], false);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error INVALID_INPUT: Unknown option '--no-such-option'/);
  });
});
