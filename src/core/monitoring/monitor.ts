// The monitoring runtime of one core: the scheduler, the notifier, the RPO watch and (in an agent) the
// heartbeat and shared job journal in the repository. Long-lived doors start it; one-shot CLI commands only
// read from it.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { backupEngineOf } from '../../shared/domain';
import { FINAL_JOB_STATES, type Job } from '../../shared/jobs';
import type { AgentJob, AgentView, DashboardView, FleetOverviewView, ServiceCompliance } from '../../shared/monitoring';
import type { CoreDeps } from '../coreDeps';
import type { LogEntry } from '../logging/activityLog';
import { systemClock, type Clock } from './clock';
import { AgentJournal, HEARTBEAT_MS, readAgents } from './agentJournal';
import { backupCompliance, jobRates, judgeService, recentFailures, storageSeries } from './compliance';
import { fact } from '../fleet/fact';
import { fanOut } from '../fleet/fanOut';
import { gatherFleetFacts, type FleetFacts } from '../fleet/fleetFacts';
import { fleetViewLimits } from '../fleet/fleetViewLimits';
import { Notifier } from './notifier';
import { acquireRunLock, lockExists, lockName, locksFolder, pruneLocks } from './runLock';
import { scheduledJobLauncher } from './scheduledJobLauncher';
import { Scheduler, type ScheduleTarget, type SlotLocks } from './scheduler';
import { ScheduleState } from './scheduleState';

export interface MonitorOptions {
  clock?: Clock;
  /** Identifies this process in locks and, for an agent, its folder in the repository. */
  agentName?: string;
  /** Webhook retries (tests shorten them). */
  webhookRetry?: { attempts?: number; baseDelayMs?: number };
  /** How often the RPO watch looks (default 5 min). */
  rpoCheckMs?: number;
  /** Also receives the scheduler's log lines (the agent prints them to stdout). */
  onLog?: (entry: LogEntry) => void;
}

const LOCK_TTL_MS = 15 * 60_000;
const LOCK_KEEP_MS = 90 * 86_400_000;

export class Monitor {
  readonly clock: Clock;
  readonly notifier: Notifier;
  readonly scheduler: Scheduler;
  private journal: AgentJournal | undefined;
  private stops: Array<() => void> = [];
  private rpoLevels = new Map<string, string>();
  private inflight = new Set<Promise<unknown>>();
  private started = false;

  constructor(
    private readonly deps: CoreDeps,
    private readonly handlers: () => Handlers,
    private readonly o: MonitorOptions = {},
  ) {
    this.clock = o.clock ?? systemClock;
    this.notifier = new Notifier({
      events: deps.events,
      fleet: deps.fleet,
      secrets: deps.secrets,
      log: deps.log,
      clock: this.clock,
      path: join(deps.dataDir, 'state', 'notifications.jsonl'),
      delivery: o.webhookRetry,
    });
    const owner = o.agentName ? `agent ${o.agentName}` : `lifeboat@${hostname()}`;
    this.scheduler = new Scheduler({
      clock: this.clock,
      state: new ScheduleState(join(deps.dataDir, 'state', 'schedules.json')),
      launcher: scheduledJobLauncher(handlers, deps.jobs),
      locks: this.slotLocks(owner),
      targets: () => deps.fleet.list().flatMap((s) => (s.policy.schedules ?? []).map((schedule): ScheduleTarget => ({ serviceId: s.id, engine: s.engine, backupEngine: backupEngineOf(s), schedule }))),
      concurrency: () => deps.fleet.scheduling.concurrency ?? 2,
      log: (entry) => {
        void deps.log.write(entry);
        o.onLog?.(entry);
      },
      lockTtlMs: LOCK_TTL_MS,
    });
  }

  async load(): Promise<void> {
    await this.notifier.load();
    await this.scheduler.load();
  }

  /** Schedules, notifications and the RPO watch (and the agent's journal) until stop(). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stops.push(this.notifier.watch());
    this.stops.push(
      this.deps.events.subscribe((name, payload) => {
        if (name === 'services.changed') {
          this.scheduler.reload();
          // A service whose edit (in the app, or in the fleet file) added replication thresholds is sampled now.
          void this.watchReplication((payload as { ids: string[] }).ids);
        }
        if (name === 'job.changed' && this.journal && FINAL_JOB_STATES.includes((payload as Job).state)) void this.journal.record(payload as Job);
      }),
    );
    if (this.o.agentName && this.deps.fleet.repository) {
      const store = await this.deps.access.storeAt(this.deps.fleet.repository);
      this.journal = new AgentJournal(store, this.o.agentName, new Date(this.clock.now()).toISOString());
      this.every(HEARTBEAT_MS, () => this.journal!.heartbeat(this.clock.now()), true);
      this.every(86_400_000, () => pruneLocks(locksFolder(store), LOCK_KEEP_MS, this.clock.now()), false);
    }
    await this.scheduler.start();
    this.every(this.o.rpoCheckMs ?? 5 * 60_000, () => this.checkRpo(), true);
    await this.watchReplication();
  }

  /** Lag and archiver notifications need samples: services whose policy sets replication thresholds are
   * sampled for as long as the long-lived door runs, not only while their page is open. `ids`: only these. */
  private async watchReplication(ids?: string[]): Promise<void> {
    for (const service of this.deps.fleet.list()) {
      if (service.engine !== 'postgres' || !service.policy.replication || (ids && !ids.includes(service.id))) continue;
      await this.handlers()['replication.startSampling']({ serviceId: service.id }).catch((err: Error) => {
        const entry = { level: 'warn' as const, event: 'replication.sampling.failed', serviceId: service.id, detail: err.message };
        void this.deps.log.write(entry);
        this.o.onLog?.(entry);
      });
    }
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    for (const stop of this.stops.splice(0)) stop();
    this.started = false;
    await this.scheduler.whenIdle();
    await Promise.allSettled([...this.inflight]);
    await this.notifier.whenIdle();
    await this.journal?.flush();
  }

  /** Resolves when nothing the monitor started is in flight (tests settle a manual clock with it). */
  async whenIdle(): Promise<void> {
    do {
      await this.scheduler.whenIdle();
      await Promise.allSettled([...this.inflight]);
      await this.notifier.whenIdle();
    } while (this.inflight.size);
  }

  /** Runs fn now (when `now`) and then every ms on the monitor's clock (counted from its end), until stop(). */
  private every(ms: number, fn: () => Promise<unknown>, now: boolean): void {
    let stopped = false;
    let handle: unknown;
    const run = () => {
      const p = fn().catch(() => undefined);
      this.inflight.add(p);
      void p.finally(() => {
        this.inflight.delete(p);
        loop();
      });
    };
    const loop = () => {
      if (stopped) return;
      handle = this.clock.setTimer(() => {
        if (!stopped) run();
      }, ms);
    };
    if (now) run();
    else loop();
    this.stops.push(() => {
      stopped = true;
      this.clock.clearTimer(handle);
    });
  }

  /** Notifies once when a service's newest recoverable point becomes older than its RPO (again after it
   * recovered). Judged by the same rule as the dashboard (backupCompliance), from the repository only. */
  async checkRpo(): Promise<void> {
    const now = this.clock.now();
    const h = this.handlers();
    const watched = this.deps.fleet.list().filter((s) => s.policy.rpo);
    const verdicts = await fanOut(
      watched,
      fleetViewLimits(this.deps.env, this.deps.fleet.fleetViews),
      async (service) => {
        const [backups, window] = await Promise.all([
          fact(() => (service.engine === 'postgres' ? h['backups.list']({ serviceId: service.id }) : Promise.resolve([]))),
          fact(async () => (service.engine === 'postgres' ? (await h['window.get']({ serviceId: service.id })).intervals : (await h['sqlserver.window']({ serviceId: service.id })).window.intervals)),
        ]);
        if (!backups.known && !window.known) return undefined;
        // A backup whose last verification failed is not a good one; unverified ones count (newest first).
        const good = backups.known ? [...backups.value].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)).find((b) => b.lastVerification?.ok !== false) : undefined;
        const windowEnd = window.known ? window.value.map((i) => i.to).sort().at(-1) : undefined;
        return backupCompliance(good?.finishedAt, service.policy.rpo, now, windowEnd);
      },
      () => undefined,
    );
    for (const [i, service] of watched.entries()) {
      const verdict = verdicts[i];
      if (!verdict) continue;
      const previous = this.rpoLevels.get(service.id);
      this.rpoLevels.set(service.id, verdict.level);
      if (verdict.level === 'breach' && previous !== 'breach')
        await this.notifier.notify({ kind: 'rpo-breach', severity: 'critical', serviceId: service.id, title: `RPO breached for ${service.id}`, message: verdict.text, hint: 'Run a backup now and check why the scheduled ones did not succeed (recent failures on the dashboard).' });
    }
  }

  async agents(): Promise<{ agents: AgentView[]; jobs: AgentJob[] }> {
    const roots = new Set(this.deps.fleet.list().map((s) => this.deps.fleet.repositoryFor(s)).concat(this.deps.fleet.repository).filter((p): p is string => !!p));
    const out: { agents: AgentView[]; jobs: AgentJob[] } = { agents: [], jobs: [] };
    for (const root of roots) {
      const found = await readAgents(await this.deps.access.storeAt(root), this.clock.now());
      out.agents.push(...found.agents);
      out.jobs.push(...found.jobs);
    }
    return out;
  }

  /** Every service's facts, read once, and its verdict by the one compliance rule. */
  private async judgedFleet(): Promise<{ facts: FleetFacts; services: ServiceCompliance[] }> {
    const h = this.handlers();
    const [facts, views] = await Promise.all([gatherFleetFacts(h, this.deps, this.deps.lastKnown), h['services.list']({})]);
    const now = this.clock.now();
    const versions = new Map(views.map((v) => [v.service.id, v.lastTest?.report?.serverVersion]));
    const nextRuns = this.scheduler.nextRuns();
    const schedules = this.scheduler.views();
    const services = facts.services.map((f) =>
      judgeService(f, {
        now,
        version: versions.get(f.service.id),
        nextRun: nextRuns.get(f.service.id),
        missedRuns: schedules.filter((v) => v.serviceId === f.service.id).reduce((n, v) => n + (v.missed?.count ?? 0), 0),
      }),
    );
    return { facts, services };
  }

  async fleet(): Promise<FleetOverviewView> {
    const { facts, services } = await this.judgedFleet();
    return { generatedAt: facts.generatedAt, timeLimitMs: facts.timeLimitMs, services };
  }

  async dashboard(): Promise<DashboardView> {
    const now = this.clock.now();
    const [{ facts, services }, agents] = await Promise.all([this.judgedFleet(), this.agents()]);
    // The agent's jobs and this computer's, once each (an agent's own core is both).
    const local = this.deps.jobs.list();
    const ids = new Set(local.map((j) => j.id));
    const jobs = [...local, ...agents.jobs.filter((j) => !ids.has(j.id))];
    const { rates, daily } = jobRates(jobs, now);
    return {
      generatedAt: new Date(now).toISOString(),
      services,
      rates,
      daily,
      storage: facts.services.map((f) => storageSeries(f.service.id, f.backups.known ? f.backups.value : [], now, f.walFiles.known ? f.walFiles.value : [])),
      failures: recentFailures(jobs),
      notifications: this.notifier.list(10),
      agents: agents.agents,
      agentJobs: agents.jobs.slice(0, 20),
    };
  }

  private slotLocks(owner: string): SlotLocks {
    const folderFor = async (target: ScheduleTarget) => {
      const service = this.deps.fleet.get(target.serviceId);
      const location = service && this.deps.fleet.repositoryFor(service);
      return location ? locksFolder(await this.deps.access.storeAt(location)) : undefined;
    };
    return {
      acquire: async (target, slot) => {
        const folder = await folderFor(target);
        if (!folder) return undefined;
        return acquireRunLock(folder, lockName(target.serviceId, target.schedule.kind, slot), { owner, now: () => this.clock.now(), ttlMs: LOCK_TTL_MS });
      },
      ranElsewhere: async (target, slot) => {
        const folder = await folderFor(target);
        return folder ? lockExists(folder, lockName(target.serviceId, target.schedule.kind, slot)).catch(() => false) : false;
      },
    };
  }
}
