// Which job journal entries a compaction keeps: each job once (its newest entry), every unfinished job (its
// partial output must still be cleaned), every job something still points at (a schedule's last run, a
// notification), the jobs of the last 90 days (the jobs page, the dashboard's 7- and 30-day rates) and the
// failures of the last year (the fleet report's longest period). Pure, so a year of entries is a unit test.
import { FINAL_JOB_STATES, type Job } from '../../shared/jobs';

export interface JournalEntry {
  job: Job;
  partialOutput?: string[];
}

export interface JournalRetention {
  days: number;
  /** At most this many of them, the newest: a year of hourly jobs on a large fleet stays a few MB. */
  maxJobs: number;
  failedDays: number;
  maxFailed: number;
}

export const JOURNAL_RETENTION: JournalRetention = { days: 90, maxJobs: 10_000, failedDays: 366, maxFailed: 1_000 };

const DAY_MS = 86_400_000;

function endedAt(job: Job): number {
  return Date.parse(job.finishedAt ?? job.createdAt);
}

/** The newest entry of each job, by revision (the journal's order breaks ties). */
export function latestEntries(entries: readonly JournalEntry[]): JournalEntry[] {
  const latest = new Map<string, JournalEntry>();
  for (const e of entries) {
    const seen = latest.get(e.job.id);
    if (!seen || e.job.revision >= seen.job.revision) latest.set(e.job.id, e);
  }
  return [...latest.values()];
}

export function selectJournalEntries(entries: readonly JournalEntry[], now: number, referenced: ReadonlySet<string>, r: JournalRetention = JOURNAL_RETENTION): JournalEntry[] {
  const latest = latestEntries(entries);
  const keep = new Set<string>();
  const newestFirst = (a: JournalEntry, b: JournalEntry) => endedAt(b.job) - endedAt(a.job);
  const finished = latest.filter((e) => FINAL_JOB_STATES.includes(e.job.state)).sort(newestFirst);
  for (const e of latest) if (!FINAL_JOB_STATES.includes(e.job.state) || referenced.has(e.job.id)) keep.add(e.job.id);
  for (const e of finished.filter((e) => now - endedAt(e.job) <= r.days * DAY_MS).slice(0, r.maxJobs)) keep.add(e.job.id);
  for (const e of finished.filter((e) => e.job.state === 'failed' && now - endedAt(e.job) <= r.failedDays * DAY_MS).slice(0, r.maxFailed)) keep.add(e.job.id);
  return latest.filter((e) => keep.has(e.job.id)).sort((a, b) => a.job.createdAt.localeCompare(b.job.createdAt));
}
