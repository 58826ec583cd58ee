// One database's backup history prepared for planning: LSNs parsed to BigInt and times to epoch ms once, sets
// split by kind, and the log-chain walk (which log continues from an LSN) answered in O(log n) per step.
import type { SqlBackupSet } from '../../shared/sqlServer';
import { LifeboatError } from '../lifeboatError';
import { parseLsn } from './sqlLsn';
import { setsOfDatabase } from './databaseNameMatch';

export interface IndexedSet {
  set: SqlBackupSet;
  first: bigint;
  last: bigint;
  /** Fulls and differentials only (0 on logs). */
  checkpoint: bigint;
  /** A differential's base: differential_base_lsn, or database_backup_lsn when msdb left it NULL. */
  diffBase: bigint | null;
  fork: bigint | null;
  startMs: number;
  finishMs: number;
  /** Counts forks and re-creations before this set: sets of different epochs are on different branches. */
  epoch: number;
  /** family_guid and recovery fork GUIDs, lower-cased once (compared on every step of a chain walk). */
  family: string | null;
  forkIn: string | null;
  forkOut: string | null;
}

export interface HistoryIndex {
  databaseName: string;
  /** Sorted by finish time, oldest first. */
  fulls: IndexedSet[];
  diffs: IndexedSet[];
  /** Every log set, sorted by first LSN (usable or not), for gap and skip reports. */
  logs: IndexedSet[];
  /** The log that continues a chain restored up to `from` (a full, differential or log), or null. */
  nextLog(from: IndexedSet): IndexedSet | null;
  /** The last log reachable from `from` without a break (memoised), or `from` itself. */
  chainEnd(from: IndexedSet): IndexedSet;
  /** Why a set cannot be restored at all (damaged, written to NUL), or null when it can. */
  setUnusable(set: IndexedSet): string | null;
  /** Why a log can never join a chain (unusable, or spans a recovery fork), or null when it can. */
  logUnusable(log: IndexedSet): string | null;
}

function timeOf(set: SqlBackupSet, field: 'backupStartDate' | 'backupFinishDate'): number {
  const ms = Date.parse(set[field]);
  if (Number.isNaN(ms)) {
    throw new LifeboatError('INVALID_INPUT', `Backup set ${set.id} has no valid ${field} ("${set[field]}").`, 'Times must be ISO 8601 with a zone, e.g. 2026-11-25T10:00:00+01:00.');
  }
  return ms;
}

function indexSet(set: SqlBackupSet): IndexedSet {
  // Only fulls and differentials need their checkpoint and base: logs are most of a history, parse less.
  const base = set.type === 'I' ? set.differentialBaseLsn ?? set.databaseBackupLsn : null;
  return {
    set,
    first: parseLsn(set.firstLsn),
    last: parseLsn(set.lastLsn),
    checkpoint: set.type === 'L' ? 0n : parseLsn(set.checkpointLsn),
    diffBase: base ? parseLsn(base) : null,
    fork: set.forkPointLsn ? parseLsn(set.forkPointLsn) : null,
    startMs: timeOf(set, 'backupStartDate'),
    finishMs: timeOf(set, 'backupFinishDate'),
    epoch: 0,
    family: set.familyGuid?.toLowerCase() || null,
    forkIn: set.firstRecoveryForkGuid?.toLowerCase() || null,
    forkOut: set.lastRecoveryForkGuid?.toLowerCase() || null,
  };
}

const sameText = (a: string | null, b: string | null) => a === null || b === null || a === b;

/**
 * Whether `next` can follow `prev` in one restore sequence: the same database family (a dropped and re-created
 * database starts a new one), the same branch since the last restore-made fork, and, when msdb recorded them,
 * the recovery fork `prev` ends on is the one `next` starts on.
 */
export function sameBranch(prev: IndexedSet, next: IndexedSet): boolean {
  return prev.epoch === next.epoch && sameText(prev.family, next.family) && sameText(prev.forkOut, next.forkIn);
}

/** In logs sorted by first LSN, the index of the first one starting after `lsn` (logs.length if none). */
export function firstStartingAfter(logs: IndexedSet[], lsn: bigint): number {
  let lo = 0;
  let hi = logs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (logs[mid]!.first > lsn) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * LSNs restart below old ones after a restore to an earlier point (and in a re-created database), so LSNs alone
 * cannot tell branches apart: in time order, each log that spans a fork (fork_point_lsn set) and each change of
 * family_guid opens a new epoch.
 */
function assignEpochs(sets: IndexedSet[]): void {
  let epoch = 0;
  let family: string | null = null;
  for (const s of [...sets].sort((a, b) => a.startMs - b.startMs)) {
    if ((s.set.type === 'L' && s.fork !== null) || (s.family !== null && family !== null && s.family !== family)) epoch++;
    family = s.family ?? family;
    s.epoch = epoch;
  }
}

/** Usable logs of one epoch sorted by first LSN, with prefixMax[i] the furthest last LSN among logs[0..i]. */
interface LogRun {
  logs: IndexedSet[];
  prefixMax: bigint[];
}

function logRuns(usable: IndexedSet[]): Map<number, LogRun> {
  const runs = new Map<number, LogRun>();
  for (const l of usable) {
    let run = runs.get(l.epoch);
    if (!run) runs.set(l.epoch, (run = { logs: [], prefixMax: [] }));
    const before = run.prefixMax.at(-1);
    run.logs.push(l);
    run.prefixMax.push(before === undefined || l.last > before ? l.last : before);
  }
  return runs;
}

export function indexHistory(history: SqlBackupSet[], databaseName: string): HistoryIndex {
  const sets = setsOfDatabase(history, databaseName).map(indexSet);
  assignEpochs(sets);
  const byFinish = (a: IndexedSet, b: IndexedSet) => a.finishMs - b.finishMs || (a.last < b.last ? -1 : a.last > b.last ? 1 : 0);
  const fulls = sets.filter((s) => s.set.type === 'D').sort(byFinish);
  const diffs = sets.filter((s) => s.set.type === 'I').sort(byFinish);
  const logs = sets.filter((s) => s.set.type === 'L').sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.startMs - b.startMs));

  const setUnusable = (s: IndexedSet): string | null => {
    if (s.set.isDamaged) return 'is damaged (msdb marks it is_damaged): RESTORE would stop on it';
    // BACKUP ... TO DISK = 'NUL' is recorded in msdb like any backup, but nothing was kept: a classic chain breaker.
    if (s.set.devices.length > 0 && s.set.devices.every((d) => /^nul:?$/i.test(d.trim()))) return 'was written to the NUL device: nothing was kept';
    return null;
  };
  const logUnusable = (log: IndexedSet): string | null => {
    const unusable = setUnusable(log);
    if (unusable) return unusable;
    // A log that spans a recovery fork joins two branches of history; Lifeboat does not plan across a fork.
    if (log.fork !== null) return `spans a recovery fork at LSN ${log.fork} (the database was restored to an earlier point): logs before and after it belong to different branches`;
    return null;
  };
  // One run per epoch: a walk never scans another branch's logs, whose LSNs may overlap this one's.
  const runs = logRuns(logs.filter((l) => logUnusable(l) === null));

  const nextLog = (from: IndexedSet): IndexedSet | null => {
    // SQL Server applies a log when first_lsn <= the restored point < last_lsn (else 4305 too recent / 4326
    // too early). Among several (a copy-only log beside a regular one) the one reaching furthest wins. A log
    // started before `from` cannot follow it: that keeps an abandoned branch's logs out after a restore.
    // A full or differential taken under SIMPLE recovery starts no log chain (BACKUP LOG fails until the next one).
    if (from.set.type !== 'L' && from.set.recoveryModel === 'SIMPLE') return null;
    const run = runs.get(from.epoch);
    if (!run) return null;
    const at = from.last;
    let best: IndexedSet | null = null;
    // Scan back from the last log starting at or before `at`; stop once nothing earlier reaches past it.
    for (let j = firstStartingAfter(run.logs, at) - 1; j >= 0 && run.prefixMax[j]! > at; j--) {
      const c = run.logs[j]!;
      if (c.last > at && c.startMs >= from.startMs && sameBranch(from, c) && (!best || c.last > best.last)) best = c;
    }
    return best;
  };

  const ends = new Map<IndexedSet, IndexedSet>();
  const chainEnd = (from: IndexedSet): IndexedSet => {
    // Iterative, memoised per log: a window over thousands of logs walks each link once.
    const path: IndexedSet[] = [];
    let cur = from;
    let end: IndexedSet | undefined;
    for (;;) {
      end = ends.get(cur);
      if (end) break;
      path.push(cur);
      const next = nextLog(cur);
      if (!next) {
        end = cur;
        break;
      }
      cur = next;
    }
    for (const p of path) if (p.set.type === 'L') ends.set(p, end);
    return end;
  };

  return { databaseName, fulls, diffs, logs, nextLog, chainEnd, setUnusable, logUnusable };
}
