// The "Find the moment" panel's decisions on plain data: a range preset counted back from the end of the window
// and never before its start, and findings as flags on the timeline, the chosen one marked.
import { describe, expect, it } from 'vitest';
import type { MomentFinding } from '../../../src/shared/findMoment';
import type { WindowView } from '../../../src/shared/recovery';
import { findingEvents, findingRows, presetRange, windowBounds } from '../../../src/renderer/src/pages/recovery/findMomentView';

const window: WindowView = {
  serviceId: 'shop',
  now: '2026-11-25T18:00:00Z',
  intervals: [{ timeline: 1, from: '2026-11-25T10:00:00Z', to: '2026-11-25T17:00:00Z', toLsn: '0/9000000', backupIds: ['b1'] }],
  gaps: [],
  coverage: [{ timeline: 1, firstSegment: '000000010000000000000001', lastSegment: '000000010000000000000008', from: '2026-11-25T09:30:00Z', to: '2026-11-25T17:00:00Z' }],
  backups: [{ id: 'b1', timeline: 1, stopTime: '2026-11-25T10:00:00Z', usable: true }],
  restorePoints: [],
};

const finding = (xid: string, action: MomentFinding['action'], rows: { deleted: number; updated: number }): MomentFinding => ({
  action,
  xid,
  commitTime: '2026-11-25T16:00:00.123456Z',
  lsn: '0/8000100',
  database: 'shop',
  relations: [{ name: 'public.orders', file: '1663/5/16384', action, rowsDeleted: rows.deleted, rowsUpdated: rows.updated }],
  role: { name: 'app_owner', source: 'the server log' },
  evidence: [],
  before: { engine: 'postgres', target: { kind: 'xid', xid, inclusive: false, commitLsn: '0/8000100' } },
  after: { engine: 'postgres', target: { kind: 'xid', xid, inclusive: true, commitLsn: '0/8000100' } },
});

describe('find the moment panel', () => {
  it('counts a preset back from the end of the window, never past its start, and keeps the last commit in', () => {
    expect(presetRange('1h', windowBounds(window))).toEqual({ from: '2026-11-25T16:00:00.000Z', to: '2026-11-25T17:00:01.000Z' });
    expect(presetRange('24h', windowBounds(window))).toEqual({ from: '2026-11-25T09:30:00.000Z', to: '2026-11-25T17:00:01.000Z' });
    expect(presetRange('window', windowBounds(window))?.from).toBe('2026-11-25T09:30:00.000Z');
    expect(presetRange('custom', windowBounds(window))).toBeUndefined();
    expect(presetRange('24h', windowBounds({ ...window, intervals: [], coverage: [] }))).toBeUndefined();
  });

  it('draws each finding as a flag at its commit, the chosen one selected', () => {
    const events = findingEvents([finding('745', 'drop', { deleted: 0, updated: 0 }), finding('750', 'delete', { deleted: 1500, updated: 2 })], '750');
    expect(events.map((e) => [e.id, e.at, e.label, e.selected])).toEqual([
      ['745', Date.parse('2026-11-25T16:00:00.123Z'), 'DROP public.orders', false],
      ['750', Date.parse('2026-11-25T16:00:00.123Z'), 'DELETE public.orders', true],
    ]);
    expect(events[0]!.title).toBe('DROP of public.orders by transaction 745 (app_owner): click to restore to just before it');
    expect(findingRows(finding('750', 'delete', { deleted: 1500, updated: 2 }))).toBe('1,500 deleted, 2 updated');
  });
});
