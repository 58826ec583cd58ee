// window.get's answer for a PostgreSQL service as the timeline's plain data: one row per timeline, the
// recoverable intervals, WAL coverage per timeline, gaps named by their missing segments, base backups.
import type { WindowView } from '../../../../shared/recovery';
import type { TimelineData } from '../../components/timeline/timelineData';

const ms = (t: string | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const v = Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
};

export const timelineRowKey = (timeline: number) => `timeline-${timeline}`;

export function windowTimelineData(window: WindowView): TimelineData {
  const timelines = [
    ...new Set([...window.intervals.map((i) => i.timeline), ...window.coverage.map((c) => c.timeline), ...window.gaps.map((g) => g.timeline), ...window.backups.map((b) => b.timeline)]),
  ].sort((a, b) => a - b);
  return {
    now: ms(window.now) ?? Date.now(),
    rows: timelines.map((t) => ({ key: timelineRowKey(t), label: `Timeline ${t}` })),
    intervals: window.intervals.map((i) => ({
      row: timelineRowKey(i.timeline),
      from: Date.parse(i.from),
      to: Date.parse(i.to),
      detail: `From ${i.backupIds.length === 1 ? 'base backup' : 'base backups'} ${i.backupIds.join(', ')}; WAL up to ${i.toLsn}`,
    })),
    coverage: window.coverage.map((c) => ({
      row: timelineRowKey(c.timeline),
      from: ms(c.from),
      to: ms(c.to),
      detail: `Segments ${c.firstSegment}..${c.lastSegment}`,
    })),
    gaps: window.gaps.map((g) => ({
      row: timelineRowKey(g.timeline),
      from: ms(g.after),
      to: ms(g.before),
      label: `missing ${g.firstMissing}..${g.lastMissing}`,
      detail: `${g.segments} ${g.segments === 1 ? 'segment' : 'segments'} missing; no restore can cross it, the next base backup after it starts a new interval`,
    })),
    marks: window.backups.map((b) => ({
      id: b.id,
      row: timelineRowKey(b.timeline),
      at: Date.parse(b.stopTime),
      usable: b.usable,
      title: b.usable
        ? `Base backup ${b.id} (timeline ${b.timeline}): usable, a restore can start from it`
        : `Base backup ${b.id} (timeline ${b.timeline}): self-contained, restorable to its own end only — no archived WAL follows it (restore to "The end of a backup")`,
    })),
  };
}

/** The aria-label of the chart: the window in one sentence. */
export function windowSummary(window: WindowView, formatTime: (ms: number) => string): string {
  const n = window.intervals.length;
  const parts: string[] = [];
  if (n === 0) parts.push('Nothing is recoverable yet');
  else
    parts.push(
      `${n} recoverable ${n === 1 ? 'interval' : 'intervals'}: ${window.intervals.map((i) => `${formatTime(Date.parse(i.from))} to ${formatTime(Date.parse(i.to))} on timeline ${i.timeline}`).join('; ')}`,
    );
  parts.push(window.gaps.length === 0 ? 'no gaps' : `${window.gaps.length} ${window.gaps.length === 1 ? 'gap' : 'gaps'} in the WAL`);
  const usable = window.backups.filter((b) => b.usable).length;
  parts.push(`${window.backups.length} base ${window.backups.length === 1 ? 'backup' : 'backups'}, ${usable} usable`);
  return `Recoverable window: ${parts.join('; ')}.`;
}
