// Plans a point-in-time restore: checks the target against the recoverable window (OUT_OF_WINDOW with the
// nearest valid times, naming a gap when the target falls in one), picks the newest base backup that
// stopped before it, and lists the WAL files recovery will read. Pure.
import { LifeboatError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import { computeRecoverableWindow, locateTarget, type RecoverableWindow, type WindowInterval } from './recoverableWindow';
import type { WalEntry } from './walArchive';
import { toWindowInput } from './walArchive';
import { historyTimeline, parseLsn, parseSegmentName, segNoOf } from './walNames';

export type RestoreTarget =
  | { kind: 'time'; time: string; inclusive: boolean }
  | { kind: 'lsn'; lsn: string; inclusive: boolean }
  | { kind: 'name'; name: string }
  /** A transaction; its commit record's LSN picks the base backup (the core looks it up when not given). */
  | { kind: 'xid'; xid: string; inclusive: boolean; commitLsn?: string }
  | { kind: 'latest' }
  /** The moment a backup became consistent (its stop point), with only the WAL its own tar carries. */
  | { kind: 'immediate'; backupId: string };

export interface RestorePlan {
  backup: BackupManifest;
  timeline: number;
  /** WAL files to stage for recovery, in order (history files first). */
  walFiles: string[];
  /** postgresql.conf lines for the target. */
  recoverySettings: Record<string, string>;
  describe: string;
  window: RecoverableWindow;
}

/**
 * postgresql.auto.conf lines of an earlier restore, which a backup of a restored server carries (PostgreSQL
 * never removes them): a stale recovery_target_time would stop a "latest" restore at the old point, silently,
 * and a second target makes PostgreSQL refuse to start. Setting them to '' does not help (PostgreSQL checks
 * each target against the others as it reads them), so a restore removes these lines before adding its own.
 */
export const STALE_RECOVERY_LINE = /^\s*(restore_command|recovery_target[a-z_]*)\s*=/;

/** The file without an earlier restore's recovery lines. */
export function withoutRecoveryLines(autoConf: string): string {
  return autoConf.split('\n').filter((l) => !STALE_RECOVERY_LINE.test(l)).join('\n');
}

export function describeTarget(t: RestoreTarget): string {
  switch (t.kind) {
    case 'time':
      return `${t.inclusive ? 'up to and including' : 'just before'} ${t.time}`;
    case 'lsn':
      return `${t.inclusive ? 'up to and including' : 'just before'} LSN ${t.lsn}`;
    case 'name':
      return `restore point "${t.name}"`;
    case 'xid':
      return `${t.inclusive ? 'just after' : 'just before'} transaction ${t.xid} commits${t.commitLsn ? ` (its commit record at ${t.commitLsn})` : ''}`;
    case 'latest':
      return 'the latest archived transaction';
    case 'immediate':
      return `the end of backup ${t.backupId}`;
  }
}

/** Archived segments of timeline (and its ancestors) from segment `from` on, in order (history files first). */
function walToStage(wal: WalEntry[], timeline: number, from: number, until: (s: { e: WalEntry; timeline: number; segNo: number }) => boolean): string[] {
  const segs = wal
    .filter((e) => e.kind === 'segment')
    .map((e) => ({ e, ...parseSegmentName(e.name) }))
    .filter((s) => s.segNo >= from && s.timeline <= timeline)
    .sort((a, b) => a.segNo - b.segNo || b.timeline - a.timeline);
  const files: string[] = wal.filter((e) => e.kind === 'history' && historyTimeline(e.name)! <= timeline).map((e) => e.name);
  for (const s of segs) {
    files.push(s.e.name);
    if (until(s)) break;
  }
  return files;
}

/** To the end of one backup: recovery_target = 'immediate' stops as soon as the copy is consistent. */
function planToBackupEnd(physical: BackupManifest[], wal: WalEntry[], backupId: string, window: RecoverableWindow): RestorePlan {
  const backup = physical.find((b) => b.id === backupId);
  if (!backup) throw new LifeboatError('NOT_FOUND', `No physical backup ${backupId}.`, 'List the backups: lifeboat backups <service>.');
  const timeline = backup.physical!.timeline;
  const stopSeg = segNoOf(parseLsn(backup.physical!.stopLsn));
  // The backup's tar holds this WAL already; archived copies are staged when there, never required.
  const walFiles = walToStage(wal, timeline, segNoOf(parseLsn(backup.physical!.startLsn)), (s) => s.segNo >= stopSeg);
  return {
    backup,
    timeline,
    walFiles,
    recoverySettings: { recovery_target: 'immediate', recovery_target_timeline: String(timeline) },
    describe: `the end of backup ${backup.id} (${backup.finishedAt})`,
    window,
  };
}

/**
 * The window's interval holding a target time; outside the window, OUT_OF_WINDOW with the nearest valid times
 * and, when it falls in a gap, the missing segments. Also used by restores through pgBackRest and Barman.
 */
export function intervalAt(window: RecoverableWindow, time: string): { t: number; where: { inside: WindowInterval } } {
  const t = Date.parse(time);
  if (Number.isNaN(t)) throw new LifeboatError('INVALID_INPUT', `Not a time: ${time}`, 'Give an ISO 8601 time with its zone, e.g. 2026-11-25T14:03:00+01:00.');
  const where = locateTarget(window, time);
  if (!where.inside) {
    const gap = window.gaps.find((g) => g.after && g.before && Date.parse(g.after) < t && t < Date.parse(g.before));
    const nearest = [where.before && `latest before it: ${where.before}`, where.after && `earliest after it: ${where.after}`].filter(Boolean).join('; ');
    throw new LifeboatError(
      'OUT_OF_WINDOW',
      `${time} is outside the recoverable window${gap ? ` (WAL segments ${gap.firstMissing}..${gap.lastMissing} are missing)` : ''}.`,
      `Nearest valid times: ${nearest || 'none'}.`,
    );
  }
  return { t, where: { inside: where.inside } };
}

export function planRestore(backups: BackupManifest[], wal: WalEntry[], target: RestoreTarget): RestorePlan {
  const physical = backups.filter((b) => b.kind === 'physical' && b.physical);
  const { segments, histories } = toWindowInput(wal);
  const window = computeRecoverableWindow({
    segments,
    histories,
    backups: physical.map((b) => ({ id: b.id, timeline: b.physical!.timeline, startLsn: b.physical!.startLsn, stopLsn: b.physical!.stopLsn, stopTime: b.finishedAt })),
  });
  if (target.kind === 'immediate') return planToBackupEnd(physical, wal, target.backupId, window);
  if (!window.intervals.length) {
    const newest = [...physical].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
    if (!newest)
      throw new LifeboatError('OUT_OF_WINDOW', 'There is nothing to restore to: this service has no physical backup.', 'Take one: lifeboat backup <service> --kind physical.');
    throw new LifeboatError(
      'OUT_OF_WINDOW',
      `There is no point in time to restore ${newest.serviceId} to: no physical backup has archived WAL from its end on.`,
      `Backup ${newest.id} is self-contained: lifeboat pitr ${newest.serviceId} --immediate ${newest.id} restores it to its own end. For points in time, archive WAL (lifeboat wal stream ${newest.serviceId}) and take a backup after it starts.`,
    );
  }

  let timeline: number;
  let candidates: string[];
  let bound: (b: BackupManifest) => boolean;
  const settings: Record<string, string> = {};
  if (target.kind === 'time') {
    const { t, where } = intervalAt(window, target.time);
    timeline = where.inside.timeline;
    candidates = where.inside.backupIds;
    bound = (b) => Date.parse(b.finishedAt) <= t;
    settings.recovery_target_time = new Date(t).toISOString().replace('T', ' ').replace('Z', '+00');
    settings.recovery_target_inclusive = target.inclusive ? 'on' : 'off';
  } else if (target.kind === 'lsn') {
    const lsn = parseLsn(target.lsn);
    const inside = window.intervals.find((iv) => iv.backupIds.some((id) => parseLsn(physical.find((b) => b.id === id)!.physical!.stopLsn) <= lsn) && lsn <= parseLsn(iv.toLsn));
    if (!inside) throw new LifeboatError('OUT_OF_WINDOW', `LSN ${target.lsn} is outside the recoverable window.`, `Valid ranges end at: ${window.intervals.map((i) => i.toLsn).join(', ')}.`);
    timeline = inside.timeline;
    candidates = inside.backupIds;
    bound = (b) => parseLsn(b.physical!.stopLsn) <= lsn;
    settings.recovery_target_lsn = target.lsn;
    settings.recovery_target_inclusive = target.inclusive ? 'on' : 'off';
  } else if (target.kind === 'xid') {
    if (!target.commitLsn)
      throw new LifeboatError('INVALID_INPUT', `Where transaction ${target.xid} committed is not known.`, 'Find it first: lifeboat find <service> (each finding carries its commit LSN).');
    const lsn = parseLsn(target.commitLsn);
    // The backup must have stopped before the commit record: a backup still running then would replay it from its tar.
    const inside = window.intervals.find((iv) => iv.backupIds.some((id) => parseLsn(physical.find((b) => b.id === id)!.physical!.stopLsn) <= lsn) && lsn < parseLsn(iv.toLsn));
    if (!inside) throw new LifeboatError('OUT_OF_WINDOW', `Transaction ${target.xid} (commit record at ${target.commitLsn}) is outside the recoverable window.`, `Valid ranges end at: ${window.intervals.map((i) => i.toLsn).join(', ')}.`);
    timeline = inside.timeline;
    candidates = inside.backupIds;
    bound = (b) => parseLsn(b.physical!.stopLsn) <= lsn;
    settings.recovery_target_xid = target.xid;
    settings.recovery_target_inclusive = target.inclusive ? 'on' : 'off';
  } else if (target.kind === 'name') {
    const point = wal.flatMap((e) => e.restorePoints.map((p) => ({ ...p, timeline: parseSegmentName(e.name).timeline }))).find((p) => p.name === target.name);
    if (!point) throw new LifeboatError('OUT_OF_WINDOW', `No restore point named "${target.name}" in the archived WAL.`, 'Restore points are created with pg_create_restore_point(); the WAL holding it must be archived.');
    const inside = window.intervals.find((iv) => iv.timeline === point.timeline && parseLsn(point.lsn) <= parseLsn(iv.toLsn));
    if (!inside) throw new LifeboatError('OUT_OF_WINDOW', `Restore point "${target.name}" is not inside the recoverable window.`, 'A base backup taken before it and the WAL up to it are needed.');
    timeline = inside.timeline;
    candidates = inside.backupIds;
    bound = (b) => parseLsn(b.physical!.stopLsn) <= parseLsn(point.lsn);
    settings.recovery_target_name = target.name;
  } else {
    const last = [...window.intervals].sort((a, b) => Date.parse(a.to) - Date.parse(b.to) || a.timeline - b.timeline).at(-1)!;
    timeline = last.timeline;
    candidates = last.backupIds;
    bound = () => true;
  }
  const backup = physical.filter((b) => candidates.includes(b.id) && bound(b)).sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  if (!backup) throw new LifeboatError('OUT_OF_WINDOW', `No base backup finished before ${describeTarget(target)}.`, 'A restore needs a physical backup that stopped before the target.');
  settings.recovery_target_timeline = String(timeline);

  // Stage the path's WAL from the backup's start (what the archive has of it; the backup's tar has the rest
  // up to its stop); for a time target, up to the first segment that commits after the target (recovery must
  // see that commit to know where to stop).
  // For a transaction, up to the segment after the one holding its commit record (which may run on into it).
  const cutoff = target.kind === 'time' ? Date.parse(target.time) : undefined;
  const lastSegment = target.kind === 'xid' ? segNoOf(parseLsn(target.commitLsn!)) + 1 : undefined;
  const walFiles = walToStage(wal, timeline, segNoOf(parseLsn(backup.physical!.startLsn)), (s) =>
    s.timeline === timeline && ((cutoff !== undefined && !!s.e.firstXactTime && Date.parse(s.e.firstXactTime) > cutoff) || (lastSegment !== undefined && s.segNo >= lastSegment)));
  return { backup, timeline, walFiles, recoverySettings: settings, describe: describeTarget(target), window };
}
