// Whether leaving Lifeboat (quitting the desktop app, closing the browser page) should ask first, and what the
// question says: each unfinished job with its progress and what cancelling it means. Pure, so the desktop's
// native dialog and the page's beforeunload decide alike and tests need only plain jobs.
import { FINAL_JOB_STATES, type Job } from './jobs';

export interface QuitWarning {
  title: string;
  /** The question, one sentence. */
  message: string;
  /** One paragraph per unfinished job: what it is, where it is, what cancelling it does. */
  detail: string;
  /** [the safe choice, the destructive one]; the safe one is the default and what Escape picks. */
  buttons: readonly [string, string];
  defaultId: 0;
  cancelId: 0;
}

/** What cancelling a job of each kind leaves behind, in the words a DBA needs before saying yes. */
const CANCEL_MEANS: Record<string, string> = {
  'backup.physical': 'the backup is discarded: its folder is removed and nothing that looks like a complete backup is left.',
  'backup.logical': 'the backup is discarded: its folder is removed and nothing that looks like a complete backup is left.',
  verify: 'the verification stops; the backup is kept as it is, without a result from this run.',
  fetch: 'the unpacking stops; the target folder holds an incomplete copy: empty it before unpacking again.',
  'restore.logical': 'the restore is rolled back; a database it created is dropped.',
  'restore.pitr': 'the restore stops and its scratch cluster is removed.',
  'scratch.copy': 'the copy stops; the database it was creating is dropped.',
  drill: 'the drill stops, its scratch cluster is removed and no drill result is recorded.',
  retention: 'backups already removed stay removed; the others are kept.',
  'wal.stream': 'streaming stops and resumes at the next start; meanwhile the replication slot keeps the WAL on the server.',
  'replication.sample': 'lag sampling stops; it starts again with the next start.',
  'sqlserver.backup': 'SQL Server rolls the BACKUP back; a partial file may remain in the backup folder and no restore will use it.',
  'sqlserver.restore': 'SQL Server stops the RESTORE; the database being restored may be left RESTORING (drop it, or finish it WITH RECOVERY).',
  'sqlserver.verify': 'the verification stops and no result is recorded.',
  'sqlserver.drill': 'the drill stops and its scratch database is dropped.',
  'runbooks.pdf': 'no PDF is written.',
  'find.moment': 'the search stops; the WAL it had staged and any scratch copy of a backup\'s catalog are removed, and nothing is found.',
};

/** Jobs that carry on by themselves at the next start: on their own they are no reason to ask. */
const RESUMES_BY_ITSELF = new Set(['wal.stream', 'replication.sample']);

export function cancelMeaning(kind: string): string {
  return CANCEL_MEANS[kind] ?? 'it stops; what it had done so far is not kept.';
}

function whereItIs(job: Job): string {
  if (job.state === 'queued') return 'waiting to start';
  if (job.state === 'cancelling') return 'cancelling';
  const p = job.progress;
  const percent = p.total && p.done !== undefined ? `, ${Math.min(100, Math.floor((100 * p.done) / p.total))}%` : '';
  return `${p.phase}${percent}`;
}

/** The unfinished jobs whose cancel would lose work: undefined when leaving needs no question. */
export function quitWarning(jobs: readonly Job[], leaving: 'quit' | 'close-page' = 'quit'): QuitWarning | undefined {
  const unfinished = jobs.filter((j) => !FINAL_JOB_STATES.includes(j.state)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (!unfinished.some((j) => !RESUMES_BY_ITSELF.has(j.kind))) return undefined;
  const count = unfinished.length === 1 ? 'A job is' : `${unfinished.length} jobs are`;
  const detail = unfinished.map((j) => `${j.title} (${j.kind}${j.serviceId ? `, ${j.serviceId}` : ''}): ${whereItIs(j)}.\nCancelling it: ${cancelMeaning(j.kind)}`).join('\n\n');
  if (leaving === 'close-page')
    // The browser host keeps running the jobs; closing the page only loses sight of them.
    return { title: 'Jobs are running', message: `${count} still running in the Lifeboat host. Close this page anyway?`, detail, buttons: ['Stay on the page', 'Close the page'], defaultId: 0, cancelId: 0 };
  return { title: 'Jobs are running', message: `${count} still running. Quitting cancels ${unfinished.length === 1 ? 'it' : 'them'}.`, detail, buttons: ['Keep running', 'Cancel jobs and quit'], defaultId: 0, cancelId: 0 };
}
