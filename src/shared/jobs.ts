// A job as every door sees it: long work with progress, cancel and a revision that orders updates.

export const JOB_STATES = ['queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export interface JobProgress {
  phase: string;
  done?: number;
  total?: number;
  unit?: 'bytes' | 'files' | 'percent' | 'steps';
  /** Units per second, when known. */
  rate?: number;
}

export interface Job {
  id: string;
  kind: string;
  serviceId?: string;
  title: string;
  state: JobState;
  progress: JobProgress;
  /** Bumped on every change; a client keeps the highest revision it has seen per job. */
  revision: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: { code: string; message: string; hint: string };
  /** Small JSON result a job produced (e.g. a backup id). */
  result?: unknown;
}
