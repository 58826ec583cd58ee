// Waits, on the core's own job events, until a job reports its first bytes: the moment a test cancels a
// backup mid-stream or kills the process streaming it (never a sleep).
import type { Job } from '../../src/shared/jobs';
import type { TestCore } from './testCore';

export function jobBytesFlowing(t: TestCore, jobId: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = t.core.events.subscribe((name, payload) => {
      const job = payload as Job;
      if (name === 'job.changed' && job.id === jobId && (job.progress.done ?? 0) > 0) {
        off();
        resolve();
      }
    });
  });
}
