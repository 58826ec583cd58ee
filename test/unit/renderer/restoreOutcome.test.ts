// The restore dialog follows its job; a database that exists is replaced only after its name is typed exactly.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/jobs';
import { replaceConfirmed, restoreOutcome } from '../../../src/renderer/src/pages/backups/restoreOutcome';

function job(extra: Partial<Job>): Job {
  return { id: 'r1', kind: 'restore.logical', title: 'Restore', state: 'running', progress: { phase: 'restoring' }, revision: 1, createdAt: '2025-06-01T10:00:00Z', ...extra };
}

const EXISTS = { code: 'CONFLICT', message: 'Database "orders_copy" already exists on orders.', hint: 'Choose a new name, or type it.' };

describe('restoreOutcome', () => {
  it('is idle before a restore starts', () => {
    expect(restoreOutcome(undefined, false)).toEqual({ status: 'idle' });
  });

  it('is running while queued, running or cancelling', () => {
    for (const state of ['queued', 'running', 'cancelling'] as const) expect(restoreOutcome(job({ state }), false).status).toBe('running');
  });

  it('is succeeded or cancelled as the job ends', () => {
    expect(restoreOutcome(job({ state: 'succeeded' }), false).status).toBe('succeeded');
    expect(restoreOutcome(job({ state: 'cancelled' }), false)).toEqual({ status: 'cancelled' });
  });

  it('offers a typed replacement when the database exists', () => {
    expect(restoreOutcome(job({ state: 'failed', error: EXISTS }), false)).toEqual({ status: 'conflict', error: EXISTS, canReplace: true });
  });

  it('does not offer it again when a confirmed replacement was refused too', () => {
    const refused = { ...EXISTS, message: '"orders" is the database Lifeboat connects to for orders; it cannot drop it while connected.' };
    expect(restoreOutcome(job({ state: 'failed', error: refused }), true)).toEqual({ status: 'conflict', error: refused, canReplace: false });
  });

  it('reports any other failure as it is', () => {
    const error = { code: 'TOOL_MISSING', message: 'pg_restore 15 not found', hint: 'Install the client tools.' };
    expect(restoreOutcome(job({ state: 'failed', error }), false)).toEqual({ status: 'failed', error });
    expect(restoreOutcome(job({ state: 'failed' }), false).status).toBe('failed');
  });
});

describe('replaceConfirmed', () => {
  it('needs the name exactly', () => {
    expect(replaceConfirmed('orders_copy', 'orders_copy')).toBe(true);
    expect(replaceConfirmed('Orders_copy', 'orders_copy')).toBe(false);
    expect(replaceConfirmed('orders_copy ', 'orders_copy')).toBe(false);
    expect(replaceConfirmed('orders_cop', 'orders_copy')).toBe(false);
    expect(replaceConfirmed('', '')).toBe(false);
  });
});
