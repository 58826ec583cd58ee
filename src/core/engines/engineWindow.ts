// The recoverable window of a service backed up by pgBackRest or Barman, drawn the way Lifeboat draws its own:
// the engine's backups and the WAL names it lists go into computeRecoverableWindow, so a hole in the archive is
// a named gap. Commit times come from Lifeboat's WAL scanner on the few segments that bound each contiguous run
// (engineWalScan.ts: fetched through the engine's own command, remembered per segment).
import { computeRecoverableWindow, type ArchivedSegment, type RecoverableWindow } from '../wal/recoverableWindow';
import { historyTimeline, isSegmentName, parseHistoryFile, parseLsn, parseSegmentName, segNoOf, segmentName, type TimelineHistory } from '../wal/walNames';
import { openEngineWalScan } from './engineWalScan';
import type { EngineBackup, ExistingEngine } from './existingEngine';

/** How far from a run's end Lifeboat looks for a segment with a commit (a quiet server closes empty ones). */
const SCAN_REACH = 8;

export interface EngineWindow {
  backups: EngineBackup[];
  window: RecoverableWindow;
  /** Backups the window cannot use, with why (the engine marks them, or WAL of their own run is missing). */
  unusable: Map<string, string>;
}

/** Contiguous runs of segment numbers per timeline. */
function runsOf(segments: Array<{ timeline: number; segNo: number }>): Array<{ timeline: number; first: number; last: number }> {
  const runs: Array<{ timeline: number; first: number; last: number }> = [];
  for (const s of [...segments].sort((a, b) => a.timeline - b.timeline || a.segNo - b.segNo)) {
    const run = runs.at(-1);
    if (run && run.timeline === s.timeline && s.segNo === run.last + 1) run.last = s.segNo;
    else runs.push({ timeline: s.timeline, first: s.segNo, last: s.segNo });
  }
  return runs;
}

export async function engineWindow(engine: ExistingEngine, o: { stateDir: string; serviceId: string; signal?: AbortSignal }): Promise<EngineWindow> {
  const [backups, names] = await Promise.all([engine.backups(o.signal), engine.archivedWal(o.signal)]);
  const listed = new Set(names);
  const segments = names.filter(isSegmentName).map((name) => ({ name, ...parseSegmentName(name) }));
  const scan = await openEngineWalScan(engine, o);
  const histories: TimelineHistory[] = [];
  try {
    for (const name of names.filter((n) => historyTimeline(n) !== undefined)) histories.push(parseHistoryFile(historyTimeline(name)!, await scan.history(name)));
    // Each run's last commit (the window's end and a gap's "after") and first commit (a gap's "before").
    const timesOf = (name: string) => scan.segment(name);
    for (const run of runsOf(segments)) {
      for (let seg = run.last; seg >= Math.max(run.first, run.last - SCAN_REACH); seg--) if ((await timesOf(segmentName(run.timeline, seg))).last) break;
      for (let seg = run.first; seg <= Math.min(run.last, run.first + SCAN_REACH); seg++) if ((await timesOf(segmentName(run.timeline, seg))).first) break;
    }
  } finally {
    await scan.close(listed);
  }

  // An engine's backup needs the archived WAL from its start to its stop (pgBackRest and Barman keep it there).
  const unusable = new Map<string, string>();
  for (const b of backups) {
    if (b.problem) {
      unusable.set(b.label, b.problem);
      continue;
    }
    const [from, to] = [segNoOf(parseLsn(b.startLsn)), segNoOf(parseLsn(b.stopLsn))];
    const missing: string[] = [];
    for (let seg = from; seg <= to; seg++) if (!listed.has(segmentName(b.timeline, seg))) missing.push(segmentName(b.timeline, seg));
    if (missing.length) unusable.set(b.label, `WAL of its own run is missing from the archive: ${missing[0]}${missing.length > 1 ? `..${missing.at(-1)}` : ''}`);
  }
  const archived: ArchivedSegment[] = segments.map((s) => ({ timeline: s.timeline, segNo: s.segNo, firstXactTime: scan.remembered(s.name)?.first, lastXactTime: scan.remembered(s.name)?.last }));
  const window = computeRecoverableWindow({
    segments: archived,
    histories,
    backups: backups.filter((b) => !unusable.has(b.label)).map((b) => ({ id: b.label, timeline: b.timeline, startLsn: b.startLsn, stopLsn: b.stopLsn, stopTime: b.consistentAt })),
  });
  window.backups.push(...backups.filter((b) => unusable.has(b.label)).map((b) => ({ id: b.label, timeline: b.timeline, stopTime: b.consistentAt, usable: false })));
  return { backups, window, unusable };
}
