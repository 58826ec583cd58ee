// Waits for a job started from the CLI, drawing its progress on stderr (when it is a terminal) and
// cancelling it on Ctrl+C, so a script gets the final state and a person sees it move; finishJob also
// prints how it ended and turns that into the exit code.
import type { Core } from '../../core/api';
import { EXIT_CODES, type ErrorCode } from '../../shared/errors';
import { FINAL_JOB_STATES, type Job } from '../../shared/jobs';
import type { Output } from './cliOutput';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function describeProgress(job: Job): string {
  const p = job.progress;
  const parts = [p.phase];
  if (p.done !== undefined && p.unit === 'bytes') {
    parts.push(p.total ? `${formatBytes(p.done)} of ${formatBytes(p.total)} (${Math.floor((100 * p.done) / p.total)}%)` : formatBytes(p.done));
    if (p.rate) {
      parts.push(`${formatBytes(p.rate)}/s`);
      if (p.total && p.total > p.done) parts.push(`ETA ${Math.ceil((p.total - p.done) / p.rate)} s`);
    }
  }
  return parts.join(', ');
}

export async function followJob(core: Core, first: Job, stderr: NodeJS.WriteStream = process.stderr): Promise<Job> {
  const live = stderr.isTTY === true;
  let last = '';
  const draw = (job: Job) => {
    const line = `${job.title}: ${describeProgress(job)}`;
    if (line === last) return;
    last = line;
    if (live) stderr.write(`\r\x1b[2K${line}`);
  };
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name === 'job.changed' && (payload as Job).id === first.id) draw(payload as Job);
  });
  const onInterrupt = () => void core.jobs.cancel(first.id);
  process.once('SIGINT', onInterrupt);
  try {
    const done = await core.jobs.wait(first.id);
    if (live) stderr.write('\r\x1b[2K');
    return done;
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** Waits for every job, whatever its outcome. */
export async function followJobs(core: Core, jobs: Job[]): Promise<Job[]> {
  const results: Job[] = [];
  for (const job of jobs) results.push(FINAL_JOB_STATES.includes(job.state) ? job : await followJob(core, job));
  return results;
}

/** Waits for a job and prints its outcome (human, or with --json the job itself, or what jsonOf picks from a
 * job that succeeded); the exit code says how it ended: 0, or that of its error's class (8 when cancelled). */
export async function finishJob(core: Core, out: Output, first: Job, human: (job: Job) => string, jsonOf: (job: Job) => unknown = (job) => job): Promise<number> {
  const job = await followJob(core, first);
  if (out.json) out.result(job.state === 'succeeded' ? jsonOf(job) : job, () => '');
  else if (job.state === 'succeeded') process.stdout.write(human(job) + '\n');
  if (job.state === 'succeeded') return 0;
  const error = job.error ?? { code: 'INTERNAL', message: `${job.title} ended ${job.state}`, hint: '' };
  process.stderr.write(`error ${error.code}: ${error.message}\nhint: ${error.hint}\n`);
  return EXIT_CODES[error.code as ErrorCode] ?? 1;
}
