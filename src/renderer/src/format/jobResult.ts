// What a finished job produced, read from its small JSON result: a backup id, a verification's findings,
// where a restore or a copy went, the scratch cluster of a point-in-time restore, a drill's RTO. The result
// crosses the bridge as `unknown`, so every field is checked before use.
import type { Job } from '../../../shared/jobs';

function field(result: unknown, name: string): unknown {
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>)[name] : undefined;
}

export function isBackupJob(job: Pick<Job, 'kind'>): boolean {
  return job.kind.startsWith('backup.');
}

/** The id of the backup a succeeded backup job wrote. */
export function backupIdOfJob(job: Job): string | undefined {
  if (!isBackupJob(job) || job.state !== 'succeeded') return undefined;
  const id = field(job.result, 'backupId');
  return typeof id === 'string' && id ? id : undefined;
}

/** One line on what a succeeded verify or restore job found or did; undefined for anything else. */
export function jobResultText(job: Job): string | undefined {
  if (job.state !== 'succeeded') return undefined;
  if (job.kind === 'verify') {
    const detail = field(job.result, 'detail');
    return typeof detail === 'string' && detail ? detail : undefined;
  }
  if (job.kind === 'restore.logical') {
    const database = field(job.result, 'database');
    const target = field(job.result, 'target');
    if (typeof database !== 'string' || typeof target !== 'string') return undefined;
    const tables = field(job.result, 'tables');
    const replaced = field(job.result, 'replaced') === true;
    const count = typeof tables === 'number' ? `; ${tables} ${tables === 1 ? 'table' : 'tables'}` : '';
    return `Restored as "${database}" on ${target}${replaced ? ', replacing the database of that name' : ''}${count}.`;
  }
  if (job.kind === 'scratch.copy') {
    const database = field(job.result, 'database');
    const target = field(job.result, 'target');
    if (typeof database !== 'string' || typeof target !== 'string') return undefined;
    return `Copied as "${database}" on ${target}${field(job.result, 'replaced') === true ? ', replacing the database of that name' : ''}.`;
  }
  if (job.kind === 'restore.pitr') {
    const id = field(job.result, 'id');
    const detail = field(field(job.result, 'reached'), 'detail');
    if (typeof id !== 'string') return undefined;
    return `Scratch cluster ${id} is running${typeof detail === 'string' && detail ? `; ${detail}` : ''}.`;
  }
  if (job.kind === 'drill') {
    const rtoMs = field(job.result, 'rtoMs');
    const reached = field(job.result, 'pointReached');
    const rto = typeof rtoMs === 'number' ? `; RTO ${(rtoMs / 1000).toFixed(1)} s` : '';
    return `Drill passed${rto}${typeof reached === 'string' && reached ? `; ${reached}` : ''}.`;
  }
  return undefined;
}
