import { describe, expect, it } from 'vitest';
import { selectRetention, type RetentionCandidate } from '../../src/core/repository/selectRetention';

const now = new Date('2026-11-25T12:00:00Z');
const day = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
const backup = (id: string, daysAgo: number, verified = false, kind = 'physical'): RetentionCandidate => ({ id, kind, finishedAt: day(daysAgo), verified });

describe('retention', () => {
  it('keeps the newest N and removes the rest', () => {
    const d = selectRetention([backup('a', 1), backup('b', 2), backup('c', 3), backup('d', 4)], { keep: 2 }, now);
    expect(d.keep.map((k) => k.id)).toEqual(['a', 'b']);
    expect(d.remove.map((r) => r.id)).toEqual(['c', 'd']);
  });

  it('keeps everything newer than D days', () => {
    const d = selectRetention([backup('a', 1), backup('b', 6), backup('c', 8)], { days: 7 }, now);
    expect(d.remove.map((r) => r.id)).toEqual(['c']);
  });

  it('with both rules, keeps what either rule keeps', () => {
    const d = selectRetention([backup('a', 10), backup('b', 20), backup('c', 30), backup('d', 1)], { keep: 2, days: 7 }, now);
    expect(d.keep.map((k) => k.id).sort()).toEqual(['a', 'd']);
    expect(d.remove.map((r) => r.id).sort()).toEqual(['b', 'c']);
  });

  it('never removes the newest verified backup, however old', () => {
    const d = selectRetention([backup('new1', 1), backup('new2', 2), backup('old-verified', 90, true), backup('older-verified', 100, true)], { keep: 1 }, now);
    expect(d.keep.map((k) => k.id)).toEqual(['new1', 'old-verified']);
    expect(d.remove.map((r) => r.id)).toEqual(['new2', 'older-verified']);
  });

  it('never touches a backup a running job uses', () => {
    const d = selectRetention([backup('a', 1), backup('b', 50)], { keep: 1 }, now, new Set(['b']));
    expect(d.remove).toEqual([]);
    expect(d.keep.find((k) => k.id === 'b')?.reasons).toContain('in use by a running job');
  });

  it('ages physical and logical backups separately', () => {
    const d = selectRetention([backup('p1', 1), backup('p2', 2), backup('l1', 3, false, 'logical'), backup('l2', 4, false, 'logical')], { keep: 1 }, now);
    expect(d.keep.map((k) => k.id)).toEqual(['p1', 'l1']);
  });

  it('removes nothing when there is no policy', () => {
    expect(selectRetention([backup('a', 400)], {}, now).remove).toEqual([]);
  });
});
