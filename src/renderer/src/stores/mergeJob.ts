// Keeps the newest state of each job: an update older than what we hold (by revision) is ignored.
import type { Job } from '../../../shared/jobs';

export function mergeJob(jobs: Record<string, Job>, incoming: Job): Record<string, Job> {
  const held = jobs[incoming.id];
  if (held && held.revision >= incoming.revision) return jobs;
  return { ...jobs, [incoming.id]: incoming };
}

/** Newest first, so a fresh backup is at the top of the panel. */
export function jobsNewestFirst(jobs: Record<string, Job>): Job[] {
  return Object.values(jobs).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
