// What each schedule kind starts, through the same handlers the doors call: so a scheduled backup is the very
// job a DBA would start by hand, with its progress, journal and notifications.
import type { Handlers } from '../../shared/contract';
import type { Job } from '../../shared/jobs';
import type { JobRunner } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { JobOutcome, Launcher, ScheduleTarget } from './scheduler';

async function startJob(handlers: Handlers, jobs: JobRunner, target: ScheduleTarget): Promise<Job> {
  const { serviceId, engine, schedule } = target;
  switch (schedule.kind) {
    case 'physical':
    case 'logical': {
      const [job] = await handlers['backups.start']({ serviceIds: [serviceId], kind: schedule.kind, compression: 'zstd', checkpoint: 'fast' });
      return job!;
    }
    case 'full':
    case 'diff':
      // On a PostgreSQL service these are pgBackRest's backup types (backups.start refuses them elsewhere).
      if (engine === 'postgres') {
        const [job] = await handlers['backups.start']({ serviceIds: [serviceId], kind: 'physical', type: schedule.kind, compression: 'zstd', checkpoint: 'fast' });
        return job!;
      }
      return handlers['sqlserver.backup']({ serviceId, kind: schedule.kind, copyOnly: false });
    case 'log':
      return handlers['sqlserver.backup']({ serviceId, kind: schedule.kind, copyOnly: false });
    case 'verify': {
      if (engine === 'sqlserver') return handlers['sqlserver.verify']({ serviceId });
      const [newest] = await handlers['backups.list']({ serviceId });
      if (!newest) throw new LifeboatError('NOT_FOUND', `${serviceId} has no backup to verify yet.`, 'Schedule a backup before its verification.');
      return handlers['backups.verify']({ backupId: newest.id });
    }
    case 'drill':
      return engine === 'sqlserver' ? handlers['sqlserver.drill']({ serviceId }) : handlers['drills.start']({ serviceId });
    case 'retention':
      // retention.apply answers at once; as a job it shows in the journal and rates like every other run.
      return jobs.start({
        kind: 'retention',
        title: `Retention of ${serviceId}`,
        serviceId,
        run: async () => {
          const plan = await handlers['retention.apply']({ serviceId });
          return { removed: plan.remove.map((r) => r.id) };
        },
      });
  }
}

export function scheduledJobLauncher(handlers: () => Handlers, jobs: JobRunner): Launcher {
  return async (target) => {
    const job = await startJob(handlers(), jobs, target);
    const done = jobs.wait(job.id).then((final): JobOutcome => {
      const outcome = final.state === 'succeeded' ? 'succeeded' : final.state === 'cancelled' ? 'cancelled' : 'failed';
      return { outcome, detail: final.error?.message };
    });
    return { jobId: job.id, done };
  };
}
