// Plans a restore through pgBackRest or Barman by Lifeboat's own rule: the target is checked against the window
// Lifeboat drew from the engine's backups and archive (OUT_OF_WINDOW with the nearest valid times, the
// missing segments when it falls in a gap), and the backup is the newest that stopped before the target,
// named to the engine explicitly, never its "latest" fallback. Pure.
import { LifeboatError } from '../lifeboatError';
import { describeTarget, intervalAt, type RestoreTarget } from '../wal/planRestore';
import type { RecoverableWindow, WindowInterval } from '../wal/recoverableWindow';
import { parseLsn } from '../wal/walNames';
import type { EngineRestorePoint } from './engineRestorePoints';
import type { EngineBackup, EngineTarget } from './existingEngine';

/** A transaction target, when the contract carries one (restoring to where a transaction committed). */
type XidTarget = { kind: 'xid'; xid: string; inclusive: boolean; commitLsn?: string };
export type EngineRestoreTarget = RestoreTarget | XidTarget;

export interface EnginePlan {
  backup: EngineBackup;
  timeline: number;
  target: EngineTarget;
  describe: string;
}

/** A backup id as Lifeboat shows it for an engine's backup: "<service>:<engine label>". */
export const engineBackupId = (serviceId: string, label: string) => `${serviceId}:${label}`;

/** The engine's label in a Lifeboat backup id (or the label itself). */
export const engineLabelOf = (backupId: string) => backupId.slice(backupId.indexOf(':') + 1);

/** recovery_target_time as PostgreSQL reads it, with its zone: "2026-12-07 02:54:36.679+00". */
export const postgresTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+00');

const newestFirst = (a: EngineBackup, b: EngineBackup) => b.consistentAt.localeCompare(a.consistentAt);

function pick(backups: EngineBackup[], interval: WindowInterval, fits: (b: EngineBackup) => boolean, what: string): EngineBackup {
  const backup = backups.filter((b) => interval.backupIds.includes(b.label) && fits(b)).sort(newestFirst)[0];
  if (!backup) throw new LifeboatError('OUT_OF_WINDOW', `No backup finished before ${what}.`, 'A restore needs a backup that stopped before the target.');
  return backup;
}

function byLsn(window: RecoverableWindow, backups: EngineBackup[], lsn: string, what: string, timeline?: number): { backup: EngineBackup; timeline: number } {
  const at = parseLsn(lsn);
  const inside = window.intervals.find((iv) => (timeline === undefined || iv.timeline === timeline) && backups.some((b) => iv.backupIds.includes(b.label) && parseLsn(b.stopLsn) <= at) && at <= parseLsn(iv.toLsn));
  if (!inside) throw new LifeboatError('OUT_OF_WINDOW', `${what} is outside the recoverable window.`, `Valid ranges end at: ${window.intervals.map((i) => `timeline ${i.timeline} ${i.toLsn}`).join(', ') || 'none'}.`);
  return { backup: pick(backups, inside, (b) => parseLsn(b.stopLsn) <= at, what), timeline: inside.timeline };
}

/** restorePoints: the archive's named restore points (engineRestorePoints.ts), needed for a 'name' target. */
export function planEngineRestore(window: RecoverableWindow, backups: EngineBackup[], target: EngineRestoreTarget, serviceId: string, restorePoints: EngineRestorePoint[] = []): EnginePlan {
  const describe = target.kind === 'xid' ? `${target.inclusive ? 'just after' : 'just before'} transaction ${target.xid} commits` : describeTarget(target);
  if (target.kind === 'immediate') {
    const label = engineLabelOf(target.backupId);
    const backup = backups.find((b) => b.label === label);
    if (!backup) throw new LifeboatError('NOT_FOUND', `No backup ${target.backupId}.`, `List the backups: lifeboat backups ${serviceId}.`);
    return { backup, timeline: backup.timeline, target: { kind: 'immediate' }, describe: `the end of backup ${label} (${backup.finishedAt})` };
  }
  if (!window.intervals.length)
    throw new LifeboatError('OUT_OF_WINDOW', `There is no point in time to restore ${serviceId} to: no backup has its archived WAL.`, `Check the engine's archive (archive_command, the engine's check command) and take a backup after archiving works.`);
  const latest = [...window.intervals].sort((a, b) => a.to.localeCompare(b.to) || a.timeline - b.timeline).at(-1)!;
  const oldestOf = (iv: WindowInterval) => backups.filter((b) => iv.backupIds.includes(b.label)).sort(newestFirst).at(-1)!;

  switch (target.kind) {
    case 'time': {
      const { t, where } = intervalAt(window, target.time);
      const backup = pick(backups, where.inside, (b) => Date.parse(b.consistentAt) <= t, describe);
      return { backup, timeline: where.inside.timeline, target: { kind: 'time', time: postgresTime(t), inclusive: target.inclusive }, describe };
    }
    case 'lsn':
      return { ...byLsn(window, backups, target.lsn, `LSN ${target.lsn}`), target: { kind: 'lsn', lsn: target.lsn, inclusive: target.inclusive }, describe };
    case 'xid': {
      const engineTarget: EngineTarget = { kind: 'xid', xid: target.xid, inclusive: target.inclusive };
      // Where the transaction committed decides the backup.
      if (target.commitLsn) return { ...byLsn(window, backups, target.commitLsn, `Transaction ${target.xid} (commit record at ${target.commitLsn})`), target: engineTarget, describe };
      // Without it nothing tells which backups stopped before the commit (WAL records carry no xid index): the
      // oldest backup of the newest timeline reaches any transaction after it, and a transaction that is not
      // there ends the restore with "not reached", never a silent latest. The plan says so.
      const backup = oldestOf(latest);
      return { backup, timeline: latest.timeline, target: engineTarget, describe: `${describe} (from the oldest backup of timeline ${latest.timeline}, ${backup.label}, stopped ${backup.consistentAt}: without the commit's LSN Lifeboat cannot tell which newer backup stopped before it; give --commit-lsn to start from the newest)` };
    }
    case 'name': {
      // The first point of that name in the archive, as PostgreSQL's recovery meets it.
      const point = restorePoints.find((p) => p.name === target.name);
      if (!point) throw new LifeboatError('OUT_OF_WINDOW', `No restore point named "${target.name}" in the archived WAL of ${serviceId}.`, `Restore points are made with pg_create_restore_point('${target.name}') and must be archived; restore to a time instead: lifeboat pitr ${serviceId} --at <time-with-zone>.`);
      const where = `Restore point "${target.name}" (at ${point.lsn} on timeline ${point.timeline})`;
      return { ...byLsn(window, backups, point.lsn, where, point.timeline), target: { kind: 'name', name: target.name }, describe };
    }
    case 'latest':
      return { backup: pick(backups, latest, () => true, describe), timeline: latest.timeline, target: { kind: 'latest' }, describe };
  }
}
