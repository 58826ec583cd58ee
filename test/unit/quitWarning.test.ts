import { describe, expect, it } from 'vitest';
import type { Job, JobState } from '../../src/shared/jobs';
import { cancelMeaning, quitWarning } from '../../src/shared/quitWarning';

let n = 0;
function job(kind: string, state: JobState, extra: Partial<Job> = {}): Job {
  n++;
  return { id: `j${n}`, kind, title: `${kind} job ${n}`, state, progress: { phase: 'starting' }, revision: 1, createdAt: `2026-11-25T10:00:${String(n).padStart(2, '0')}Z`, ...extra };
}

describe('asking before quitting while jobs run', () => {
  it('lets Lifeboat quit without a question when nothing runs (finished jobs only)', () => {
    expect(quitWarning([])).toBeUndefined();
    expect(quitWarning([job('backup.physical', 'succeeded'), job('drill', 'failed'), job('verify', 'cancelled')])).toBeUndefined();
  });

  it('does not ask for WAL streams and lag sampling alone: they resume at the next start', () => {
    expect(quitWarning([job('wal.stream', 'running'), job('replication.sample', 'running')])).toBeUndefined();
  });

  it('lists a running backup with its service and progress, says it is discarded, and defaults to keep running', () => {
    const backup = job('backup.physical', 'running', { title: 'Physical backup of orders', serviceId: 'orders', progress: { phase: 'copying', done: 350, total: 1000, unit: 'bytes' } });
    const w = quitWarning([backup])!;
    expect(w.message).toBe('A job is still running. Quitting cancels it.');
    expect(w.detail).toBe(
      'Physical backup of orders (backup.physical, orders): copying, 35%.\nCancelling it: the backup is discarded: its folder is removed and nothing that looks like a complete backup is left.',
    );
    expect(w.buttons).toEqual(['Keep running', 'Cancel jobs and quit']);
    expect(w.buttons[w.defaultId]).toBe('Keep running');
    expect(w.buttons[w.cancelId]).toBe('Keep running');
  });

  it('once it asks, lists every unfinished job, streams included, oldest first, each with what cancelling it means', () => {
    const stream = job('wal.stream', 'running', { title: 'WAL streaming for orders', serviceId: 'orders', progress: { phase: 'streaming' } });
    const restore = job('restore.pitr', 'running', { title: 'Point-in-time restore of orders', serviceId: 'orders', progress: { phase: 'replaying WAL' } });
    const queued = job('sqlserver.verify', 'queued', { title: 'Verify the backups of Sales on sales', serviceId: 'sales' });
    const w = quitWarning([queued, restore, stream, job('backup.logical', 'succeeded')])!;
    expect(w.message).toBe('3 jobs are still running. Quitting cancels them.');
    const paragraphs = w.detail.split('\n\n');
    expect(paragraphs).toEqual([
      'WAL streaming for orders (wal.stream, orders): streaming.\nCancelling it: streaming stops and resumes at the next start; meanwhile the replication slot keeps the WAL on the server.',
      "Point-in-time restore of orders (restore.pitr, orders): replaying WAL.\nCancelling it: the restore stops and its scratch cluster is removed.",
      'Verify the backups of Sales on sales (sqlserver.verify, sales): waiting to start.\nCancelling it: the verification stops and no result is recorded.',
    ]);
  });

  it('has words for every kind of job the core starts, and a plain fallback for others', () => {
    for (const kind of ['backup.physical', 'backup.logical', 'verify', 'fetch', 'restore.logical', 'restore.pitr', 'scratch.copy', 'drill', 'retention', 'wal.stream', 'replication.sample', 'sqlserver.backup', 'sqlserver.restore', 'sqlserver.verify', 'sqlserver.drill', 'runbooks.pdf'])
      expect(cancelMeaning(kind), kind).not.toBe(cancelMeaning('something.new'));
    expect(cancelMeaning('something.new')).toBe('it stops; what it had done so far is not kept.');
  });

  it('in browser mode asks to stay on the page, since the host keeps running the jobs', () => {
    const w = quitWarning([job('drill', 'cancelling', { title: 'Restore drill of orders' })], 'close-page')!;
    expect(w.message).toBe('A job is still running in the Lifeboat host. Close this page anyway?');
    expect(w.buttons).toEqual(['Stay on the page', 'Close the page']);
    expect(w.detail).toContain('Restore drill of orders (drill): cancelling.');
  });
});
