// The times a SQL Server database can be restored to from its backup history: each usable full or
// differential opens an interval at its finish that runs to the end of the log chain after it; the union of
// those intervals is the window, and what lies between them is a gap named by its missing LSN range.
import type { SqlBackupSet, SqlRecoverableWindow } from '../../shared/sqlServer';
import { firstStartingAfter, indexHistory, sameBranch, type HistoryIndex, type IndexedSet } from './sqlHistoryIndex';

/** The full a differential was taken against: its checkpoint LSN is the differential base. */
export function baseFullOf(index: HistoryIndex, diff: IndexedSet): IndexedSet | null {
  // Copy-only fulls never reset the differential base, so they are never a differential's base.
  const matches = index.fulls.filter((f) => !f.set.isCopyOnly && f.checkpoint === diff.diffBase && f.finishMs <= diff.finishMs && sameBranch(f, diff));
  return matches.at(-1) ?? null;
}

/** Whether a differential can be restored at all (its own state and its base full's). */
export function diffUsable(index: HistoryIndex, diff: IndexedSet): boolean {
  const full = baseFullOf(index, diff);
  return index.setUnusable(diff) === null && full !== null && index.setUnusable(full) === null;
}

interface Interval {
  fromMs: number;
  toMs: number;
  from: string;
  to: string;
  fromLsn: bigint;
  toLsn: bigint;
  end: IndexedSet;
}

function reach(index: HistoryIndex, base: IndexedSet): Interval {
  const end = index.chainEnd(base);
  return { fromMs: base.finishMs, toMs: end.finishMs, from: base.set.backupFinishDate, to: end.set.backupFinishDate, fromLsn: base.last, toLsn: end.last, end };
}

/** Why the chain stops after `end`, and the LSN where it could have gone on (null: only the next base). */
function breakAfter(index: HistoryIndex, end: IndexedSet, untilMs: number): { cause: 'missing' | 'damaged' | 'fork'; reason: string; resume: bigint | null } {
  const fork = index.logs.find((l) => l.fork !== null && l.startMs >= end.startMs && l.startMs <= untilMs);
  if (fork) return { cause: 'fork', reason: `the database was restored: log ${fork.set.id} starts a new recovery fork at LSN ${fork.fork}`, resume: null };
  const recreated = [...index.fulls, ...index.diffs, ...index.logs].find((s) => s.family !== null && end.family !== null && s.family !== end.family && s.startMs >= end.startMs && s.startMs <= untilMs);
  if (recreated) return { cause: 'fork', reason: `the database was dropped and re-created: backup ${recreated.set.id} belongs to a new database family`, resume: null };
  const simple = [...index.fulls, ...index.diffs].find((b) => b.set.recoveryModel === 'SIMPLE' && b.startMs >= end.startMs && b.startMs <= untilMs);
  if (simple) return { cause: 'missing', reason: `the database was in SIMPLE recovery (backup ${simple.set.id}): the log chain restarts only after a full or differential taken under FULL recovery`, resume: null };
  const covering = index.logs.filter((l) => l.first <= end.last && l.last > end.last && sameBranch(end, l) && index.logUnusable(l) !== null);
  const damaged = covering[0];
  if (damaged) return { cause: 'damaged', reason: `log ${damaged.set.id} ${index.logUnusable(damaged)}`, resume: damaged.last };
  // Logs are sorted by first LSN: the first usable one after the end on the same branch is where it resumes.
  for (let i = firstStartingAfter(index.logs, end.last); i < index.logs.length; i++) {
    const l = index.logs[i]!;
    if (index.logUnusable(l) === null && sameBranch(end, l)) return { cause: 'missing', reason: `no log backup in the history starts at LSN ${end.last}: a log backup is missing`, resume: l.first };
  }
  return { cause: 'missing', reason: `no log backup in the history starts at LSN ${end.last}`, resume: null };
}

export function windowFromIndex(index: HistoryIndex): SqlRecoverableWindow {
  const bases = [...index.fulls.filter((f) => index.setUnusable(f) === null), ...index.diffs.filter((d) => diffUsable(index, d))];
  const spans = bases.map((b) => reach(index, b)).sort((a, b) => a.fromMs - b.fromMs);
  const merged: Interval[] = [];
  for (const s of spans) {
    const cur = merged.at(-1);
    if (cur && s.fromMs <= cur.toMs) {
      if (s.toMs > cur.toMs) Object.assign(cur, { toMs: s.toMs, to: s.to, toLsn: s.toLsn });
    } else merged.push({ ...s });
  }

  const gaps: SqlRecoverableWindow['gaps'] = [];
  for (const [i, cur] of merged.entries()) {
    const next = merged[i + 1];
    const { cause, reason, resume } = breakAfter(index, cur.end, next ? next.fromMs : Number.POSITIVE_INFINITY);
    if (next) {
      gaps.push({ fromLsn: cur.toLsn.toString(), toLsn: (resume ?? next.fromLsn).toString(), after: cur.to, before: next.from, cause, reason });
    } else if (resume !== null) {
      // Logs exist past the end of the window: they are stranded behind a break until a new full is taken.
      gaps.push({ fromLsn: cur.toLsn.toString(), toLsn: resume.toString(), after: cur.to, cause, reason });
    }
  }

  return {
    databaseName: index.databaseName,
    intervals: merged.map((m) => ({ from: m.from, to: m.to, fromLsn: m.fromLsn.toString(), toLsn: m.toLsn.toString() })),
    gaps,
    fulls: index.fulls.map((f) => ({ id: f.set.id, finishedAt: f.set.backupFinishDate, usable: index.setUnusable(f) === null, copyOnly: f.set.isCopyOnly })),
  };
}

export function sqlRecoverableWindow(history: SqlBackupSet[], databaseName: string): SqlRecoverableWindow {
  return windowFromIndex(indexHistory(history, databaseName));
}
