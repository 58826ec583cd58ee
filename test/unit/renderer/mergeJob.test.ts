// The jobs store keeps the newest state of each job, whatever order events and the initial list arrive in.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/jobs';
import { jobsNewestFirst, mergeJob } from '../../../src/renderer/src/stores/mergeJob';

function job(id: string, revision: number, extra: Partial<Job> = {}): Job {
  return { id, kind: 'backup.physical', title: `Job ${id}`, state: 'running', progress: { phase: 'copying' }, revision, createdAt: '2025-06-01T10:00:00.000Z', ...extra };
}

describe('mergeJob', () => {
  it('adds a job it has not seen', () => {
    const merged = mergeJob({}, job('a', 1));
    expect(Object.keys(merged)).toEqual(['a']);
    expect(merged.a?.revision).toBe(1);
  });

  it('takes an update with a higher revision', () => {
    const merged = mergeJob({ a: job('a', 1) }, job('a', 3, { state: 'succeeded' }));
    expect(merged.a).toMatchObject({ revision: 3, state: 'succeeded' });
  });

  it('ignores a late update older than what it holds, returning the same object', () => {
    const held = { a: job('a', 5, { state: 'succeeded' }) };
    const merged = mergeJob(held, job('a', 4, { state: 'running' }));
    expect(merged).toBe(held);
    expect(merged.a?.state).toBe('succeeded');
  });

  it('ignores a repeat of the same revision (the list answering after the event)', () => {
    const held = { a: job('a', 2, { state: 'failed' }) };
    expect(mergeJob(held, job('a', 2, { state: 'running' }))).toBe(held);
  });

  it('leaves other jobs untouched', () => {
    const merged = mergeJob({ a: job('a', 1), b: job('b', 1) }, job('b', 2));
    expect(merged.a?.revision).toBe(1);
    expect(merged.b?.revision).toBe(2);
  });
});

describe('jobsNewestFirst', () => {
  it('puts the most recently created job first, ties broken by id', () => {
    const jobs = {
      old: job('old', 1, { createdAt: '2025-06-01T09:00:00.000Z' }),
      newB: job('newB', 1, { createdAt: '2025-06-01T11:00:00.000Z' }),
      newA: job('newA', 1, { createdAt: '2025-06-01T11:00:00.000Z' }),
    };
    expect(jobsNewestFirst(jobs).map((j) => j.id)).toEqual(['newB', 'newA', 'old']);
  });

  it('is empty for no jobs', () => {
    expect(jobsNewestFirst({})).toEqual([]);
  });
});
