// Runs the fleet's schedules: each policy schedule (cron + time zone) starts its job when due; never two runs
// of one job kind on one service at once; at most `concurrency` scheduled jobs across the fleet (the rest
// wait their turn); runs missed while Lifeboat was closed are counted at start and, when the schedule says
// runMissed, run once. Time comes from an injected clock, so tests move time instead of sleeping.
import type { EngineKind, Schedule, ScheduleKind, BackupEngine } from '../../shared/domain';
import type { ScheduleOutcome, ScheduleView } from '../../shared/monitoring';
import type { LogEntry } from '../logging/activityLog';
import { toWireError } from '../lifeboatError';
import type { Clock } from './clock';
import { CronSchedule } from './cronSchedule';
import { describeSchedule } from './describeSchedule';
import type { HeldLock, LockAttempt } from './runLock';
import type { ScheduleState } from './scheduleState';

export interface ScheduleTarget {
  serviceId: string;
  engine: EngineKind;
  /** Who takes a PostgreSQL service's backups: pgBackRest services also take full and diff backups. */
  backupEngine?: BackupEngine;
  schedule: Schedule;
}

export type JobOutcome = { outcome: 'succeeded' | 'failed' | 'cancelled'; detail?: string };

export interface LaunchedJob {
  jobId?: string;
  done: Promise<JobOutcome>;
}

/** Starts the job a schedule names (a backup, a verify, a drill...). */
export type Launcher = (target: ScheduleTarget, slot: number) => Promise<LaunchedJob>;

/** The cross-process guard: undefined when the service has no shared repository to lock in. */
export interface SlotLocks {
  acquire(target: ScheduleTarget, slot: number): Promise<LockAttempt | undefined>;
  /** True when another process already ran (or is running) this slot: it was not missed. */
  ranElsewhere(target: ScheduleTarget, slot: number): Promise<boolean>;
}

export interface SchedulerOptions {
  clock: Clock;
  state: ScheduleState;
  launcher: Launcher;
  locks?: SlotLocks;
  targets: () => ScheduleTarget[];
  concurrency: () => number;
  log?: (entry: LogEntry) => void;
  lockTtlMs?: number;
}

const ENGINE_KINDS: Record<EngineKind, readonly ScheduleKind[]> = {
  postgres: ['physical', 'logical', 'verify', 'drill', 'retention'],
  sqlserver: ['full', 'diff', 'log', 'verify', 'drill'],
};

export function scheduleKey(serviceId: string, s: Schedule): string {
  return `${serviceId}|${s.kind}|${s.cron.trim()}|${s.timeZone}`;
}

interface Entry {
  key: string;
  target: ScheduleTarget;
  cron?: CronSchedule;
  next?: number;
  error?: string;
}

interface Due {
  entry: Entry;
  slot: number;
}

/** Checked at least this often, so a changed wall clock is noticed. */
const MAX_WAIT_MS = 60 * 60 * 1000;

export class Scheduler {
  private entries = new Map<string, Entry>();
  private queue: Due[] = [];
  /** service|kind pairs queued or running: the overlap guard. */
  private busy = new Set<string>();
  private running = 0;
  private timer: unknown;
  private stopped = true;
  private inflight = new Set<Promise<unknown>>();

  constructor(private readonly o: SchedulerOptions) {}

  /** Reads the last runs and missed runs, for a core that only shows them (a CLI command on the agent's data). */
  async load(): Promise<void> {
    await this.o.state.load();
  }

  async start(): Promise<void> {
    await this.o.state.load();
    this.stopped = false;
    this.rebuild();
    const now = this.o.clock.now();
    for (const entry of this.entries.values()) {
      if (!entry.cron) continue;
      const record = this.o.state.get(entry.key);
      if (!record) {
        await this.o.state.update(entry.key, () => ({ firstSeen: new Date(now).toISOString() }));
        continue;
      }
      await this.detectMissed(entry, record.lastRun?.slot ?? record.firstSeen, now);
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  /** The fleet file changed: schedules added or removed take effect now. */
  reload(): void {
    if (this.stopped) return;
    this.rebuild();
    const now = this.o.clock.now();
    for (const entry of this.entries.values())
      if (entry.cron && !this.o.state.get(entry.key)) this.track(this.o.state.update(entry.key, () => ({ firstSeen: new Date(now).toISOString() })));
    this.arm();
  }

  /** Resolves once every dispatch in flight (lock, launch, state write) has settled; jobs may still run. */
  async whenIdle(): Promise<void> {
    // One turn of the event loop first, so a job that just ended has reached its (tracked) bookkeeping.
    do {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([...this.inflight]);
    } while (this.inflight.size);
  }

  views(): ScheduleView[] {
    // A core that does not run schedules (a CLI command) still shows them, with their next run from now.
    if (this.stopped) this.rebuild();
    return [...this.entries.values()].map((e) => {
      const record = this.o.state.get(e.key);
      const s = e.target.schedule;
      return {
        key: e.key,
        serviceId: e.target.serviceId,
        kind: s.kind,
        cron: s.cron,
        timeZone: s.timeZone,
        description: describeSchedule(s.cron, s.timeZone),
        runMissed: s.runMissed ?? false,
        nextRun: e.next !== undefined ? new Date(e.next).toISOString() : undefined,
        lastRun: record?.lastRun,
        missed: record?.missed && { count: record.missed.count, first: record.missed.first, last: record.missed.last, ranAtStart: record.missed.ranAtStart },
        error: e.error,
      };
    });
  }

  private rebuild(): void {
    const now = this.o.clock.now();
    const fresh = new Map<string, Entry>();
    for (const target of this.o.targets()) {
      const key = scheduleKey(target.serviceId, target.schedule);
      const existing = this.entries.get(key);
      if (existing) {
        // Not running: nothing advances `next`, so it is recomputed from now for display.
        const next = this.stopped && existing.cron ? existing.cron.nextAfter(now) : existing.next;
        fresh.set(key, { ...existing, target, next });
        continue;
      }
      const entry: Entry = { key, target };
      const kinds = [...ENGINE_KINDS[target.engine], ...(target.backupEngine === 'pgbackrest' ? (['full', 'diff'] as const) : [])];
      if (!kinds.includes(target.schedule.kind)) {
        entry.error = `A ${target.engine === 'postgres' ? 'PostgreSQL' : 'SQL Server'} service has no "${target.schedule.kind}" job; use one of ${kinds.join(', ')}.`;
      } else {
        try {
          entry.cron = new CronSchedule(target.schedule.cron, target.schedule.timeZone);
          entry.next = entry.cron.nextAfter(now);
        } catch (err) {
          entry.error = `cron "${target.schedule.cron}": ${(err as Error).message}`;
        }
      }
      fresh.set(key, entry);
    }
    this.entries = fresh;
  }

  private async detectMissed(entry: Entry, since: string, now: number): Promise<void> {
    const slots = entry.cron!.runsBetween(Date.parse(since), now);
    const missed: number[] = [];
    for (const slot of slots) if (!(await this.o.locks?.ranElsewhere(entry.target, slot).catch(() => false))) missed.push(slot);
    if (!missed.length) return;
    const runMissed = entry.target.schedule.runMissed ?? false;
    const first = new Date(missed[0]!).toISOString();
    const last = new Date(missed.at(-1)!).toISOString();
    await this.o.state.update(entry.key, (r) => ({
      ...r!,
      missed: { count: missed.length, first, last, ranAtStart: runMissed, detectedAt: new Date(now).toISOString() },
    }));
    this.o.log?.({ level: 'warn', event: 'schedule.missed', serviceId: entry.target.serviceId, detail: `${entry.target.schedule.kind}: ${missed.length} run(s) missed between ${first} and ${last}${runMissed ? '; running once now' : ''}` });
    // Once, for the latest missed slot: a week of missed nightly backups is one backup, not seven.
    if (runMissed) this.enqueue(entry, missed.at(-1)!);
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
    const nexts = [...this.entries.values()].map((e) => e.next).filter((n): n is number => n !== undefined);
    if (!nexts.length) return;
    const wait = Math.min(Math.max(Math.min(...nexts) - this.o.clock.now(), 0), MAX_WAIT_MS);
    this.timer = this.o.clock.setTimer(() => this.tick(), wait);
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.o.clock.now();
    for (const entry of this.entries.values()) {
      if (entry.next === undefined || entry.next > now) continue;
      this.enqueue(entry, entry.next);
      // A slot passed while the computer slept is run once (above), the ones in between are not replayed.
      entry.next = entry.cron!.nextAfter(Math.max(now, entry.next));
    }
    this.arm();
  }

  private enqueue(entry: Entry, slot: number): void {
    const pair = `${entry.target.serviceId}|${entry.target.schedule.kind}`;
    if (this.busy.has(pair)) {
      this.record(entry, slot, 'skipped-overlap', 'the previous run of this job on this service is still queued or running');
      return;
    }
    this.busy.add(pair);
    this.queue.push({ entry, slot });
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < Math.max(1, this.o.concurrency()) && this.queue.length) {
      const due = this.queue.shift()!;
      this.running++;
      this.track(this.run(due));
    }
  }

  /** Lock and launch (tracked by whenIdle); the wait for the job's end runs on without holding whenIdle. */
  private async run({ entry, slot }: Due): Promise<void> {
    const { target } = entry;
    const release = () => {
      this.busy.delete(`${target.serviceId}|${target.schedule.kind}`);
      this.running--;
      this.pump();
    };
    try {
      const lock = await this.o.locks?.acquire(target, slot);
      if (lock && !lock.won) {
        const h = lock.holder;
        await this.record(entry, slot, 'skipped-locked', h ? `run by ${h.owner} on ${h.host} (pid ${h.pid})` : 'another process holds this run');
        release();
        return;
      }
      const launched = await this.o.launcher(target, slot);
      await this.record(entry, slot, 'started', undefined, launched.jobId);
      void this.complete(entry, slot, launched, lock?.won ? lock : undefined).finally(release);
    } catch (err) {
      await this.record(entry, slot, 'error', toWireError(err).message);
      release();
    }
  }

  private async complete(entry: Entry, slot: number, launched: LaunchedJob, lock: HeldLock | undefined): Promise<void> {
    let refresh: unknown;
    if (lock) {
      const ttl = this.o.lockTtlMs ?? 15 * 60_000;
      const keepAlive = () => {
        refresh = this.o.clock.setTimer(() => {
          void lock.refresh().catch(() => undefined);
          keepAlive();
        }, ttl / 3);
      };
      keepAlive();
    }
    let result: JobOutcome;
    try {
      result = await launched.done;
    } catch (err) {
      result = { outcome: 'failed', detail: toWireError(err).message };
    } finally {
      if (refresh !== undefined) this.o.clock.clearTimer(refresh);
    }
    // Tracked from here: whenIdle() waits for the lock record and the state write of a job that just ended.
    await this.track(
      (async () => {
        if (lock) await lock.finish(result.outcome).catch(() => undefined);
        await this.record(entry, slot, result.outcome, result.detail, launched.jobId);
      })(),
    );
  }

  private record(entry: Entry, slot: number, outcome: ScheduleOutcome, detail?: string, jobId?: string): Promise<void> {
    const { serviceId, schedule } = entry.target;
    const level = outcome === 'failed' || outcome === 'error' ? 'error' : outcome.startsWith('skipped') ? 'warn' : 'info';
    this.o.log?.({ level, event: `schedule.${outcome}`, serviceId, detail: `${schedule.kind} ${new Date(slot).toISOString()}${jobId ? ` job ${jobId}` : ''}${detail ? `: ${detail}` : ''}` });
    const startedAt = new Date(this.o.clock.now()).toISOString();
    const write = this.o.state.update(entry.key, (r) => ({
      firstSeen: r?.firstSeen ?? startedAt,
      ...r,
      lastRun: { slot: new Date(slot).toISOString(), startedAt: r?.lastRun?.slot === new Date(slot).toISOString() ? r.lastRun.startedAt : startedAt, jobId: jobId ?? r?.lastRun?.jobId, outcome, detail },
    }));
    return this.track(write);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** The next run per service (any kind), for the dashboard. */
  nextRuns(): Map<string, { at: string; kind: ScheduleKind }> {
    if (this.stopped) this.rebuild();
    const out = new Map<string, { at: string; kind: ScheduleKind }>();
    for (const e of this.entries.values()) {
      if (e.next === undefined) continue;
      const current = out.get(e.target.serviceId);
      if (!current || Date.parse(current.at) > e.next) out.set(e.target.serviceId, { at: new Date(e.next).toISOString(), kind: e.target.schedule.kind });
    }
    return out;
  }
}
