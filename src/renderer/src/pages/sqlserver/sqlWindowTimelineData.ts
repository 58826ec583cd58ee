// sqlserver.window's answer as the recovery timeline's plain data (the same component as PostgreSQL's): one
// row per database, recoverable intervals, log backup coverage as bars (a bar per unbroken run of logs), gaps
// in the log chain in red named by their missing LSN range, full (and differential) backups as marks.
import type { SqlBackupSet } from '../../../../shared/sqlServer';
import type { SqlWindowView } from '../../../../shared/sqlServerViews';
import type { TimelineCoverage, TimelineData } from '../../components/timeline/timelineData';

const ms = (t: string | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const v = Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
};

export const databaseRowKey = (database: string) => `database-${database}`;

/** Unbroken runs of log backups: a run continues while a log starts at the LSN where the previous one ended. */
export function logCoverage(sets: readonly SqlBackupSet[], row: string): TimelineCoverage[] {
  const logs = sets.filter((s) => s.type === 'L').sort((a, b) => (BigInt(a.lastLsn) < BigInt(b.lastLsn) ? -1 : BigInt(a.lastLsn) > BigInt(b.lastLsn) ? 1 : 0));
  const runs: SqlBackupSet[][] = [];
  for (const log of logs) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.lastLsn === log.firstLsn) run.push(log);
    else runs.push([log]);
  }
  return runs.map((run) => ({
    row,
    from: ms(run[0]!.backupStartDate),
    to: ms(run.at(-1)!.backupFinishDate),
    detail: `${run.length} log ${run.length === 1 ? 'backup' : 'backups'}, LSN ${run[0]!.firstLsn}..${run.at(-1)!.lastLsn}`,
  }));
}

export function sqlWindowTimelineData(view: SqlWindowView): TimelineData {
  const row = databaseRowKey(view.databaseName);
  const diffs = view.sets.filter((s) => s.type === 'I');
  return {
    now: ms(view.now) ?? Date.now(),
    rows: [{ key: row, label: view.databaseName }],
    intervals: view.window.intervals.map((i) => ({ row, from: Date.parse(i.from), to: Date.parse(i.to), detail: `LSN ${i.fromLsn}..${i.toLsn}` })),
    coverage: logCoverage(view.sets, row),
    gaps: view.window.gaps.map((g) => ({
      row,
      from: ms(g.after),
      to: ms(g.before),
      label: `missing LSN ${g.fromLsn}..${g.toLsn}`,
      detail: 'No log backup covers this LSN range: no restore can cross it; the next full or differential backup after it starts a new interval',
    })),
    marks: [
      ...view.window.fulls.map((f) => ({
        id: f.id,
        row,
        at: Date.parse(f.finishedAt),
        usable: f.usable,
        title: `Full backup ${f.id}${f.copyOnly ? ' (copy-only)' : ''}: ${f.usable ? 'usable, a restore can start from it' : 'not usable (damaged, or outside every chain)'}`,
      })),
      ...diffs.map((d) => ({ id: d.id, row, at: Date.parse(d.backupFinishDate), usable: !d.isDamaged, title: `Differential backup ${d.id}${d.isDamaged ? ': DAMAGED' : ''}` })),
    ],
  };
}

export function sqlWindowSummary(view: SqlWindowView, formatTime: (ms: number) => string): string {
  const w = view.window;
  const n = w.intervals.length;
  const parts = [n === 0 ? 'Nothing is recoverable yet' : `${n} recoverable ${n === 1 ? 'interval' : 'intervals'}: ${w.intervals.map((i) => `${formatTime(Date.parse(i.from))} to ${formatTime(Date.parse(i.to))}`).join('; ')}`];
  parts.push(w.gaps.length === 0 ? 'no gaps in the log chain' : `${w.gaps.length} ${w.gaps.length === 1 ? 'gap' : 'gaps'} in the log chain`);
  parts.push(`${w.fulls.length} full ${w.fulls.length === 1 ? 'backup' : 'backups'}`);
  return `Recoverable window of ${view.databaseName}: ${parts.join('; ')}.`;
}

/** The first and last restorable times of the history (ms), for Find the moment's range presets. */
export function sqlWindowBounds(view: SqlWindowView): { start: number; end: number } | undefined {
  const times = view.window.intervals.flatMap((i) => [Date.parse(i.from), Date.parse(i.to)]).filter((t) => !Number.isNaN(t));
  return times.length ? { start: Math.min(...times), end: Math.max(...times) } : undefined;
}
