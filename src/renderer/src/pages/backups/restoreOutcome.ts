// Where a restore stands, read from its job: running, done, refused because the database exists (which the
// DBA may override by typing its name), or failed for another reason.
import type { WireError } from '../../../../shared/errors';
import type { Job } from '../../../../shared/jobs';

export type RestoreOutcome =
  | { status: 'idle' }
  | { status: 'running'; job: Job }
  | { status: 'succeeded'; job: Job }
  /** canReplace: typing the name may override it; false once a typed confirmation was refused again
   * (e.g. it is the database Lifeboat connects to, which it cannot drop). */
  | { status: 'conflict'; error: WireError; canReplace: boolean }
  | { status: 'failed'; error: WireError }
  | { status: 'cancelled' };

const UNKNOWN_FAILURE: WireError = { code: 'INTERNAL', message: 'The restore failed.', hint: 'Look at the job in the Jobs page for details.' };

export function restoreOutcome(job: Job | undefined, confirmedReplace: boolean): RestoreOutcome {
  if (!job) return { status: 'idle' };
  switch (job.state) {
    case 'queued':
    case 'running':
    case 'cancelling':
      return { status: 'running', job };
    case 'succeeded':
      return { status: 'succeeded', job };
    case 'cancelled':
      return { status: 'cancelled' };
    case 'failed': {
      const error = (job.error as WireError | undefined) ?? UNKNOWN_FAILURE;
      if (error.code === 'CONFLICT') return { status: 'conflict', error, canReplace: !confirmedReplace };
      return { status: 'failed', error };
    }
  }
}

/** The typed confirmation must be the name exactly: no trimming, no case folding. */
export function replaceConfirmed(typed: string, database: string): boolean {
  return database.length > 0 && typed === database;
}
