// What a job row says about a finished job: the backup it wrote, what a verification found, where a restore went.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/jobs';
import { backupIdOfJob, isBackupJob, jobResultText } from '../../../src/renderer/src/format/jobResult';

function job(extra: Partial<Job>): Job {
  return { id: 'j1', kind: 'backup.physical', title: 't', state: 'succeeded', progress: { phase: 'done' }, revision: 3, createdAt: '2025-06-01T10:00:00Z', ...extra };
}

describe('backupIdOfJob', () => {
  it('reads the backup id of a succeeded backup job', () => {
    expect(backupIdOfJob(job({ result: { backupId: 'orders-20250601T100000Z-physical', storedBytes: 10 } }))).toBe('orders-20250601T100000Z-physical');
    expect(backupIdOfJob(job({ kind: 'backup.logical', result: { backupId: 'b2' } }))).toBe('b2');
  });

  it('has none for a job still running, a failed one, another kind or a malformed result', () => {
    expect(backupIdOfJob(job({ state: 'running', result: { backupId: 'b' } }))).toBeUndefined();
    expect(backupIdOfJob(job({ state: 'failed', result: { backupId: 'b' } }))).toBeUndefined();
    expect(backupIdOfJob(job({ kind: 'verify', result: { backupId: 'b' } }))).toBeUndefined();
    expect(backupIdOfJob(job({ result: { backupId: 42 } }))).toBeUndefined();
    expect(backupIdOfJob(job({ result: 'b' }))).toBeUndefined();
    expect(backupIdOfJob(job({ result: null }))).toBeUndefined();
  });

  it('knows backup jobs by their kind', () => {
    expect(isBackupJob({ kind: 'backup.physical' })).toBe(true);
    expect(isBackupJob({ kind: 'restore.logical' })).toBe(false);
  });
});

describe('jobResultText', () => {
  it("gives a verification's findings", () => {
    expect(jobResultText(job({ kind: 'verify', result: { backupId: 'b', ok: true, detail: '2 files intact' } }))).toBe('2 files intact');
  });

  it('says where a restore went and how many tables it holds', () => {
    expect(jobResultText(job({ kind: 'restore.logical', result: { database: 'orders_copy', target: 'orders', replaced: false, tables: 3 } }))).toBe(
      'Restored as "orders_copy" on orders; 3 tables.',
    );
    expect(jobResultText(job({ kind: 'restore.logical', result: { database: 'x', target: 'y', replaced: true, tables: 1 } }))).toBe(
      'Restored as "x" on y, replacing the database of that name; 1 table.',
    );
  });

  it('says nothing for a backup job, an unfinished job or a result it cannot read', () => {
    expect(jobResultText(job({ result: { backupId: 'b' } }))).toBeUndefined();
    expect(jobResultText(job({ kind: 'verify', state: 'running' }))).toBeUndefined();
    expect(jobResultText(job({ kind: 'restore.logical', result: { database: 1 } }))).toBeUndefined();
  });
});
