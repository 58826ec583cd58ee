// Runs long work as jobs: queue with a concurrency limit, progress (throttled), cancel through AbortSignal,
// and an append-only journal so a job that was running when Lifeboat died is marked interrupted at start-up
// and its partial output removed. The journal is compacted (journalRetention) when it passes a size, so a
// year of schedules keeps it small.
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FINAL_JOB_STATES, type Job, type JobProgress, type JobState } from '../../shared/jobs';
import { LifeboatError, toWireError } from '../lifeboatError';
import { compactJsonLines, parseJsonLines } from '../storage/compactJsonLines';
import { JOURNAL_RETENTION, selectJournalEntries, type JournalEntry, type JournalRetention } from './journalRetention';

export interface JobContext {
  /** The job's own id, for records that name the job that wrote them. */
  jobId: string;
  signal: AbortSignal;
  progress(progress: JobProgress): void;
  /**
   * What this job is writing, removed if the job fails, is cancelled, or is found interrupted at start-up: an
   * absolute local path, or a claim on a repository's store (storedOutputClaim.ts) that removeStoredOutput
   * removes.
   */
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

export interface JobRunnerOptions {
  /** The journal is compacted once it grows past this many bytes (default 8 MiB), and again at twice the
   * size it compacted to when that is larger. */
  compactAboveBytes?: number;
  retention?: JournalRetention;
  now?: () => number;
  /** Removes a partial output that is not a local path (a backup folder in an object store). */
  removeStoredOutput?: (claim: string) => Promise<void>;
}

const PROGRESS_INTERVAL_MS = 200;
const COMPACT_ABOVE_BYTES = 8 * 1024 * 1024;

export class JobRunner {
  private jobs = new Map<string, Job>();
  private partial = new Map<string, string[]>();
  private controllers = new Map<string, AbortController>();
  private done = new Map<string, Promise<Job>>();
  private queue: Array<() => void> = [];
  private running = 0;
  private lastProgressAt = new Map<string, number>();
  /** Journal appends and compactions, one at a time: a compaction never drops an append made meanwhile. */
  private writes: Promise<unknown> = Promise.resolve();
  private journalBytes = 0;
  private compactAt: number;
  private compacting = false;
  /** Off until the first compact(): one-shot cores never rewrite the journal, and a long-lived one has
   * registered what it references by then. */
  private autoCompact = false;
  private referenced: () => Iterable<string> = () => [];

  constructor(
    private readonly journalPath: string,
    private readonly emit: (job: Job) => void,
    private readonly concurrency = 2,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.compactAt = options.compactAboveBytes ?? COMPACT_ABOVE_BYTES;
  }

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
    this.journalBytes = Buffer.byteLength(text);
    for (const entry of parseJsonLines<JournalEntry>(text)) {
      this.jobs.set(entry.job.id, entry.job);
      if (entry.partialOutput) this.partial.set(entry.job.id, entry.partialOutput);
      else this.partial.delete(entry.job.id);
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

  /** Jobs other parts still point at (a schedule's last run, a notification): compaction keeps them. */
  keepJobsReferencedBy(referenced: () => Iterable<string>): void {
    this.referenced = referenced;
  }

  /**
   * Rewrites the journal with one entry per job worth keeping (see journalRetention) and forgets the
   * finished jobs it dropped. Long-lived doors call it at start; from then on it also runs by itself
   * whenever the journal passes its size.
   */
  compact(): Promise<void> {
    const run = async () => {
      const now = this.options.now?.() ?? Date.now();
      const referenced = new Set(this.referenced());
      let keptIds: Set<string> | undefined;
      const result = await compactJsonLines<JournalEntry>(this.journalPath, (entries) => {
        const kept = selectJournalEntries(entries, now, referenced, this.options.retention ?? JOURNAL_RETENTION);
        keptIds = new Set(kept.map((e) => e.job.id));
        return kept;
      });
      this.autoCompact = true;
      if (!result || !keptIds) return;
      this.journalBytes = result.bytes;
      this.compactAt = Math.max(this.options.compactAboveBytes ?? COMPACT_ABOVE_BYTES, 2 * result.bytes);
      for (const [id, job] of this.jobs) {
        if (keptIds.has(id) || !FINAL_JOB_STATES.includes(job.state)) continue;
        this.jobs.delete(id);
        this.done.delete(id);
        this.lastProgressAt.delete(id);
      }
    };
    const compaction = this.writes.then(run);
    this.writes = compaction.catch(() => undefined);
    return compaction;
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
        jobId: id,
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
    // Progress is throttled; state changes never are, nor a new phase (a short "printing" is still seen).
    const now = Date.now();
    const last = this.lastProgressAt.get(id) ?? 0;
    const updated = { ...job, progress, revision: job.revision + 1 };
    this.jobs.set(id, updated);
    if (now - last >= PROGRESS_INTERVAL_MS || progress.phase !== job.progress.phase) {
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
    for (const claim of this.partial.get(id) ?? []) {
      if (isAbsolute(claim)) await rm(claim, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined);
      // An unreachable store is cleaned by the next start (its incomplete uploads by cleanIncomplete).
      else await this.options.removeStoredOutput?.(claim).catch(() => undefined);
    }
    this.partial.delete(id);
  }

  private async journal(job: Job): Promise<void> {
    const entry: JournalEntry = { job, partialOutput: this.partial.get(job.id) };
    const line = JSON.stringify(entry) + '\n';
    const append = this.writes.then(async () => {
      await mkdir(dirname(this.journalPath), { recursive: true });
      await appendFile(this.journalPath, line, { mode: 0o600 });
      this.journalBytes += Buffer.byteLength(line);
    });
    this.writes = append.catch(() => undefined);
    await append;
    if (this.autoCompact && this.journalBytes > this.compactAt && !this.compacting) {
      this.compacting = true;
      // A failed or skipped compaction leaves the journal as it was: appends carry on, and the next try
      // waits until it has grown by as much again.
      const base = this.options.compactAboveBytes ?? COMPACT_ABOVE_BYTES;
      void this.compact()
        .catch(() => undefined)
        .finally(() => {
          this.compacting = false;
          if (this.journalBytes > this.compactAt) this.compactAt = this.journalBytes + base;
        });
    }
  }
}
