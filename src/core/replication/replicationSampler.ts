// The sampling job: reads a service's replication view at its policy's interval until cancelled, keeps each
// sample in the session's history, publishes it ('replication.sample') and raises threshold alerts
// ('replication.alert'). A failed read is a sample too (with its error): a gap in the chart means something.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../shared/jobs';
import type { LagThresholds, ReplicationSample, ReplicationView } from '../../shared/replication';
import type { EventHub } from '../eventHub';
import type { JobRunner } from '../jobs/jobRunner';
import type { ActivityLog } from '../logging/activityLog';
import { toWireError } from '../lifeboatError';
import { AlertTracker } from './alertTracker';
import type { LagHistory } from './lagHistory';
import { sampleOf } from './lagSample';

export interface SamplerDeps {
  jobs: JobRunner;
  events: EventHub;
  log: ActivityLog;
  history: LagHistory;
  read(serviceId: string): Promise<ReplicationView>;
  thresholds(serviceId: string): LagThresholds;
}

export class ReplicationSampler {
  private running = new Map<string, string>(); // serviceId -> job id
  private alerts = new AlertTracker();
  /** pg_stat_archiver's failed count at the last sample, per service: a rise while failing is news, once
   * until archiving works again (the archiver retries every minute; one alert per outage is enough). */
  private archiverFailures = new Map<string, number>();
  private archiverAlerted = new Set<string>();

  constructor(private readonly deps: SamplerDeps) {}

  jobOf(serviceId: string): Job | undefined {
    const id = this.running.get(serviceId);
    if (!id) return undefined;
    const job = this.deps.jobs.get(id);
    return job.state === 'queued' || job.state === 'running' ? job : undefined;
  }

  start(serviceId: string): Job {
    const current = this.jobOf(serviceId);
    if (current) return current;
    const job = this.deps.jobs.start({
      kind: 'replication.sample',
      background: true,
      title: `Replication lag sampling for ${serviceId}`,
      serviceId,
      run: (ctx) => this.loop(serviceId, ctx.signal, (n, s) => ctx.progress({ phase: `sampled ${n} time${n === 1 ? '' : 's'}: ${s.error ? 'unreachable' : s.health}`, done: n, unit: 'steps' })),
    });
    this.running.set(serviceId, job.id);
    return job;
  }

  async stop(serviceId: string): Promise<boolean> {
    const job = this.jobOf(serviceId);
    this.running.delete(serviceId);
    if (!job) return false;
    await this.deps.jobs.cancel(job.id);
    await this.deps.jobs.wait(job.id);
    return true;
  }

  /** One sample now, outside any job (e.g. for a test or the CLI). */
  async sampleOnce(serviceId: string): Promise<ReplicationSample> {
    let sample: ReplicationSample;
    try {
      const view = await this.deps.read(serviceId);
      sample = sampleOf(view);
      this.watchArchiver(serviceId, view);
    } catch (err) {
      sample = { serviceId, at: new Date().toISOString(), health: 'unknown', points: [], error: toWireError(err).message };
    }
    this.deps.history.push(sample);
    this.deps.events.publish('replication.sample', sample);
    for (const alert of this.alerts.update(sample, this.deps.thresholds(serviceId))) {
      this.deps.events.publish('replication.alert', alert);
      await this.deps.log.write({ level: alert.level === 'ok' ? 'info' : 'warn', event: 'replication.alert', serviceId, detail: alert.message });
    }
    return sample;
  }

  private watchArchiver(serviceId: string, view: ReplicationView): void {
    const archiver = view.engine === 'postgres' ? view.archiver : null;
    if (!archiver) return;
    const before = this.archiverFailures.get(serviceId);
    this.archiverFailures.set(serviceId, archiver.failedCount);
    // The first sample only sets the baseline: old failures that have since recovered are not news.
    if (!archiver.failing) this.archiverAlerted.delete(serviceId);
    else if (before !== undefined && archiver.failedCount > before && !this.archiverAlerted.has(serviceId)) {
      this.archiverAlerted.add(serviceId);
      this.deps.events.publish('replication.archiverFailing', { serviceId, at: new Date().toISOString(), failedCount: archiver.failedCount, lastFailedWal: archiver.lastFailedWal, lastFailedTime: archiver.lastFailedTime });
    }
  }

  private async loop(serviceId: string, signal: AbortSignal, progress: (n: number, s: ReplicationSample) => void): Promise<{ samples: number }> {
    let n = 0;
    while (!signal.aborted) {
      const started = Date.now();
      const sample = await this.sampleOnce(serviceId);
      progress(++n, sample);
      const wait = Math.max(0, this.deps.thresholds(serviceId).sampleIntervalMs - (Date.now() - started));
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
    return { samples: n };
  }
}
