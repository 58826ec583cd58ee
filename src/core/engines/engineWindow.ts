// The recoverable window of a service backed up by pgBackRest or Barman, drawn the way Lifeboat draws its own:
// the engine's backups and the WAL names it lists go into computeRecoverableWindow, so a hole in the archive is
// a named gap. Commit times come from Lifeboat's WAL scanner on the few segments that bound each contiguous run
// (fetched through the engine's own command), remembered per segment in state/engine-wal/<service>.json.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/atomicWrite';
import { computeRecoverableWindow, type ArchivedSegment, type RecoverableWindow } from '../wal/recoverableWindow';
import { scanWalSegment } from '../wal/walRecordScan';
import { historyTimeline, isSegmentName, parseHistoryFile, parseLsn, parseSegmentName, segNoOf, segmentName, type TimelineHistory } from '../wal/walNames';
import { engineWritableDir } from './engineProcess';
import type { EngineBackup, ExistingEngine } from './existingEngine';

/** How far from a run's end Lifeboat looks for a segment with a commit (a quiet server closes empty ones). */
const SCAN_REACH = 8;

interface SegmentTimes {
  first?: string;
  last?: string;
}

interface TimesFile {
  segments: Record<string, SegmentTimes>;
  histories: Record<string, string>;
}

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
  const cacheFile = join(o.stateDir, 'engine-wal', `${o.serviceId}.json`);
  const cache: TimesFile = await readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as TimesFile).catch(() => ({ segments: {}, histories: {} }));
  const listed = new Set(names);
  const segments = names.filter(isSegmentName).map((name) => ({ name, ...parseSegmentName(name) }));
  let changed = false;
  let workDir: string | undefined;
  const fetchPlain = async (name: string): Promise<Buffer | undefined> => {
    workDir ??= await engineWritableDir(engine.account);
    const dest = join(workDir, name);
    if (!(await engine.fetchWal(name, dest, o.signal))) return undefined;
    try {
      return await readFile(dest);
    } finally {
      await rm(dest, { force: true });
    }
  };
  const timesOf = async (name: string): Promise<SegmentTimes> => {
    const known = cache.segments[name];
    if (known) return known;
    const bytes = await fetchPlain(name);
    let times: SegmentTimes = {};
    try {
      const summary = bytes ? scanWalSegment(bytes) : undefined;
      times = { first: summary?.firstXactTime, last: summary?.lastXactTime };
    } catch {
      // Not readable as WAL of a release the scanner knows: its times stay unknown, the window still stands.
    }
    cache.segments[name] = times;
    changed = true;
    return times;
  };

  const histories: TimelineHistory[] = [];
  try {
    for (const name of names.filter((n) => historyTimeline(n) !== undefined)) {
      if (cache.histories[name] === undefined) {
        cache.histories[name] = (await fetchPlain(name))?.toString('utf8') ?? '';
        changed = true;
      }
      histories.push(parseHistoryFile(historyTimeline(name)!, cache.histories[name]!));
    }
    // Each run's last commit (the window's end and a gap's "after") and first commit (a gap's "before").
    for (const run of runsOf(segments)) {
      for (let seg = run.last; seg >= Math.max(run.first, run.last - SCAN_REACH); seg--) if ((await timesOf(segmentName(run.timeline, seg))).last) break;
      for (let seg = run.first; seg <= Math.min(run.last, run.first + SCAN_REACH); seg++) if ((await timesOf(segmentName(run.timeline, seg))).first) break;
    }
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
  if (changed) {
    // Only what the engine still lists: expired WAL leaves the file.
    const keep = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([k]) => listed.has(k)));
    await writeFileAtomic(cacheFile, JSON.stringify({ segments: keep(cache.segments), histories: keep(cache.histories) }) + '\n');
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
  const archived: ArchivedSegment[] = segments.map((s) => ({ timeline: s.timeline, segNo: s.segNo, firstXactTime: cache.segments[s.name]?.first, lastXactTime: cache.segments[s.name]?.last }));
  const window = computeRecoverableWindow({
    segments: archived,
    histories,
    backups: backups.filter((b) => !unusable.has(b.label)).map((b) => ({ id: b.label, timeline: b.timeline, startLsn: b.startLsn, stopLsn: b.stopLsn, stopTime: b.consistentAt })),
  });
  window.backups.push(...backups.filter((b) => unusable.has(b.label)).map((b) => ({ id: b.label, timeline: b.timeline, stopTime: b.consistentAt, usable: false })));
  return { backups, window, unusable };
}
