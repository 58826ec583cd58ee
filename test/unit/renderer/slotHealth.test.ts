// The WAL panel warns before pg_wal fills the disk: amber above 1 GiB retained, red above 10 GiB, and for an idle slot.
import { describe, expect, it } from 'vitest';
import { GIB, retainedTone, slotWarnings, walStatusTone } from '../../../src/renderer/src/pages/recovery/slotHealth';

const slot = (change: Partial<Parameters<typeof slotWarnings>[0]>) => ({ name: 'lifeboat_shop', active: true, retainedBytes: 1024, walStatus: 'reserved', restartLsn: '0/3000000', ...change });

describe('slot health', () => {
  it('colours retained WAL by size', () => {
    expect(retainedTone(512 * 1024 * 1024)).toBe('ok');
    expect(retainedTone(GIB)).toBe('ok');
    expect(retainedTone(GIB + 1)).toBe('warn');
    expect(retainedTone(10 * GIB + 1)).toBe('error');
  });

  it('reads wal_status', () => {
    expect(walStatusTone('reserved')).toBe('ok');
    expect(walStatusTone('unreserved')).toBe('warn');
    expect(walStatusTone('lost')).toBe('error');
    expect(walStatusTone(null)).toBe('untested');
  });

  it('says nothing about a healthy slot', () => {
    expect(slotWarnings(slot({}))).toEqual([]);
  });

  it('warns about an inactive slot and a large retention, most serious first', () => {
    const warnings = slotWarnings(slot({ active: false, retainedBytes: 12 * GIB }));
    expect(warnings.map((w) => w.tone)).toEqual(['error', 'warn']);
    expect(warnings[0]!.text).toContain('12.0 GiB');
    expect(warnings[1]!.text).toContain('inactive');
  });

  it('says when WAL the slot needed is already gone', () => {
    expect(slotWarnings(slot({ walStatus: 'lost' }))[0]).toMatchObject({ tone: 'error', text: expect.stringContaining('gap') });
  });
});
