// Decisions behind the backups table: order, verification state, which backups are being verified right now,
// and which job endings change the list.
import type { BackupView } from '../../../../shared/backups';
import type { Job } from '../../../../shared/jobs';
import { FINAL_JOB_STATES } from '../../../../shared/jobs';

export function backupsNewestFirst(backups: readonly BackupView[]): BackupView[] {
  return [...backups].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt) || b.id.localeCompare(a.id));
}

export type VerificationState =
  | { state: 'verified'; at: string; detail: string }
  | { state: 'failed'; at: string; detail: string }
  | { state: 'never' };

export function verificationState(backup: Pick<BackupView, 'lastVerification'>): VerificationState {
  const last = backup.lastVerification;
  if (!last) return { state: 'never' };
  return { state: last.ok ? 'verified' : 'failed', at: last.at, detail: last.detail };
}

function isActive(job: Job): boolean {
  return !FINAL_JOB_STATES.includes(job.state);
}

/**
 * Backups with a verify job still queued or running: the jobs this window started (backup id -> job id), and
 * any other verify job whose title names the backup (one started from the CLI, or before a reload).
 */
export function verifyingBackupIds(jobs: Record<string, Job>, startedHere: Record<string, string>, backupIds: readonly string[]): Set<string> {
  const verifying = new Set<string>();
  for (const [backupId, jobId] of Object.entries(startedHere)) {
    const job = jobs[jobId];
    if (job && isActive(job)) verifying.add(backupId);
  }
  const known = new Set(backupIds);
  for (const job of Object.values(jobs)) {
    if (job.kind !== 'verify' || !isActive(job)) continue;
    const named = job.title.replace(/^Verify /, '');
    if (known.has(named)) verifying.add(named);
  }
  return verifying;
}

/** A backup or verification of this service ended: the list (sizes, verified dates) has changed. */
export function changesBackupList(job: Job, serviceId: string): boolean {
  if (job.serviceId !== serviceId) return false;
  if (job.state !== 'succeeded' && job.state !== 'failed') return false;
  return job.kind === 'verify' || job.kind.startsWith('backup.');
}
