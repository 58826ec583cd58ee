// The jobs panel says what a point-in-time restore, a drill and a copy out of a scratch cluster produced.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/jobs';
import { jobResultText } from '../../../src/renderer/src/format/jobResult';

function job(extra: Partial<Job>): Job {
  return { id: 'j1', kind: 'restore.pitr', title: 't', state: 'succeeded', progress: { phase: 'done' }, revision: 3, createdAt: '2025-06-01T10:00:00Z', ...extra };
}

describe('jobResultText for recovery jobs', () => {
  it('names the scratch cluster and the point reached', () => {
    const result = { id: 'shop-20261125T140307Z', reached: { detail: 'stopped before the commit of transaction 755' } };
    expect(jobResultText(job({ result }))).toBe('Scratch cluster shop-20261125T140307Z is running; stopped before the commit of transaction 755.');
  });

  it("gives a drill's RTO", () => {
    expect(jobResultText(job({ kind: 'drill', result: { rtoMs: 42_345, pointReached: 'redo done at 0/5000028' } }))).toBe('Drill passed; RTO 42.3 s; redo done at 0/5000028.');
  });

  it('says where a copy went', () => {
    expect(jobResultText(job({ kind: 'scratch.copy', result: { database: 'shop_before', target: 'shop', replaced: true } }))).toBe(
      'Copied as "shop_before" on shop, replacing the database of that name.',
    );
  });

  it('says nothing it cannot read', () => {
    expect(jobResultText(job({ result: { reached: {} } }))).toBeUndefined();
    expect(jobResultText(job({ kind: 'scratch.copy', result: {} }))).toBeUndefined();
  });
});
