// Schedules on a manual clock: when runs fall due across time zones and DST, what was missed while Lifeboat
// was closed, and the guards (no overlapping runs, a fleet-wide limit). No sleeps: time moves when told.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CronSchedule } from '../../../src/core/monitoring/cronSchedule';
import { describeSchedule } from '../../../src/core/monitoring/describeSchedule';
import { Scheduler, type JobOutcome, type ScheduleTarget, type SlotLocks } from '../../../src/core/monitoring/scheduler';
import { ScheduleState } from '../../../src/core/monitoring/scheduleState';
import type { Schedule } from '../../../src/shared/domain';
import { ManualClock } from '../../support/manualClock';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('next runs across time zones and DST', () => {
  it('runs a 02:00 Berlin schedule at 01:00 UTC in winter and 00:00 UTC in summer', () => {
    const c = new CronSchedule('0 2 * * *', 'Europe/Berlin');
    expect(iso(c.nextAfter(at('2026-01-10T12:00:00Z'))!)).toBe('2026-01-11T01:00:00.000Z');
    expect(iso(c.nextAfter(at('2026-07-10T12:00:00Z'))!)).toBe('2026-07-11T00:00:00.000Z');
  });

  it('runs a time skipped by the spring change once, at the first valid time after it', () => {
    const c = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 -> 03:00 CEST = 01:00 UTC).
    expect(c.runsBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T23:00:00Z')).map(iso)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs a time repeated by the autumn change once, not twice', () => {
    const c = new CronSchedule('30 2 * * *', 'Europe/Berlin');
    const runs = c.runsBetween(at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z')).map(iso);
    expect(runs).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('reads the same expression in each schedule\'s own zone', () => {
    const from = at('2026-11-25T00:00:00Z');
    expect(iso(new CronSchedule('0 9 * * 1-5', 'America/New_York').nextAfter(from)!)).toBe('2026-11-25T14:00:00.000Z');
    expect(iso(new CronSchedule('0 9 * * 1-5', 'Asia/Tokyo').nextAfter(from)!)).toBe('2026-11-26T00:00:00.000Z');
    expect(iso(new CronSchedule('0 9 * * 1-5', 'UTC').nextAfter(from)!)).toBe('2026-11-25T09:00:00.000Z');
  });

  it('describes common schedules in words with their zone', () => {
    expect(describeSchedule('0 2 * * *', 'Europe/Berlin')).toBe('every day at 02:00 (Europe/Berlin)');
    expect(describeSchedule('*/15 * * * *', 'UTC')).toBe('every 15 minutes (UTC)');
    expect(describeSchedule('30 1 * * 0', 'UTC')).toBe('every Sunday at 01:30 (UTC)');
    expect(describeSchedule('0 6 * * 1-5', 'Europe/London')).toBe('Monday to Friday at 06:00 (Europe/London)');
    expect(describeSchedule('0 3 1 * *', 'UTC')).toBe('on day 1 of every month at 03:00 (UTC)');
    expect(describeSchedule('5 */4 * * *', 'UTC')).toBe('every 4 hours at :05 (UTC)');
    expect(describeSchedule('0 2,14 * * *', 'UTC')).toBe('every day at 02:00 and 14:00 (UTC)');
    expect(describeSchedule('*/10 * * * * *', 'UTC')).toBe('every 10 seconds (UTC)');
    expect(describeSchedule('0 0 12 L * *', 'UTC')).toBe('cron "0 0 12 L * *" (UTC)');
  });
});

interface Harness {
  clock: ManualClock;
  scheduler: Scheduler;
  started: Array<{ serviceId: string; kind: string; slot: string; finish: (o?: JobOutcome) => void }>;
  idle: () => Promise<void>;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-sched-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function harness(targets: ScheduleTarget[], options: { now: string; concurrency?: number; stateFile?: string; locks?: SlotLocks }): Harness {
  const clock = new ManualClock(at(options.now));
  const started: Harness['started'] = [];
  const scheduler = new Scheduler({
    clock,
    state: new ScheduleState(options.stateFile ?? join(dir, 'schedules.json')),
    targets: () => targets,
    concurrency: () => options.concurrency ?? 10,
    locks: options.locks,
    launcher: async (target, slot) => {
      let finish!: (o?: JobOutcome) => void;
      const done = new Promise<JobOutcome>((resolve) => (finish = (o) => resolve(o ?? { outcome: 'succeeded' })));
      started.push({ serviceId: target.serviceId, kind: target.schedule.kind, slot: iso(slot), finish });
      return { jobId: `job-${started.length}`, done };
    },
  });
  const idle = () => scheduler.whenIdle();
  return { clock, scheduler, started, idle };
}

const pg = (serviceId: string, schedule: Partial<Schedule> & { cron: string }): ScheduleTarget => ({
  serviceId,
  engine: 'postgres',
  schedule: { kind: 'logical', timeZone: 'UTC', ...schedule },
});

describe('the scheduler', () => {
  it('starts each run at its slot and shows the next one', async () => {
    const h = harness([pg('orders', { cron: '0 2 * * *', timeZone: 'Europe/Berlin' })], { now: '2026-11-25T02:00:00Z' });
    await h.scheduler.start();
    expect(h.scheduler.views()[0]).toMatchObject({ nextRun: '2026-11-26T01:00:00.000Z', description: 'every day at 02:00 (Europe/Berlin)' });
    await h.clock.advance(24 * 3600_000, h.idle);
    expect(h.started.map((s) => s.slot)).toEqual(['2026-11-26T01:00:00.000Z']);
    h.started[0]!.finish();
    await h.idle();
    await h.clock.advance(24 * 3600_000, h.idle);
    expect(h.started.map((s) => s.slot)).toEqual(['2026-11-26T01:00:00.000Z', '2026-11-27T01:00:00.000Z']);
    expect(h.scheduler.views()[0]).toMatchObject({ lastRun: { slot: '2026-11-27T01:00:00.000Z', outcome: 'started', jobId: 'job-2' }, nextRun: '2026-11-28T01:00:00.000Z' });
    h.scheduler.stop();
  });

  it('never runs the same job on one service twice at once: a slot that comes while it runs is skipped', async () => {
    const h = harness([pg('orders', { cron: '*/10 * * * *' })], { now: '2026-11-25T00:01:00Z' });
    await h.scheduler.start();
    await h.clock.advance(9 * 60_000, h.idle);
    expect(h.started).toHaveLength(1);
    await h.clock.advance(20 * 60_000, h.idle); // 00:20 and 00:30 fall due while 00:10 still runs
    expect(h.started).toHaveLength(1);
    expect(h.scheduler.views()[0]!.lastRun).toMatchObject({ outcome: 'skipped-overlap', slot: '2026-11-25T00:30:00.000Z' });
    h.started[0]!.finish({ outcome: 'failed', detail: 'boom' });
    await h.idle();
    await h.clock.advance(10 * 60_000, h.idle);
    expect(h.started.map((s) => s.slot)).toEqual(['2026-11-25T00:10:00.000Z', '2026-11-25T00:40:00.000Z']);
    h.scheduler.stop();
  });

  it('keeps to the fleet limit: the third service waits until a slot frees up', async () => {
    const targets = ['a', 'b', 'c'].map((id) => pg(id, { cron: '0 3 * * *' }));
    const h = harness(targets, { now: '2026-11-25T00:00:00Z', concurrency: 2 });
    await h.scheduler.start();
    await h.clock.advance(3 * 3600_000, h.idle);
    expect(h.started.map((s) => s.serviceId)).toEqual(['a', 'b']);
    h.started[1]!.finish();
    await h.idle();
    expect(h.started.map((s) => s.serviceId)).toEqual(['a', 'b', 'c']);
    expect(h.started[2]!.slot).toBe('2026-11-25T03:00:00.000Z');
    h.scheduler.stop();
  });

  it('counts the runs missed while Lifeboat was closed, shows them, and runs once at start when runMissed', async () => {
    const stateFile = join(dir, 'state.json');
    const targets = [pg('orders', { cron: '0 2 * * *', runMissed: true }), pg('billing', { cron: '0 4 * * *' })];
    const first = harness(targets, { now: '2026-11-20T01:00:00Z', stateFile });
    await first.scheduler.start();
    await first.clock.advance(3600_000 * 4, first.idle); // both run on the 20th
    first.started.forEach((s) => s.finish());
    await first.idle();
    first.scheduler.stop();
    expect(first.started.map((s) => `${s.serviceId} ${s.slot}`)).toEqual(['orders 2026-11-20T02:00:00.000Z', 'billing 2026-11-20T04:00:00.000Z']);

    // Closed for five days; reopened at noon on the 25th.
    const second = harness(targets, { now: '2026-11-25T12:00:00Z', stateFile });
    await second.scheduler.start();
    await second.idle();
    const views = Object.fromEntries(second.scheduler.views().map((v) => [v.serviceId, v]));
    expect(views.orders!.missed).toEqual({ count: 5, first: '2026-11-21T02:00:00.000Z', last: '2026-11-25T02:00:00.000Z', ranAtStart: true });
    expect(views.billing!.missed).toEqual({ count: 5, first: '2026-11-21T04:00:00.000Z', last: '2026-11-25T04:00:00.000Z', ranAtStart: false });
    // Once, for the latest missed slot; billing (no runMissed) waits for its next slot.
    expect(second.started.map((s) => `${s.serviceId} ${s.slot}`)).toEqual(['orders 2026-11-25T02:00:00.000Z']);
    second.scheduler.stop();
  });

  it('reports nothing missed on a first start, and a schedule the engine cannot run as an error', async () => {
    const h = harness([pg('orders', { cron: '0 2 * * *' }), pg('orders', { cron: '0 2 * * *', kind: 'full' }), pg('x', { cron: '61 2 * * *' })], { now: '2026-11-25T12:00:00Z' });
    await h.scheduler.start();
    const [ok, wrongKind, badCron] = h.scheduler.views();
    expect(ok!.missed).toBeUndefined();
    expect(wrongKind!.error).toMatch(/PostgreSQL service has no "full" job/);
    expect(badCron!.error).toMatch(/cron "61 2 \* \* \*"/);
    expect(badCron!.nextRun).toBeUndefined();
    h.scheduler.stop();
  });

  it("runs pgBackRest's full and diff backups on a PostgreSQL service that pgBackRest backs up", async () => {
    const h = harness([{ ...pg('shop', { cron: '0 2 * * *', kind: 'full' }), backupEngine: 'pgbackrest' }, { ...pg('shop', { cron: '0 3 * * *', kind: 'diff' }), backupEngine: 'pgbackrest' }], { now: '2026-11-25T12:00:00Z' });
    await h.scheduler.start();
    expect(h.scheduler.views().map((v) => v.error)).toEqual([undefined, undefined]);
    await h.clock.advance(14 * 3600_000 + 60_000, h.idle);
    expect(h.started.map((r) => r.kind)).toEqual(['full']);
    h.scheduler.stop();
  });

  it('leaves a slot another agent holds to that agent, and does not count slots other agents ran as missed', async () => {
    const stateFile = join(dir, 'state.json');
    const targets = [pg('orders', { cron: '0 2 * * *', runMissed: true })];
    const first = harness(targets, { now: '2026-11-20T01:00:00Z', stateFile });
    await first.scheduler.start();
    await first.clock.advance(3600_000 * 2, first.idle);
    first.started[0]!.finish();
    await first.idle();
    first.scheduler.stop();

    // Another agent ran the 21st to the 24th; the 25th ran nowhere. Now it is the 25th, noon.
    const ranByOther = new Set(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    const held = new Set<string>();
    const locks: SlotLocks = {
      ranElsewhere: async (_t, slot) => ranByOther.has(iso(slot).slice(0, 10)),
      acquire: async (_t, slot) => (held.has(iso(slot)) ? { won: false, path: 'x', holder: { owner: 'agent b', host: 'db-backup-2', pid: 42, nonce: 'n', acquiredAt: iso(slot), expiresAt: iso(slot + 60_000), state: 'running' } } : undefined),
    };
    const second = harness(targets, { now: '2026-11-25T12:00:00Z', stateFile, locks });
    await second.scheduler.start();
    await second.idle();
    expect(second.scheduler.views()[0]!.missed).toEqual({ count: 1, first: '2026-11-25T02:00:00.000Z', last: '2026-11-25T02:00:00.000Z', ranAtStart: true });
    expect(second.started.map((s) => s.slot)).toEqual(['2026-11-25T02:00:00.000Z']);
    second.started[0]!.finish();
    await second.idle();

    // The next slot is held by the other agent: this one records who runs it and starts nothing.
    held.add('2026-11-26T02:00:00.000Z');
    await second.clock.advance(24 * 3600_000, second.idle);
    expect(second.started).toHaveLength(1);
    expect(second.scheduler.views()[0]!.lastRun).toMatchObject({ slot: '2026-11-26T02:00:00.000Z', outcome: 'skipped-locked', detail: 'run by agent b on db-backup-2 (pid 42)' });
    second.scheduler.stop();
  });

  it('shows the last run and the next one to a core that only reads (a CLI command), without running anything', async () => {
    const stateFile = join(dir, 'state.json');
    const targets = [pg('orders', { cron: '0 2 * * *' })];
    const agent = harness(targets, { now: '2026-11-25T01:00:00Z', stateFile });
    await agent.scheduler.start();
    await agent.clock.advance(3600_000, agent.idle);
    agent.started[0]!.finish();
    await agent.idle();
    agent.scheduler.stop();

    const cli = harness(targets, { now: '2026-11-27T10:00:00Z', stateFile });
    await cli.scheduler.load();
    expect(cli.scheduler.views()[0]).toMatchObject({ nextRun: '2026-11-28T02:00:00.000Z', lastRun: { slot: '2026-11-25T02:00:00.000Z', outcome: 'succeeded' } });
    await cli.clock.advance(2 * 86_400_000, cli.idle);
    expect(cli.started).toEqual([]);
  });
});
