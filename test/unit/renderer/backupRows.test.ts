// The backups table: newest first, a verification state per backup, "Verifying…" while a verify job runs,
// and a refresh when a backup or verification of the service ends.
import { describe, expect, it } from 'vitest';
import type { BackupView } from '../../../src/shared/backups';
import type { Job } from '../../../src/shared/jobs';
import { backupsNewestFirst, changesBackupList, verificationState, verifyingBackupIds } from '../../../src/renderer/src/pages/backups/backupRows';
import { describeRetentionPolicy } from '../../../src/renderer/src/pages/backups/retentionPolicyText';

function backup(id: string, finishedAt: string, extra: Partial<BackupView> = {}): BackupView {
  return {
    id,
    serviceId: 'orders',
    kind: 'logical',
    startedAt: finishedAt,
    finishedAt,
    durationMs: 1000,
    storedBytes: 100,
    sourceBytes: 400,
    compression: 'zstd',
    encrypted: true,
    serverVersion: '15.18',
    ...extra,
  };
}

function job(id: string, extra: Partial<Job>): Job {
  return { id, kind: 'verify', serviceId: 'orders', title: 'Verify b1', state: 'running', progress: { phase: 'reading' }, revision: 1, createdAt: '2025-06-01T10:00:00Z', ...extra };
}

describe('backupsNewestFirst', () => {
  it('orders by finish time, newest first', () => {
    const list = [backup('a', '2025-06-01T10:00:00Z'), backup('c', '2025-06-03T10:00:00Z'), backup('b', '2025-06-02T10:00:00Z')];
    expect(backupsNewestFirst(list).map((b) => b.id)).toEqual(['c', 'b', 'a']);
    expect(list.map((b) => b.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('verificationState', () => {
  it('is never, verified or failed with the date and detail', () => {
    expect(verificationState(backup('a', 'x'))).toEqual({ state: 'never' });
    expect(verificationState({ lastVerification: { at: '2025-06-02T00:00:00Z', ok: true, detail: 'intact' } })).toEqual({ state: 'verified', at: '2025-06-02T00:00:00Z', detail: 'intact' });
    expect(verificationState({ lastVerification: { at: '2025-06-02T00:00:00Z', ok: false, detail: 'sha mismatch' } })).toEqual({ state: 'failed', at: '2025-06-02T00:00:00Z', detail: 'sha mismatch' });
  });
});

describe('verifyingBackupIds', () => {
  const ids = ['b1', 'b2'];

  it('includes a backup whose verify job, started here, is queued or running', () => {
    const jobs = { j1: job('j1', { state: 'queued', title: 'something else' }) };
    expect([...verifyingBackupIds(jobs, { b2: 'j1' }, ids)]).toEqual(['b2']);
  });

  it('drops it once the job has ended', () => {
    const jobs = { j1: job('j1', { state: 'succeeded' }) };
    expect(verifyingBackupIds(jobs, { b1: 'j1' }, ids).size).toBe(0);
  });

  it('finds a verify job started elsewhere by the backup named in its title', () => {
    const jobs = { j9: job('j9', { title: 'Verify b1' }), other: job('other', { kind: 'backup.logical', title: 'Verify b2' }) };
    expect([...verifyingBackupIds(jobs, {}, ids)]).toEqual(['b1']);
  });

  it('ignores verify jobs for backups not in the table', () => {
    expect(verifyingBackupIds({ j: job('j', { title: 'Verify elsewhere' }) }, {}, ids).size).toBe(0);
  });
});

describe('changesBackupList', () => {
  it('is true when a backup or verification of this service succeeds or fails', () => {
    expect(changesBackupList(job('j', { state: 'succeeded' }), 'orders')).toBe(true);
    expect(changesBackupList(job('j', { state: 'failed' }), 'orders')).toBe(true);
    expect(changesBackupList(job('j', { kind: 'backup.physical', state: 'succeeded' }), 'orders')).toBe(true);
  });

  it('is false while running, for another service, or for a restore', () => {
    expect(changesBackupList(job('j', { state: 'running' }), 'orders')).toBe(false);
    expect(changesBackupList(job('j', { state: 'succeeded', serviceId: 'billing' }), 'orders')).toBe(false);
    expect(changesBackupList(job('j', { kind: 'restore.logical', state: 'succeeded' }), 'orders')).toBe(false);
    expect(changesBackupList(job('j', { state: 'cancelled' }), 'orders')).toBe(false);
  });
});

describe('describeRetentionPolicy', () => {
  it('says every backup is kept without a policy', () => {
    expect(describeRetentionPolicy({})).toMatch(/^No retention policy: every backup is kept\./);
  });

  it('words keep, days and both', () => {
    expect(describeRetentionPolicy({ keep: 3 })).toMatch(/^Keeps the newest 3 backups of each kind\./);
    expect(describeRetentionPolicy({ days: 1 })).toMatch(/^Keeps every backup newer than 1 day\./);
    expect(describeRetentionPolicy({ keep: 1, days: 14 })).toMatch(/^Keeps the newest 1 backup of each kind and every backup newer than 14 days\./);
    expect(describeRetentionPolicy({ keep: 2 })).toContain('newest verified backup of each kind is always kept');
  });
});
