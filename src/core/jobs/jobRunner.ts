// Runs long work as jobs: queue with a concurrency limit, progress (throttled), cancel through AbortSignal,
// and an append-only journal so a job that was running when Lifeboat died is marked interrupted at start-up
// and its partial output removed.
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FINAL_JOB_STATES, type Job, type JobProgress, type JobState } from '../../shared/jobs';
import { LifeboatError, toWireError } from '../lifeboatError';

export interface JobContext {
  signal: AbortSignal;
  progress(progress: JobProgress): void;
  /** Paths this job is writing; removed if the job fails, is cancelled, or is found interrupted at start-up. */
  claimPartialOutput(path: string): Promise<void>;
}

export interface JobSpec<R> {
  kind: string;
  title: string;
  serviceId?: string;
  /** Runs until stopped (WAL streaming, lag sampling): starts at once and never holds one of the slots that
   * backups and restores queue for, or two streams would starve every backup. */
  background?: boolean;
  run(ctx: JobContext): Promise<R>;
}

interface JournalEntry {
  job: Job;
  partialOutput?: string[];
}

const PROGRESS_INTERVAL_MS = 200;

export class JobRunner {
  private jobs = new Map<string, Job>();
  private partial = new Map<string, string[]>();
  private controllers = new Map<string, AbortController>();
  private done = new Map<string, Promise<Job>>();
  private queue: Array<() => void> = [];
  private running = 0;
  private lastProgressAt = new Map<string, number>();

  constructor(
    private readonly journalPath: string,
    private readonly emit: (job: Job) => void,
    private readonly concurrency = 2,
  ) {}

  /** Replays the journal; jobs that never finished are marked failed (interrupted) and their output removed. */
  async init(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.journalPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    // A crash mid-append leaves a torn last line; end it so the next entry starts on a line of its own.
    if (text && !text.endsWith('\n')) await appendFile(this.journalPath, '\n');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as JournalEntry;
        this.jobs.set(entry.job.id, entry.job);
        if (entry.partialOutput) this.partial.set(entry.job.id, entry.partialOutput);
      } catch {
        // A torn last line from a crash mid-append: the entries before it are intact.
      }
    }
    for (const job of this.jobs.values()) {
      if (FINAL_JOB_STATES.includes(job.state)) continue;
      await this.removePartialOutput(job.id);
      await this.transition(job.id, 'failed', {
        finishedAt: new Date().toISOString(),
        error: { code: 'INTERNAL', message: 'Interrupted: Lifeboat stopped while this job was running.', hint: 'Its partial output was removed. Run it again.' },
      });
    }
  }

  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new LifeboatError('NOT_FOUND', `No job with id ${id}.`, 'List the jobs to see their ids.');
    return job;
  }

  start<R>(spec: JobSpec<R>): Job {
    const job: Job = {
      id: randomUUID(),
      kind: spec.kind,
      serviceId: spec.serviceId,
      title: spec.title,
      state: 'queued',
      progress: { phase: 'queued' },
      revision: 1,
      createdAt: new Date().toISOString(),
    };
    this.jobs.set(job.id, job);
    const controller = new AbortController();
    this.controllers.set(job.id, controller);
    void this.journal(job);
    this.emit(job);
    if (spec.background) {
      this.done.set(job.id, this.execute(job.id, spec, controller));
      return job;
    }
    this.done.set(job.id, new Promise<Job>((resolve) => this.queue.push(() => void this.execute(job.id, spec, controller, true).then(resolve))));
    this.pump();
    return job;
  }

  /** Resolves when the job reaches a final state. */
  wait(id: string): Promise<Job> {
    const pending = this.done.get(id);
    return pending ?? Promise.resolve(this.get(id));
  }

  async cancel(id: string): Promise<Job> {
    const job = this.get(id);
    if (FINAL_JOB_STATES.includes(job.state)) return job;
    this.controllers.get(id)?.abort(new LifeboatError('CANCELLED', 'Cancelled by the user.', 'Nothing was kept from this run.'));
    if (job.state === 'queued') return this.transition(id, 'cancelled', { finishedAt: new Date().toISOString() });
    return this.transition(id, 'cancelling', {});
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      this.running++;
      this.queue.shift()!();
    }
  }

  private async execute<R>(id: string, spec: JobSpec<R>, controller: AbortController, holdsSlot = false): Promise<Job> {
    try {
      if (controller.signal.aborted) return this.get(id);
      await this.transition(id, 'running', { startedAt: new Date().toISOString(), progress: { phase: 'starting' } });
      const ctx: JobContext = {
        signal: controller.signal,
        progress: (p) => this.reportProgress(id, p),
        claimPartialOutput: async (path) => {
          this.partial.set(id, [...(this.partial.get(id) ?? []), path]);
          await this.journal(this.get(id));
        },
      };
      const result = await spec.run(ctx);
      if (controller.signal.aborted) throw controller.signal.reason;
      this.partial.delete(id);
      return await this.transition(id, 'succeeded', { finishedAt: new Date().toISOString(), result: result ?? undefined });
    } catch (err) {
      await this.removePartialOutput(id);
      const cancelled = controller.signal.aborted;
      // A task that says how its cancel ended (e.g. what the server answered) is more useful than the
      // runner's own "Cancelled by the user."; any other error after a cancel is reported as the cancel.
      const ownCancel = err instanceof LifeboatError && err.code === 'CANCELLED';
      const error = cancelled && !ownCancel ? toWireError(controller.signal.reason) : toWireError(err);
      return await this.transition(id, cancelled ? 'cancelled' : 'failed', { finishedAt: new Date().toISOString(), error });
    } finally {
      this.controllers.delete(id);
      if (holdsSlot) {
        this.running--;
        this.pump();
      }
    }
  }

  private reportProgress(id: string, progress: JobProgress): void {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running') return;
    // Progress is throttled; state changes never are.
    const now = Date.now();
    const last = this.lastProgressAt.get(id) ?? 0;
    const updated = { ...job, progress, revision: job.revision + 1 };
    this.jobs.set(id, updated);
    if (now - last >= PROGRESS_INTERVAL_MS) {
      this.lastProgressAt.set(id, now);
      this.emit(updated);
    }
  }

  private async transition(id: string, state: JobState, patch: Partial<Job>): Promise<Job> {
    const job = this.get(id);
    const updated: Job = { ...job, ...patch, state, revision: job.revision + 1 };
    this.jobs.set(id, updated);
    await this.journal(updated);
    this.emit(updated);
    return updated;
  }

  /** Best effort, with retries: a clean-up failure must never keep a job from reaching its final state. */
  private async removePartialOutput(id: string): Promise<void> {
    for (const path of this.partial.get(id) ?? []) await rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined);
    this.partial.delete(id);
  }

  private async journal(job: Job): Promise<void> {
    await mkdir(dirname(this.journalPath), { recursive: true });
    const entry: JournalEntry = { job, partialOutput: this.partial.get(job.id) };
    await appendFile(this.journalPath, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }
}
