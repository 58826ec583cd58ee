// The recoverable window drawn on a time axis: a band of recoverable intervals, one row per timeline (or, for
// SQL Server later, per database) with archived-log coverage bars, gaps in red named by what is missing,
// base backups as marks (solid when usable, hollow when not), a "now" line and the picked target as a
// cursor. Zoom from a month to a minute (buttons, presets, wheel, + and −), pan (drag, ← and →), click to
// pick a time (snapped to the second). The same data is listed in a table under the chart.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Recoverable window" (data-testid="recovery-timeline", or the testId prop); toolbar "Zoom" with
//   buttons "Zoom in", "Zoom out", "Fit" and, in group "Show the last", "1 h", "1 day", "1 week", "1 month"
//   (aria-pressed when active); the chart: group "Timeline chart" (focusable; keys + − ← → Shift+← Shift+→ 0)
//   holding an SVG with role img whose aria-label summarises the window (data-testid="timeline-svg",
//   data-view-start / data-view-end = the shown range as ISO); in it gaps data-testid="timeline-gap-<i>",
//   backup marks data-testid="timeline-backup-<id>" (data-usable=true|false), intervals
//   data-testid="timeline-interval-<i>", the now line data-testid="timeline-now", the target
//   data-testid="timeline-cursor" (data-time = ISO; data-offscreen=left|right when outside the view); events
//   (findings) data-testid="timeline-event-<id>" (data-time = ISO, data-selected; a click calls onEvent);
//   the shown range data-testid="timeline-range"; the text alternative: table "Recoverable window as a table"
//   (data-testid="timeline-table") with rows data-testid="timeline-row-<interval|gap|backup|coverage>-<i>".
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent as ReactPointerEvent } from 'react';
import { formatInZone, wallAt, zoneName } from '../format/zonedTime';
import type { TimeZoneChoice } from '../format/zonedTime';
import { dataExtent } from './timeline/timelineData';
import type { TimelineData } from './timeline/timelineData';
import { timeScale, timeTicks } from './timeline/timeScale';
import type { TimeRange } from './timeline/timeScale';
import { fitView, maxSpanFor, MIN_SPAN, nudgeStep, panView, PRESETS, presetView, snapToSecond, zoomView } from './timeline/timelineView';
import type { PresetId } from './timeline/timelineView';
import { Button } from './Button';
import { DataTable } from './DataTable';
import type { DataTableColumn } from './DataTable';
import './RecoveryTimeline.css';

export interface RecoveryTimelineProps {
  data: TimelineData;
  /** The zone of the axis labels and the listed times; the restore form's zone, so both read alike. */
  zone: TimeZoneChoice;
  /** The picked target (epoch ms), drawn as the cursor. */
  target?: number;
  onPick(ms: number): void;
  /** A click on an event's flag (a finding). */
  onEvent?(id: string): void;
  /** The chart's text for assistive technology: the window in a sentence. */
  summary: string;
  title?: string;
  /** The band row's label. */
  bandLabel?: string;
  /** The engine's words for the shapes (PostgreSQL's by default; SQL Server speaks of log backups). */
  terms?: Partial<TimelineTerms>;
  testId?: string;
}

export interface TimelineTerms {
  coverage: string;
  gap: string;
  backup: string;
}

const POSTGRES_TERMS: TimelineTerms = { coverage: 'WAL archived', gap: 'Missing WAL (gap)', backup: 'Base backup' };

type ViewMode = { kind: 'fit' } | { kind: 'preset'; id: PresetId } | { kind: 'manual'; view: TimeRange };

const LABEL_W = 100;
const RIGHT_PAD = 18;
const TOP = 24;
const BAND_H = 30;
const ROW_H = 46;
const AXIS_H = 42;
const MIN_TICK_PX = 92;
const DRAG_THRESHOLD_PX = 4;

const pad2 = (n: number) => String(n).padStart(2, '0');
function clockLabel(ms: number, zone: TimeZoneChoice): string {
  const w = wallAt(ms, zone);
  return `${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
}

export function RecoveryTimeline({ data, zone, target, onPick, onEvent, summary, title = 'Recoverable window', bandLabel = 'Recoverable', terms: termsIn, testId = 'recovery-timeline' }: RecoveryTimelineProps) {
  const terms = useMemo(() => ({ ...POSTGRES_TERMS, ...termsIn }), [termsIn?.coverage, termsIn?.gap, termsIn?.backup]);
  const headingId = useId();
  const hintId = useId();
  const clipId = `timeline-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const chartRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(880);
  const [mode, setMode] = useState<ViewMode>({ kind: 'fit' });
  const [hoverX, setHoverX] = useState<number>();
  const drag = useRef<{ pointerId: number; startX: number; view: TimeRange; moved: boolean }>(undefined);

  const extent = useMemo(() => dataExtent(data), [data]);
  const maxSpan = maxSpanFor(extent);
  const view = mode.kind === 'fit' ? fitView(extent) : mode.kind === 'preset' ? presetView(mode.id, data.now) : mode.view;
  const span = view.end - view.start;
  const x0 = LABEL_W;
  const x1 = Math.max(x0 + 50, width - RIGHT_PAD);
  const scale = timeScale(view, x0, x1);
  const maxTicks = Math.max(2, Math.floor((x1 - x0) / MIN_TICK_PX));
  // Keyed by the zone's name: the caller may pass an equal zone object on every render.
  const zoneKey = zoneName(zone);
  const ticks = useMemo(() => timeTicks({ start: view.start, end: view.end }, maxTicks, zone), [view.start, view.end, maxTicks, zoneKey]); // zone is read through zoneKey

  const rows = data.rows.length ? data.rows : [{ key: '__none', label: 'No WAL yet' }];
  const rowY = (key: string) => TOP + BAND_H + Math.max(0, rows.findIndex((r) => r.key === key)) * ROW_H;
  const axisY = TOP + BAND_H + rows.length * ROW_H;
  const height = axisY + AXIS_H;

  // The latest view and scale for the native wheel listener, which is registered once.
  const latest = useRef({ view, maxSpan, scale, x0, x1 });
  latest.current = { view, maxSpan, scale, x0, x1 };

  useEffect(() => {
    const el = chartRef.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) setWidth((previous) => (Math.abs(w - previous) >= 1 ? Math.floor(w) : previous));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // React's onWheel is passive: the page would scroll while the chart zooms. A native listener can stop it.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: v, maxSpan: m, scale: s, x0: left, x1: right } = latest.current;
      const x = event.clientX - svg.getBoundingClientRect().left;
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        const delta = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
        setMode({ kind: 'manual', view: panView(v, delta / Math.max(1, right - left)) });
        return;
      }
      const factor = Math.min(4, Math.max(0.25, Math.exp(event.deltaY * 0.0015)));
      const anchor = x >= left && x <= right ? s.toTime(x) : undefined;
      setMode({ kind: 'manual', view: zoomView(v, factor, m, anchor) });
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const targetVisible = target !== undefined && target >= view.start && target <= view.end;
  const zoom = (factor: number) => setMode({ kind: 'manual', view: zoomView(view, factor, maxSpan, targetVisible ? target : undefined) });
  const pan = (fraction: number) => setMode({ kind: 'manual', view: panView(view, fraction) });

  const pointerX = (event: ReactPointerEvent<SVGSVGElement>) => event.clientX - event.currentTarget.getBoundingClientRect().left;

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    drag.current = { pointerId: event.pointerId, startX: pointerX(event), view, moved: false };
  };
  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const x = pointerX(event);
    const d = drag.current;
    if (d && d.pointerId === event.pointerId) {
      const dx = x - d.startX;
      if (!d.moved && Math.abs(dx) >= DRAG_THRESHOLD_PX) {
        d.moved = true;
        event.currentTarget.setPointerCapture(event.pointerId);
      }
      if (d.moved) {
        setMode({ kind: 'manual', view: panView(d.view, -dx / (x1 - x0)) });
        setHoverX(undefined);
        return;
      }
    }
    setHoverX(x >= x0 && x <= x1 ? x : undefined);
  };
  const onPointerUp = (event: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    drag.current = undefined;
    if (!d || d.pointerId !== event.pointerId || d.moved) return;
    const x = pointerX(event);
    if (x >= x0 && x <= x1) onPick(snapToSecond(scale.toTime(x)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = event.key;
    if (key === '+' || key === '=') zoom(0.5);
    else if (key === '-' || key === '_' || key === '\u2212') zoom(2);
    else if (key === '0') setMode({ kind: 'fit' });
    else if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const direction = key === 'ArrowLeft' ? -1 : 1;
      if (event.shiftKey) {
        const from = target ?? snapToSecond(view.start + span / 2);
        const next = snapToSecond(from + direction * nudgeStep(view));
        onPick(next);
        if (next < view.start || next > view.end) setMode({ kind: 'manual', view: panView(view, direction * 0.25) });
      } else pan(direction * 0.1);
    } else return;
    event.preventDefault();
  };

  const listRows = useMemo(() => textRows(data, terms), [data, terms]);
  const hoverTime = hoverX !== undefined ? scale.toTime(hoverX) : undefined;

  return (
    <section className="timeline" aria-labelledby={headingId} data-testid={testId}>
      <div className="timeline__head">
        <h2 id={headingId} className="timeline__title">
          {title}
        </h2>
        <div className="timeline__toolbar" role="group" aria-label="Zoom">
          <Button size="sm" onClick={() => zoom(0.5)} disabled={span <= MIN_SPAN + 1}>
            <span aria-hidden="true">+</span>Zoom in
          </Button>
          <Button size="sm" onClick={() => zoom(2)} disabled={span >= maxSpan - 1}>
            <span aria-hidden="true">−</span>Zoom out
          </Button>
          <Button size="sm" onClick={() => setMode({ kind: 'fit' })} aria-pressed={mode.kind === 'fit'}>
            Fit
          </Button>
          <span className="timeline__presets" role="group" aria-label="Show the last">
            <span className="timeline__presets-label muted" aria-hidden="true">
              Last
            </span>
            {PRESETS.map((p) => (
              <Button key={p.id} size="sm" variant="ghost" className="timeline__preset" aria-pressed={mode.kind === 'preset' && mode.id === p.id} onClick={() => setMode({ kind: 'preset', id: p.id })}>
                {p.label}
              </Button>
            ))}
          </span>
        </div>
      </div>
      <p className="timeline__range muted" aria-live="polite" data-testid="timeline-range">
        Showing <time dateTime={new Date(view.start).toISOString()}>{formatInZone(view.start, zone)}</time> to{' '}
        <time dateTime={new Date(view.end).toISOString()}>{formatInZone(view.end, zone)}</time> ({zoneName(zone)})
      </p>
      <Legend terms={terms} events={Boolean(data.events?.length)} />
      <div ref={chartRef} className="timeline__chart" tabIndex={0} role="group" aria-label="Timeline chart" aria-describedby={hintId} onKeyDown={onKeyDown}>
        <svg
          ref={svgRef}
          className="timeline__svg"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={summary}
          data-testid="timeline-svg"
          data-view-start={new Date(view.start).toISOString()}
          data-view-end={new Date(view.end).toISOString()}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setHoverX(undefined)}
          onPointerCancel={() => (drag.current = undefined)}
        >
          <defs>
            <clipPath id={clipId}>
              <rect x={x0} y={0} width={x1 - x0} height={height} />
            </clipPath>
          </defs>
          {/* Rows and their labels. */}
          <rect className="timeline__band-bg" x={x0} y={TOP} width={x1 - x0} height={BAND_H} />
          <text className="timeline__row-label timeline__row-label--band" x={8} y={TOP + BAND_H / 2} dominantBaseline="middle">
            {bandLabel}
          </text>
          {rows.map((r, i) => (
            <g key={r.key}>
              <rect className={`timeline__row-bg${i % 2 ? ' timeline__row-bg--odd' : ''}`} x={x0} y={TOP + BAND_H + i * ROW_H} width={x1 - x0} height={ROW_H} />
              <text className="timeline__row-label" x={8} y={TOP + BAND_H + i * ROW_H + ROW_H / 2} dominantBaseline="middle">
                {r.label}
              </text>
            </g>
          ))}
          {/* Grid and axis. */}
          {ticks.map((t) => {
            const x = scale.toX(t.at);
            return (
              <g key={t.at} className="timeline__tick">
                <line className="timeline__grid" x1={x} x2={x} y1={TOP} y2={axisY + 4} />
                <text className="timeline__tick-label" x={x} y={axisY + 17} textAnchor="middle">
                  {t.label}
                </text>
                {t.context && (
                  <text className="timeline__tick-context" x={x} y={axisY + 32} textAnchor="middle">
                    {t.context}
                  </text>
                )}
              </g>
            );
          })}
          <line className="timeline__axis" x1={x0} x2={x1} y1={axisY} y2={axisY} />

          <g clipPath={`url(#${clipId})`}>
            {data.intervals.map((iv, i) => {
              const a = scale.toX(iv.from);
              const b = scale.toX(iv.to);
              return (
                <rect
                  key={`iv-${i}`}
                  className="timeline__interval"
                  data-testid={`timeline-interval-${i}`}
                  x={a}
                  y={TOP + 5}
                  width={Math.max(2, b - a)}
                  height={BAND_H - 10}
                  rx={3}
                >
                  <title>{`Recoverable from ${formatInZone(iv.from, zone, true)} to ${formatInZone(iv.to, zone, true)} — ${iv.detail}`}</title>
                </rect>
              );
            })}
            {data.coverage.map((c, i) => {
              if (c.from === undefined || c.to === undefined) return null;
              const a = scale.toX(c.from);
              const b = scale.toX(c.to);
              return (
                <rect key={`cov-${i}`} className="timeline__coverage" x={a} y={rowY(c.row) + ROW_H / 2 + 2} width={Math.max(2, b - a)} height={10} rx={2}>
                  <title>{`${terms.coverage} — ${c.detail}`}</title>
                </rect>
              );
            })}
            {data.gaps.map((g, i) => {
              const known = [g.from, g.to].filter((t): t is number => t !== undefined);
              if (known.length === 0) return null;
              const a = scale.toX(Math.min(...known));
              const b = scale.toX(Math.max(...known));
              const y = rowY(g.row);
              // Monospace at 10.5px: about 6.4px a character. The label goes where it fits, right of the gap first.
              const labelWidth = g.label.length * 6.4;
              const labelAtEnd = a + labelWidth > x1 && b - labelWidth >= x0;
              return (
                <g key={`gap-${i}`} className="timeline__gap" data-testid={`timeline-gap-${i}`}>
                  <title>{`Gap: ${g.detail}`}</title>
                  <rect className="timeline__gap-area" x={a - 2} y={y + 16} width={Math.max(4, b - a + 4)} height={ROW_H - 20} />
                  <text className="timeline__gap-label" x={labelAtEnd ? b + 2 : Math.max(a - 2, x0 + 4)} y={y + 11} textAnchor={labelAtEnd ? 'end' : 'start'}>
                    {g.label}
                  </text>
                </g>
              );
            })}
            {data.marks.map((m) => {
              const x = scale.toX(m.at);
              const y = rowY(m.row) + ROW_H / 2 + 7;
              const r = 7;
              return (
                <g key={m.id} className={`timeline__mark timeline__mark--${m.usable ? 'usable' : 'unusable'}`} data-testid={`timeline-backup-${m.id}`} data-usable={m.usable}>
                  <title>{`${m.title} — ${formatInZone(m.at, zone)}`}</title>
                  <path d={`M ${x} ${y - r} L ${x + r} ${y} L ${x} ${y + r} L ${x - r} ${y} Z`} />
                </g>
              );
            })}
            {(data.events ?? []).map((e) => {
              const x = scale.toX(e.at);
              return (
                <g
                  key={e.id}
                  className={`timeline__event${e.selected ? ' timeline__event--selected' : ''}`}
                  data-testid={`timeline-event-${e.id}`}
                  data-time={new Date(e.at).toISOString()}
                  data-selected={Boolean(e.selected)}
                  // A flag is not a place on the axis: pressing it must not start a drag or pick a time.
                  onPointerDown={(event) => event.stopPropagation()}
                  onClick={() => onEvent?.(e.id)}
                >
                  <title>{`${e.title} — ${formatInZone(e.at, zone, true)}`}</title>
                  <line x1={x} x2={x} y1={TOP - 2} y2={axisY} />
                  <path d={`M ${x} ${TOP - 2} L ${x + 9} ${TOP + 3} L ${x} ${TOP + 8} Z`} />
                  <rect className="timeline__event-hit" x={x - 5} y={TOP - 4} width={14} height={axisY - TOP + 4} />
                </g>
              );
            })}
            <g className="timeline__now" data-testid="timeline-now">
              <line x1={scale.toX(data.now)} x2={scale.toX(data.now)} y1={TOP - 4} y2={axisY} />
              <text x={scale.toX(data.now) - 4} y={TOP - 8} textAnchor="end">
                now
              </text>
            </g>
            {hoverTime !== undefined && hoverX !== undefined && (
              <g className="timeline__hover" aria-hidden="true">
                <line x1={hoverX} x2={hoverX} y1={TOP} y2={axisY} />
              </g>
            )}
          </g>
          {hoverTime !== undefined && hoverX !== undefined && (
            <HoverLabel x={hoverX} y={axisY + 4} text={formatInZone(snapToSecond(hoverTime), zone).slice(0, 19)} left={x0} right={x1} />
          )}
          {target !== undefined && <Cursor target={target} view={view} x={scale.toX(target)} left={x0} right={x1} top={TOP} bottom={axisY} label={clockLabel(target, zone)} />}
        </svg>
      </div>
      <p id={hintId} className="timeline__hint">
        Click the chart to pick the target time (to the second); drag to move along. Keys: <kbd>+</kbd> and <kbd>−</kbd> zoom,{' '}
        <kbd>←</kbd> <kbd>→</kbd> move, <kbd>Shift</kbd>+<kbd>←</kbd> <kbd>→</kbd> move the target, <kbd>0</kbd> fits everything.
      </p>
      <details className="timeline__details" open>
        <summary>Recoverable window as a table ({listRows.length} {listRows.length === 1 ? 'row' : 'rows'})</summary>
        <DataTable
          label="Recoverable window as a table"
          testId="timeline-table"
          className="timeline__table"
          rows={listRows}
          columns={timelineColumns((key) => rows.find((row) => row.key === key)?.label ?? '—', zone)}
          rowKey={(r) => r.key}
          rowAttributes={(r) => ({ 'data-testid': `timeline-row-${r.key}` })}
          empty="Nothing archived yet."
        />
      </details>
    </section>
  );
}

interface TextRow {
  key: string;
  what: string;
  row: string;
  from?: number;
  to?: number;
  point?: boolean;
  detail: string;
}

function timelineColumns(whereOf: (row: string) => string, zone: TimeZoneChoice): DataTableColumn<TextRow>[] {
  return [
    { id: 'what', header: 'What', rowHeader: true, sortValue: (r) => r.what, cell: (r) => r.what },
    { id: 'where', header: 'Where', className: 'timeline__where', sortValue: (r) => whereOf(r.row), cell: (r) => whereOf(r.row) },
    {
      id: 'from',
      header: 'From',
      className: 'mono timeline__time',
      sortValue: (r) => r.from,
      cell: (r) => (r.from === undefined ? <span className="muted">unknown</span> : formatInZone(r.from, zone, true)),
    },
    {
      id: 'to',
      header: 'To',
      className: 'mono timeline__time',
      sortValue: (r) => r.to,
      cell: (r) => (r.to === undefined ? <span className="muted">{r.point ? '—' : 'unknown'}</span> : formatInZone(r.to, zone, true)),
    },
    { id: 'detail', header: 'Details', className: 'timeline__detail', cell: (r) => r.detail },
  ];
}

function textRows(data: TimelineData, terms: TimelineTerms): TextRow[] {
  return [
    ...data.intervals.map((iv, i) => ({ key: `interval-${i}`, what: 'Recoverable', row: iv.row, from: iv.from, to: iv.to, detail: iv.detail })),
    ...data.gaps.map((g, i) => ({ key: `gap-${i}`, what: 'Gap', row: g.row, from: g.from, to: g.to, detail: `${g.label}: ${g.detail}` })),
    ...[...data.marks].sort((a, b) => a.at - b.at).map((m) => ({ key: `backup-${m.id}`, what: m.usable ? terms.backup : `${terms.backup} (to its own end only)`, row: m.row, from: m.at, point: true, detail: m.title })),
    ...data.coverage.map((c, i) => ({ key: `coverage-${i}`, what: terms.coverage, row: c.row, from: c.from, to: c.to, detail: c.detail })),
    ...(data.events ?? []).map((e) => ({ key: `event-${e.id}`, what: 'Found transaction', row: '', from: e.at, point: true, detail: e.title })),
  ];
}

function Cursor({ target, view, x, left, right, top, bottom, label }: { target: number; view: TimeRange; x: number; left: number; right: number; top: number; bottom: number; label: string }) {
  const iso = new Date(target).toISOString();
  if (target < view.start || target > view.end) {
    const side = target < view.start ? 'left' : 'right';
    const ex = side === 'left' ? left + 2 : right - 2;
    const dir = side === 'left' ? -1 : 1;
    return (
      <g className="timeline__cursor timeline__cursor--offscreen" data-testid="timeline-cursor" data-time={iso} data-offscreen={side}>
        <title>{`The target (${label}) is ${side === 'left' ? 'earlier' : 'later'} than the shown range`}</title>
        <path d={`M ${ex + dir * 8} ${top + 10} L ${ex} ${top + 4} L ${ex} ${top + 16} Z`} />
      </g>
    );
  }
  const boxW = 64;
  const bx = Math.min(Math.max(x - boxW / 2, left), right - boxW);
  return (
    <g className="timeline__cursor" data-testid="timeline-cursor" data-time={iso}>
      <title>{`Target ${label}`}</title>
      <line x1={x} x2={x} y1={top - 4} y2={bottom} />
      <rect className="timeline__cursor-box" x={bx} y={top - 22} width={boxW} height={17} rx={3} />
      <text className="timeline__cursor-text" x={bx + boxW / 2} y={top - 10} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

function HoverLabel({ x, y, text, left, right }: { x: number; y: number; text: string; left: number; right: number }) {
  const w = 132;
  const bx = Math.min(Math.max(x - w / 2, left), right - w);
  return (
    <g className="timeline__hover-label" aria-hidden="true">
      <rect x={bx} y={y} width={w} height={17} rx={3} />
      <text x={bx + w / 2} y={y + 12} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}

/** What each shape means, in words: the chart must read without colour. */
function Legend({ terms, events }: { terms: TimelineTerms; events: boolean }) {
  return (
    <ul className="plain-list timeline__legend" aria-label="Legend">
      <li>
        <svg className="timeline__legend-swatch" viewBox="0 0 18 12" aria-hidden="true">
          <rect className="timeline__interval" x="1" y="2" width="16" height="8" rx="2" />
        </svg>
        Recoverable
      </li>
      <li>
        <svg className="timeline__legend-swatch" viewBox="0 0 18 12" aria-hidden="true">
          <rect className="timeline__coverage" x="1" y="3" width="16" height="6" rx="1" />
        </svg>
        {terms.coverage}
      </li>
      <li>
        <svg className="timeline__legend-swatch" viewBox="0 0 18 12" aria-hidden="true">
          <rect className="timeline__gap-area" x="4" y="1" width="10" height="10" />
        </svg>
        {terms.gap}
      </li>
      <li>
        <svg className="timeline__legend-swatch timeline__mark timeline__mark--usable" viewBox="0 0 18 14" aria-hidden="true">
          <path d="M 9 1 L 15 7 L 9 13 L 3 7 Z" />
        </svg>
        {terms.backup}
      </li>
      <li>
        <svg className="timeline__legend-swatch timeline__mark timeline__mark--unusable" viewBox="0 0 18 14" aria-hidden="true">
          <path d="M 9 1 L 15 7 L 9 13 L 3 7 Z" />
        </svg>
        Unusable backup
      </li>
      <li>
        <svg className="timeline__legend-swatch timeline__now" viewBox="0 0 18 14" aria-hidden="true">
          <line x1="9" x2="9" y1="0" y2="14" />
        </svg>
        Now
      </li>
      {events && (
        <li>
          <svg className="timeline__legend-swatch timeline__event" viewBox="0 0 18 14" aria-hidden="true">
            <line x1="5" x2="5" y1="0" y2="14" />
            <path d="M 5 1 L 14 5 L 5 9 Z" />
          </svg>
          Found transaction
        </li>
      )}
      <li>
        <svg className="timeline__legend-swatch timeline__cursor" viewBox="0 0 18 14" aria-hidden="true">
          <line x1="9" x2="9" y1="0" y2="14" />
        </svg>
        Target
      </li>
    </ul>
  );
}
