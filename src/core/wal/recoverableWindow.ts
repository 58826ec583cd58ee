// The recoverable window: from base backups and the archived WAL, the exact intervals of time (per
// timeline) to which a service can be restored, and every gap named. Pure: the caller lists the repository.
//
// A backup B restores to any time from its stop (before that the copy is inconsistent) to the last commit
// of the contiguous WAL from the segment holding its stop LSN (or the one after it, see below): the WAL from
// its start to there is inside the backup's own tar (pg_basebackup -X fetch), so a backup taken before
// archiving began counts too. A backup
// without that WAL in the archive is still restorable to its own end (recovery_target = 'immediate'): it
// is listed as not usable in the window, never dropped. On timeline T the WAL comes from T's ancestry: each
// segment is read from the timeline that was current at the segment's last byte (the segment holding a
// switch point belongs to the new timeline, as PostgreSQL names it).
import { parseLsn, segNoOf, segmentName, segmentStart, formatLsn, DEFAULT_SEGMENT_SIZE, type TimelineHistory } from './walNames';

export interface ArchivedSegment {
  timeline: number;
  segNo: number;
  /** Commit times of the first and last transactions in the segment, when it holds any. */
  firstXactTime?: string;
  lastXactTime?: string;
}

export interface WindowBackup {
  id: string;
  timeline: number;
  startLsn: string;
  stopLsn: string;
  stopTime: string;
}

export interface WindowInterval {
  timeline: number;
  from: string;
  to: string;
  /** The end of the contiguous WAL behind `to`. */
  toLsn: string;
  backupIds: string[];
}

export interface WindowGap {
  timeline: number;
  firstMissing: string;
  lastMissing: string;
  segments: number;
  /** Last commit before the gap and first after it, when known. */
  after?: string;
  before?: string;
}

export interface CoverageBar {
  timeline: number;
  firstSegment: string;
  lastSegment: string;
  from?: string;
  to?: string;
}

export interface RecoverableWindow {
  intervals: WindowInterval[];
  gaps: WindowGap[];
  coverage: CoverageBar[];
  /** usable: inside the window; a backup that is not is self-contained, restorable to its own end only. */
  backups: Array<{ id: string; timeline: number; stopTime: string; usable: boolean }>;
}

/** A run of contiguous segments; times as epoch ms (NaN when unknown), parsed once. */
interface Run {
  first: number;
  last: number;
  firstTime: number;
  lastTime: number;
  /** latestFrom[i]: the latest commit time among the run's segments i..end, for O(1) lookups. */
  latestFrom: number[];
}

const iso = (ms: number) => (Number.isNaN(ms) ? undefined : new Date(ms).toISOString());
const toMs = (t: string | undefined) => (t ? Date.parse(t) : NaN);
const max = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
const min = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));

/** Which timeline holds segment segNo on the path to `timeline`. */
function ownerOf(history: TimelineHistory | undefined, timeline: number, segmentSize: number): (segNo: number) => number {
  const switches = (history?.parents ?? []).map((p) => ({ tli: p.timeline, until: parseLsn(p.switchLsn) }));
  if (!switches.length) return () => timeline;
  return (segNo) => {
    const lastByte = segmentStart(segNo + 1, segmentSize) - 1n;
    for (const s of switches) if (lastByte < s.until) return s.tli;
    return timeline;
  };
}

interface TimedSegment {
  timeline: number;
  segNo: number;
  first: number;
  last: number;
}

function runsFor(segments: TimedSegment[], owner: (segNo: number) => number): Run[] {
  const mine = segments.filter((s) => owner(s.segNo) === s.timeline).sort((a, b) => a.segNo - b.segNo);
  const runs: Run[] = [];
  const lasts: number[][] = [];
  for (const s of mine) {
    const run = runs.at(-1);
    if (run && s.segNo === run.last + 1) {
      run.last = s.segNo;
      run.firstTime = min(run.firstTime, s.first);
      run.lastTime = max(run.lastTime, s.last);
      lasts.at(-1)!.push(s.last);
    } else if (!run || s.segNo > run.last) {
      runs.push({ first: s.segNo, last: s.segNo, firstTime: s.first, lastTime: s.last, latestFrom: [] });
      lasts.push([s.last]);
    }
  }
  runs.forEach((run, r) => {
    const l = lasts[r]!;
    run.latestFrom = new Array<number>(l.length);
    let acc = NaN;
    for (let i = l.length - 1; i >= 0; i--) run.latestFrom[i] = acc = max(acc, l[i]!);
  });
  return runs;
}

function findRun(runs: Run[], segNo: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (segNo < r.first) hi = mid - 1;
    else if (segNo > r.last) lo = mid + 1;
    else return r;
  }
  return undefined;
}

export function computeRecoverableWindow(input: {
  segments: ArchivedSegment[];
  backups: WindowBackup[];
  histories: TimelineHistory[];
  segmentSize?: number;
}): RecoverableWindow {
  const size = input.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  const histories = new Map(input.histories.map((h) => [h.timeline, h]));
  const timelines = [...new Set([...input.segments.map((s) => s.timeline), ...input.backups.map((b) => b.timeline), ...histories.keys()])].sort((a, b) => a - b);
  const window: RecoverableWindow = { intervals: [], gaps: [], coverage: [], backups: [] };
  const timed: TimedSegment[] = input.segments.map((s) => ({ timeline: s.timeline, segNo: s.segNo, first: toMs(s.firstXactTime), last: toMs(s.lastXactTime) }));
  const usable = new Set<string>();

  for (const tli of timelines) {
    const history = histories.get(tli);
    const owner = ownerOf(history, tli, size);
    const runs = runsFor(timed, owner);
    // Backups on this timeline's path: on it, or on an ancestor before the branch point.
    const onPath = input.backups.filter((b) => {
      if (b.timeline === tli) return true;
      const branch = history?.parents.find((p) => p.timeline === b.timeline);
      return branch !== undefined && parseLsn(b.stopLsn) <= parseLsn(branch.switchLsn) && owner(segNoOf(parseLsn(b.stopLsn), size)) === b.timeline;
    });
    const intervals: WindowInterval[] = [];
    for (const b of onPath) {
      const stopSeg = segNoOf(parseLsn(b.stopLsn), size);
      // The stop segment itself may be missing: the server switches segments when a backup stops, so a slot
      // made afterwards starts the archive at the next one, and the tar's copy ends with that switch.
      const run = findRun(runs, stopSeg) ?? runs.find((r) => r.first === stopSeg + 1);
      if (!run) continue;
      usable.add(b.id);
      const to = iso(max(Date.parse(b.stopTime), run.latestFrom[Math.max(0, stopSeg - run.first)]!))!;
      intervals.push({ timeline: tli, from: b.stopTime, to, toLsn: formatLsn(segmentStart(run.last + 1, size)), backupIds: [b.id] });
    }
    window.intervals.push(...mergeIntervals(intervals));

    const earliestStart = Math.min(...onPath.map((b) => segNoOf(parseLsn(b.startLsn), size)));
    runs.forEach((run, i) => {
      window.coverage.push({ timeline: tli, firstSegment: segmentName(owner(run.first), run.first, size), lastSegment: segmentName(owner(run.last), run.last, size), from: iso(run.firstTime), to: iso(run.lastTime) });
      const next = runs[i + 1];
      if (next && run.last >= earliestStart) {
        window.gaps.push({
          timeline: tli,
          firstMissing: segmentName(owner(run.last + 1), run.last + 1, size),
          lastMissing: segmentName(owner(next.first - 1), next.first - 1, size),
          segments: next.first - run.last - 1,
          after: iso(run.lastTime),
          before: iso(next.firstTime),
        });
      }
    });
  }
  window.backups = input.backups.map((b) => ({ id: b.id, timeline: b.timeline, stopTime: b.stopTime, usable: usable.has(b.id) }));
  return window;
}

function mergeIntervals(intervals: WindowInterval[]): WindowInterval[] {
  const sorted = [...intervals].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const merged: WindowInterval[] = [];
  for (const iv of sorted) {
    const last = merged.at(-1);
    if (last && Date.parse(iv.from) <= Date.parse(last.to)) {
      if (Date.parse(iv.to) > Date.parse(last.to)) {
        last.to = iv.to;
        last.toLsn = iv.toLsn;
      }
      last.backupIds.push(...iv.backupIds);
    } else merged.push({ ...iv, backupIds: [...iv.backupIds] });
  }
  return merged;
}

/** Whether a target time lies in the window, and if not, the nearest valid times either side. */
export function locateTarget(window: RecoverableWindow, target: string, timeline?: number): { inside: WindowInterval | undefined; before?: string; after?: string } {
  const t = Date.parse(target);
  const candidates = window.intervals.filter((iv) => timeline === undefined || iv.timeline === timeline);
  const inside = candidates.find((iv) => Date.parse(iv.from) <= t && t <= Date.parse(iv.to));
  if (inside) return { inside };
  let before = NaN;
  let after = NaN;
  for (const iv of candidates) {
    if (Date.parse(iv.to) < t) before = max(before, Date.parse(iv.to));
    if (Date.parse(iv.from) > t) after = min(after, Date.parse(iv.from));
  }
  return { inside: undefined, before: iso(before), after: iso(after) };
}
