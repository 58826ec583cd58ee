import { describe, expect, it } from 'vitest';
import { computeRecoverableWindow, locateTarget, type ArchivedSegment, type WindowBackup } from '../../src/core/wal/recoverableWindow';
import { formatLsn, parseHistoryFile, parseLsn, parseSegmentName, segmentName } from '../../src/core/wal/walNames';

const MB16 = 16 * 1024 * 1024;
const t0 = Date.parse('2026-11-25T10:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
/** Segment segNo on a timeline, its commits at minute segNo (a segment a minute). */
const seg = (timeline: number, segNo: number): ArchivedSegment => ({ timeline, segNo, firstXactTime: at(segNo), lastXactTime: at(segNo + 0.9) });
const lsnAt = (segNo: number, offset = 0x28) => formatLsn(BigInt(segNo) * BigInt(MB16) + BigInt(offset));
const backup = (id: string, timeline: number, startSeg: number, stopSeg: number, stopMinute: number): WindowBackup => ({ id, timeline, startLsn: lsnAt(startSeg), stopLsn: lsnAt(stopSeg, 0x100), stopTime: at(stopMinute) });

describe('WAL names', () => {
  it('round-trips segment names and LSNs', () => {
    expect(parseSegmentName('000000010000000200000003')).toEqual({ timeline: 1, segNo: 2 * 256 + 3 });
    expect(segmentName(1, 2 * 256 + 3)).toBe('000000010000000200000003');
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848');
    expect(parseHistoryFile(3, '1\t0/3000000\tno recovery target specified\n\n2\t0/5000A28\tbefore 2026-11-25\n')).toEqual({
      timeline: 3,
      parents: [{ timeline: 1, switchLsn: '0/3000000' }, { timeline: 2, switchLsn: '0/5000A28' }],
    });
  });
});

describe('recoverable window', () => {
  it('runs from the backup stop to the last commit of contiguous WAL', () => {
    const w = computeRecoverableWindow({ segments: [2, 3, 4, 5, 6].map((n) => seg(1, n)), backups: [backup('b1', 1, 2, 3, 3.5)], histories: [] });
    expect(w.intervals).toEqual([{ timeline: 1, from: at(3.5), to: at(6.9), toLsn: lsnAt(7, 0), backupIds: ['b1'] }]);
    expect(w.gaps).toEqual([]);
    expect(w.backups).toEqual([{ id: 'b1', timeline: 1, stopTime: at(3.5), usable: true }]);
  });

  it('names a gap, stops the window before it, and resumes at the next backup', () => {
    const segments = [2, 3, 4, 5, 9, 10, 11, 12].map((n) => seg(1, n));
    const w = computeRecoverableWindow({ segments, backups: [backup('b1', 1, 2, 3, 3.5), backup('b2', 1, 10, 10, 10.5)], histories: [] });
    expect(w.intervals.map((i) => [i.from, i.to, i.backupIds])).toEqual([[at(3.5), at(5.9), ['b1']], [at(10.5), at(12.9), ['b2']]]);
    expect(w.gaps).toEqual([{ timeline: 1, firstMissing: '000000010000000000000006', lastMissing: '000000010000000000000008', segments: 3, after: at(5.9), before: at(9) }]);
    expect(locateTarget(w, at(7))).toEqual({ inside: undefined, before: at(5.9), after: at(10.5) });
    expect(locateTarget(w, at(11)).inside?.backupIds).toEqual(['b2']);
  });

  it('finds a backup unusable when the WAL after its stop point is missing', () => {
    // Segments 3 (its stop) and 4 are not archived; its tar carries only up to the switch ending segment 3.
    const w = computeRecoverableWindow({ segments: [seg(1, 2), seg(1, 5)], backups: [backup('b1', 1, 2, 3, 3.5)], histories: [] });
    expect(w.intervals).toEqual([]);
    expect(w.backups[0]!.usable).toBe(false);
  });

  it('counts a backup taken before archiving began from its stop point: its tar holds the WAL from its start', () => {
    // The archive starts at the segment holding the backup's stop LSN (a slot made after the backup).
    const w = computeRecoverableWindow({ segments: [3, 4, 5].map((n) => seg(1, n)), backups: [backup('b1', 1, 1, 3, 3.5)], histories: [] });
    expect(w.intervals).toEqual([{ timeline: 1, from: at(3.5), to: at(5.9), toLsn: lsnAt(6, 0), backupIds: ['b1'] }]);
    expect(w.backups[0]!.usable).toBe(true);
  });

  it('counts it from the segment after its stop too: the server switches segments as a backup stops', () => {
    const w = computeRecoverableWindow({ segments: [4, 5].map((n) => seg(1, n)), backups: [backup('b1', 1, 1, 3, 3.5)], histories: [] });
    expect(w.intervals).toEqual([{ timeline: 1, from: at(3.5), to: at(5.9), toLsn: lsnAt(6, 0), backupIds: ['b1'] }]);
  });

  it('lists a backup with no archived WAL after it as not usable in the window (self-contained), never drops it', () => {
    const w = computeRecoverableWindow({ segments: [seg(1, 5), seg(1, 6)], backups: [backup('b1', 1, 1, 3, 3.5)], histories: [] });
    expect(w.intervals).toEqual([]);
    expect(w.backups).toEqual([{ id: 'b1', timeline: 1, stopTime: at(3.5), usable: false }]);
  });

  it('follows a promotion onto the new timeline through its history file', () => {
    // Timeline 2 branched off timeline 1 inside segment 5; segment 5 on timeline 2 holds the switch.
    const history = parseHistoryFile(2, `1\t${lsnAt(5, 0x8000)}\tpromoted\n`);
    const segments = [...[2, 3, 4, 5].map((n) => seg(1, n)), ...[5, 6, 7].map((n) => seg(2, n))];
    const w = computeRecoverableWindow({ segments, backups: [backup('b1', 1, 2, 3, 3.5)], histories: [history] });
    const tl2 = w.intervals.find((i) => i.timeline === 2)!;
    expect(tl2).toMatchObject({ from: at(3.5), to: at(7.9), backupIds: ['b1'] });
    const tl1 = w.intervals.find((i) => i.timeline === 1)!;
    expect(tl1.to).toBe(at(5.9));
  });

  it('does not follow a timeline that branched before the backup finished', () => {
    const history = parseHistoryFile(2, `1\t${lsnAt(2, 0x50)}\tpromoted early\n`);
    const w = computeRecoverableWindow({ segments: [...[2, 3, 4].map((n) => seg(1, n)), ...[2, 3, 4].map((n) => seg(2, n))], backups: [backup('b1', 1, 2, 3, 3.5)], histories: [history] });
    expect(w.intervals.filter((i) => i.timeline === 2)).toEqual([]);
  });

  // Its speed is not asserted here (a timed test fails on a loaded machine); the fleet bench measures views.
  it('computes the window of 10,000 segments and 100 backups, the four holes as gaps', () => {
    const segments = Array.from({ length: 10_000 }, (_, n) => seg(1, n + 2)).filter((s) => s.segNo % 2500 !== 0);
    const backups = Array.from({ length: 100 }, (_, i) => backup(`b${i}`, 1, 2 + i * 100, 3 + i * 100, 3.5 + i * 100));
    const w = computeRecoverableWindow({ segments, backups, histories: [] });
    expect(w.gaps).toHaveLength(4);
    expect(w.intervals.length).toBeGreaterThan(1);
  });
});
