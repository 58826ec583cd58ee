// Which backups restore a SQL Server database to a point in time: the newest full finished before the target,
// the newest usable differential on that full, then the logs that continue the LSN chain up to the one that
// holds the target. The rules follow Microsoft's RESTORE documentation and dbatools' Select-DbaBackupInformation.
import type { SqlBackupSet, SqlRecoverableWindow, SqlRestorePlan, SqlRestoreStep, SqlRestoreTarget } from '../../shared/sqlServer';
import { LifeboatError } from '../lifeboatError';
import { indexHistory, type HistoryIndex, type IndexedSet } from './sqlHistoryIndex';
import { baseFullOf, diffUsable, windowFromIndex } from './sqlRecoverableWindow';
import { parseZonedTime } from './stopAtTime';

type Skipped = SqlRestorePlan['skipped'];

/** The sets a base restores through: the base, then logs until one finishes at or after the target. */
function walk(index: HistoryIndex, base: IndexedSet, targetMs: number): { logs: IndexedSet[]; reached: boolean; end: IndexedSet } {
  const logs: IndexedSet[] = [];
  let cur = base;
  while (cur.finishMs < targetMs) {
    const next = index.nextLog(cur);
    if (!next) return { logs, reached: false, end: cur };
    logs.push(next);
    cur = next;
  }
  return { logs, reached: true, end: cur };
}

const describe = (s: IndexedSet) => `${kindName(s.set)} ${s.set.id} (finished ${s.set.backupFinishDate})`;

function kindName(set: SqlBackupSet): string {
  if (set.type === 'D') return set.isCopyOnly ? 'copy-only full' : 'full';
  return set.type === 'I' ? 'differential' : 'log';
}

function step(s: IndexedSet, why: string): SqlRestoreStep {
  return { backupSetId: s.set.id, type: s.set.type as 'D' | 'I' | 'L', devices: s.set.devices, position: s.set.position ?? 1, why };
}

function fail(code: 'OUT_OF_WINDOW' | 'BROKEN_CHAIN', message: string, window: SqlRecoverableWindow): never {
  const spans = window.intervals.map((i) => `${i.from} → ${i.to}`).join('; ');
  throw new LifeboatError(code, message, spans ? `Recoverable window: ${spans}.` : 'No usable full backup: take a full backup first.');
}

/** The error for a target no chain reaches, named by where it falls against the window. */
function outOfWindow(window: SqlRecoverableWindow, db: string, target: string, targetMs: number): never {
  const first = window.intervals[0];
  const last = window.intervals.at(-1);
  if (!first || !last) fail('BROKEN_CHAIN', `No usable full backup of ${db} in this history: every full is damaged.`, window);
  if (targetMs < Date.parse(first.from)) {
    fail('OUT_OF_WINDOW', `${target} is before the first usable full backup of ${db}, which finished at ${first.from} (LSN ${first.fromLsn}). Nearest valid time: ${first.from} (after).`, window);
  }
  const gap = window.gaps.find((g) => g.after && targetMs > Date.parse(g.after) && (!g.before || targetMs < Date.parse(g.before)));
  if (gap) {
    const either = gap.before ? `${gap.after} (before) and ${gap.before} (after)` : `${gap.after} (before); nothing after it until a new full backup`;
    const missing = gap.cause === 'fork' ? `the chain ends at LSN ${gap.fromLsn}; the new branch is restorable from LSN ${gap.toLsn}` : `LSN ${gap.fromLsn} to ${gap.toLsn} cannot be restored`;
    fail('BROKEN_CHAIN', `${target} falls in a break of the log chain of ${db}: ${missing} (${gap.reason ?? 'a log backup is missing'}). Nearest valid times: ${either}.`, window);
  }
  fail('OUT_OF_WINDOW', `${target} is after the end of the last log backup of ${db}, at ${last.to} (LSN ${last.toLsn}). Nearest valid time: ${last.to} (before).`, window);
}

interface Choice {
  full: IndexedSet;
  diff: IndexedSet | null;
  logs: IndexedSet[];
  /** A newer full was passed over (damaged, or its chain falls short). */
  fellBack?: boolean;
}

export function planRestoreChain(history: SqlBackupSet[], databaseName: string, target: SqlRestoreTarget): SqlRestorePlan {
  const index = indexHistory(history, databaseName);
  if (index.fulls.length === 0) {
    const known = [...new Set(history.map((s) => s.databaseName))].slice(0, 10).join(', ');
    throw new LifeboatError('NOT_FOUND', `No full backup of ${databaseName} in this history.`, known ? `The history holds: ${known}.` : 'The history is empty: export it with the query in docs/sqlserver-restore-planning.md.');
  }
  const db = index.fulls[0]!.set.databaseName;
  const window = windowFromIndex(index);
  const last = window.intervals.at(-1);
  let targetMs: number;
  let targetText: string;
  if (target.kind === 'time') {
    targetMs = parseZonedTime(target.time);
    targetText = target.time;
  } else if (target.kind === 'mark') {
    // The chain is chosen by the record's time; the mark then stops the last log at the record itself.
    targetMs = parseZonedTime(target.time);
    targetText = `${target.inclusive ? 'up to and including' : 'just before'} LSN ${target.lsn} (${target.time})`;
  } else {
    if (!last) fail('BROKEN_CHAIN', `No usable full backup of ${db} in this history: every full is damaged.`, window);
    targetMs = Date.parse(last.to);
    targetText = `the end of the last contiguous log (${last.to})`;
  }

  const skipped: Skipped = [];
  const warnings: string[] = [];
  const choice = choose(index, targetMs, skipped, warnings);
  if (!choice) outOfWindow(window, db, target.kind === 'latest' ? targetText : target.time, targetMs);

  const steps = explain(index, choice, target, targetText);
  for (const l of index.logs) {
    // Damaged or forked logs inside the span restored are worth naming: they explain a chain that went around them.
    const why = index.logUnusable(l);
    if (why && l.finishMs > choice.full.finishMs && l.startMs <= targetMs) skipped.push({ backupSetId: l.set.id, why: `Log ${l.set.id} ${why}.` });
  }
  for (const f of index.fulls) {
    // A newer copy-only full the plan went around deserves a word: DBAs expect the newest full to be used.
    if (f.set.isCopyOnly && f !== choice.full && f.finishMs > choice.full.finishMs && f.finishMs <= targetMs && !skipped.some((s) => s.backupSetId === f.set.id)) {
      skipped.push({ backupSetId: f.set.id, why: `Copy-only full ${f.set.id} is not part of the scheduled chain and never a differential base; the plan keeps to full ${choice.full.set.id}${choice.diff ? ` and its differential ${choice.diff.set.id}` : ''}.` });
    }
  }
  const lastLog = choice.logs.at(-1);
  if (target.kind !== 'latest' && lastLog?.set.recoveryModel === 'BULK-LOGGED') {
    warnings.push(`Log ${lastLog.set.id} was taken under the BULK_LOGGED recovery model: STOPAT inside it fails if it holds minimally logged operations; restore to its end instead.`);
  }
  const chosen = [choice.full, choice.diff, ...choice.logs].filter((s): s is IndexedSet => s !== null);
  const unchecked = chosen.filter((s) => !s.set.hasBackupChecksums).map((s) => s.set.id);
  if (unchecked.length > 0) warnings.push(`Taken without CHECKSUM, so RESTORE cannot verify their pages: ${unchecked.join(', ')}. Run DBCC CHECKDB after the restore.`);
  const stopsBeforeBreak = target.kind === 'latest' ? breakAfter(index, chosen.at(-1)!, db) : undefined;
  if (stopsBeforeBreak) warnings.unshift(stopsBeforeBreak.message);
  return { databaseName: db, target, steps, skipped, warnings, ...(stopsBeforeBreak ? { stopsBeforeBreak } : {}), window };
}

/**
 * "Latest" is the end of the unbroken chain; a log taken after it that the chain cannot reach means the restore
 * stops before a break, which the plan says, naming the first log it cannot apply and the LSNs missing.
 */
function breakAfter(index: HistoryIndex, end: IndexedSet, db: string): SqlRestorePlan['stopsBeforeBreak'] {
  const beyond = index.logs.filter((l) => l.last > end.last && !index.logUnusable(l)).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))[0];
  if (!beyond) return undefined;
  const s = beyond.set;
  return {
    backupSetId: s.id,
    firstLsn: s.firstLsn,
    lastLsn: s.lastLsn,
    finishedAt: s.backupFinishDate,
    missingFromLsn: end.set.lastLsn,
    missingToLsn: s.firstLsn,
    message: `"Latest" stops before a break in the log chain of ${db}: the restore ends with ${kindName(end.set)} ${end.set.id} at LSN ${end.set.lastLsn} (${end.set.backupFinishDate}); log ${s.id} (LSN ${s.firstLsn} to ${s.lastLsn}, finished ${s.backupFinishDate}) and every log after it cannot be applied, because no backup holds LSN ${end.set.lastLsn} to ${s.firstLsn}.`,
  };
}

/**
 * Regular fulls newest first, then copy-only fulls newest first: a copy-only full restores fine and logs chain
 * from it by LSN, but it is an ad-hoc copy (often moved or deleted) and never carries a differential, so the
 * scheduled chain is preferred and a copy-only full is the fallback.
 */
function choose(index: HistoryIndex, targetMs: number, skipped: Skipped, warnings: string[]): Choice | null {
  const eligible = index.fulls.filter((f) => f.finishMs <= targetMs).reverse();
  const ordered = [...eligible.filter((f) => !f.set.isCopyOnly), ...eligible.filter((f) => f.set.isCopyOnly)];
  const passed: Array<{ set: IndexedSet; why: string; warn?: boolean }> = [];
  for (const full of ordered) {
    const fullUnusable = index.setUnusable(full);
    if (fullUnusable) {
      passed.push({ set: full, why: `${kindName(full.set)[0]!.toUpperCase()}${kindName(full.set).slice(1)} ${full.set.id} ${fullUnusable}`, warn: true });
      continue;
    }
    const diffs = index.diffs.filter((d) => d.finishMs <= targetMs && d.diffBase === full.checkpoint && baseFullOf(index, d) === full).reverse();
    const diffPassed: typeof passed = [];
    for (const diff of diffs) {
      if (!diffUsable(index, diff)) {
        diffPassed.push({ set: diff, why: `Differential ${diff.set.id} ${index.setUnusable(diff) ?? 'cannot be restored'}`, warn: true });
        continue;
      }
      const w = walk(index, diff, targetMs);
      if (w.reached) return accept({ full, diff, logs: w.logs }, [...passed, ...diffPassed, ...olderDiffs(diffs, diff)], skipped, warnings);
      diffPassed.push({ set: diff, why: `The log chain after differential ${diff.set.id} stops at LSN ${w.end.last} (${w.end.set.backupFinishDate}), before the target` });
    }
    const w = walk(index, full, targetMs);
    if (w.reached) return accept({ full, diff: null, logs: w.logs }, [...passed, ...diffPassed], skipped, warnings);
    passed.push(...diffPassed, { set: full, why: `The log chain after ${kindName(full.set)} ${full.set.id} stops at LSN ${w.end.last} (${w.end.set.backupFinishDate}), before the target` });
  }
  for (const p of passed) skipped.push({ backupSetId: p.set.set.id, why: p.why + '.' });
  return null;
}

function olderDiffs(diffs: IndexedSet[], chosen: IndexedSet): Array<{ set: IndexedSet; why: string }> {
  return diffs.filter((d) => d.finishMs < chosen.finishMs && !d.set.isDamaged).map((d) => ({ set: d, why: `Differential ${d.set.id} is superseded by the newer differential ${chosen.set.id} on the same full` }));
}

function accept(choice: Choice, passed: Array<{ set: IndexedSet; why: string; warn?: boolean }>, skipped: Skipped, warnings: string[]): Choice {
  for (const p of passed) {
    skipped.push({ backupSetId: p.set.set.id, why: p.why + '.' });
    if (p.warn) warnings.push(`${p.why}: skipped; the plan uses ${describe(choice.diff ?? choice.full)} instead.`);
  }
  choice.fellBack = passed.some((p) => p.set.set.type === 'D');
  if (choice.full.set.isCopyOnly) warnings.push(`The plan starts from copy-only full ${choice.full.set.id}: no regular full reaches the target. Make sure that file is still where msdb says.`);
  return choice;
}

/** STOPBEFOREMARK = 'lsn:...' (or STOPATMARK, inclusive): the clause every log of the sequence carries. */
export function markClause(target: { lsn: string; inclusive: boolean }): string {
  return `${target.inclusive ? 'STOPATMARK' : 'STOPBEFOREMARK'} = 'lsn:${target.lsn}'`;
}

function explain(index: HistoryIndex, choice: Choice, target: SqlRestoreTarget, targetText: string): SqlRestoreStep[] {
  const { full, diff, logs } = choice;
  const forTarget = target.kind !== 'latest' ? `finished before the target ${target.time}` : 'whose log chain reaches the latest point';
  const fullWhy = full.set.isCopyOnly
    ? `Copy-only full ${forTarget}, used because no regular full reaches the target (checkpoint LSN ${full.checkpoint}).`
    : `${choice.fellBack ? 'Newest usable full backup' : 'Newest full backup'} ${forTarget} (finished ${full.set.backupFinishDate}, checkpoint LSN ${full.checkpoint})${choice.fellBack ? '; the newer full is listed under skipped' : ''}.`;
  const steps = [step(full, fullWhy)];
  if (diff) {
    const covered = index.logs.filter((l) => l.finishMs > full.finishMs && l.last <= diff.last).length;
    steps.push(step(diff, `Newest differential on that full (its differential base LSN ${diff.diffBase} is the full's checkpoint LSN), finished ${diff.set.backupFinishDate}; it replaces ${covered} log backup(s) taken since the full.`));
  }
  let from = diff ?? full;
  for (const [i, log] of logs.entries()) {
    const isLast = i === logs.length - 1;
    const link = i === 0
      ? `First log after the ${kindName(from.set)}: it starts at LSN ${log.first}, at or before the restored point ${from.last}, and ends after it (${log.last}).`
      : log.first === from.last
        ? `Continues the chain: starts at LSN ${log.first} where the previous log ended.`
        : `Continues the chain: starts at LSN ${log.first}, before the previous log's end ${from.last}, and goes on to ${log.last}.`;
    const end = !isLast
      ? ''
      : target.kind === 'time'
        ? ` It holds the target (finished ${log.set.backupFinishDate}, the first log ending at or after ${target.time}): restored with STOPAT.`
        : target.kind === 'mark'
          ? ` It holds the target (finished ${log.set.backupFinishDate}, the first log ending at or after ${target.time}): restored with ${markClause(target).split(' ')[0]}.`
          : ` Last log of the contiguous chain: the database is restored to ${targetText}.`;
    const s = step(log, link + end);
    if (isLast && target.kind === 'time') s.stopAt = target.time;
    if (isLast && target.kind === 'mark') s.stopMark = markClause(target);
    steps.push(s);
    from = log;
  }
  return steps;
}
