// Which archived segments hold the transactions of a time range: on the newest timeline's path (its history
// file says where it branched), from the segment before the first one that commits in the range (a
// transaction's rows may be written long before its commit) to the last one that commits in it, split into
// runs of consecutive segments of one timeline (pg_waldump reads one timeline, and a gap breaks a run). Pure.
import type { WalEntry } from '../wal/walArchive';
import { historyTimeline, parseHistoryFile, parseLsn, parseSegmentName, segNoOf } from '../wal/walNames';

export interface SegmentRun {
  timeline: number;
  /** Consecutive segments, in order. */
  segments: Array<{ name: string; segNo: number; bytes: number }>;
}

export interface ScanPlan {
  timeline: number;
  runs: SegmentRun[];
  /** Missing segments between the first and the last: what happened there cannot be seen. */
  gaps: Array<{ from: string; to: string }>;
}

export function planScanSegments(wal: WalEntry[], from: string, to: string): ScanPlan | undefined {
  const segments = wal.filter((e) => e.kind === 'segment').map((e) => ({ e, ...parseSegmentName(e.name) }));
  if (!segments.length) return undefined;
  const timeline = Math.max(...segments.map((s) => s.timeline));
  // Where each timeline of the path starts: the root at segment 0, each child at its switch point's segment.
  const history = wal.find((e) => e.kind === 'history' && historyTimeline(e.name) === timeline && e.history !== undefined);
  const parents = history ? parseHistoryFile(timeline, history.history!).parents : [];
  const starts = [...parents.map((p, i) => ({ timeline: p.timeline, startSeg: i === 0 ? 0 : segNoOf(parseLsn(parents[i - 1]!.switchLsn)) })), { timeline, startSeg: parents.length ? segNoOf(parseLsn(parents.at(-1)!.switchLsn)) : 0 }];
  const timelineAt = (segNo: number) => [...starts].reverse().find((s) => s.startSeg <= segNo)!.timeline;
  const path = segments.filter((s) => s.timeline === timelineAt(s.segNo)).sort((a, b) => a.segNo - b.segNo);

  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const first = path.findIndex((s) => s.e.lastXactTime !== undefined && Date.parse(s.e.lastXactTime) >= fromMs);
  if (first < 0) return undefined;
  let last = -1;
  for (let i = path.length - 1; i >= first; i--)
    if (path[i]!.e.firstXactTime !== undefined && Date.parse(path[i]!.e.firstXactTime!) <= toMs) {
      last = i;
      break;
    }
  if (last < 0) return undefined;
  const chosen = path.slice(Math.max(0, first - 1), last + 1);

  const runs: SegmentRun[] = [];
  const gaps: ScanPlan['gaps'] = [];
  for (const s of chosen) {
    const run = runs.at(-1);
    const prev = run?.segments.at(-1);
    const item = { name: s.e.name, segNo: s.segNo, bytes: s.e.file.sourceBytes };
    if (run && prev && run.timeline === s.timeline && prev.segNo + 1 === s.segNo) run.segments.push(item);
    else {
      if (prev && prev.segNo + 1 < s.segNo) gaps.push({ from: `after ${prev.name}`, to: `before ${s.e.name}` });
      runs.push({ timeline: s.timeline, segments: [item] });
    }
  }
  return { timeline, runs, gaps };
}
