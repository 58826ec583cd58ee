// Whether a target time lies in the recoverable window, computed in the window from window.get's intervals;
// if not, the nearest whole seconds that do (the exact edge when an interval holds no whole second), either
// side, and the gap it falls in or that cuts the window off before it. The core checks again
// when the restore starts (the window may have moved); this is for the DBA to see before clicking.
import type { WindowView } from '../../../../shared/recovery';

export interface WindowSpan {
  timeline: number;
  from: number;
  to: number;
}

export interface WindowHole {
  firstMissing: string;
  lastMissing: string;
  /** Last commit before the gap and first after it, when known. */
  after?: number;
  before?: number;
}

export type WindowCheck =
  | { inside: true; span: WindowSpan }
  | {
      inside: false;
      /** The latest whole second inside the window before the target. */
      before?: number;
      /** The earliest whole second inside the window after the target. */
      after?: number;
      /** The gap of missing WAL the target falls in, when it does. */
      gap?: WindowHole;
      /** A gap that ends the window before the target (the target lies after it, where no backup reaches). */
      cutBy?: WindowHole;
      /** Nothing is recoverable at all. */
      empty: boolean;
    };

const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;
const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

export function checkTarget(spans: readonly WindowSpan[], holes: readonly WindowHole[], target: number): WindowCheck {
  const inside = spans.find((s) => s.from <= target && target <= s.to);
  if (inside) return { inside: true, span: inside };
  let before: number | undefined;
  let after: number | undefined;
  let lastEnd: number | undefined;
  for (const s of spans) {
    // Whole seconds inside the span when there are any (what a DBA types); otherwise the exact edge.
    const last = floorSecond(s.to) >= s.from ? floorSecond(s.to) : s.to;
    const first = ceilSecond(s.from) <= s.to ? ceilSecond(s.from) : s.from;
    if (s.to < target && (before === undefined || last > before)) before = last;
    if (s.to < target && (lastEnd === undefined || s.to > lastEnd)) lastEnd = s.to;
    if (s.from > target && (after === undefined || first < after)) after = first;
  }
  const gap = holes.find((h) => h.after !== undefined && h.before !== undefined && h.after < target && target < h.before);
  // The gap right after the last recoverable moment before the target: it is why the window stops there.
  const cutBy = gap || lastEnd === undefined ? undefined : holes.find((h) => h.after !== undefined && h.after >= lastEnd! - 1000 && h.after < target);
  return { inside: false, before, after, gap, cutBy, empty: spans.length === 0 };
}

/** window.get's intervals and gaps as numbers, parsed once per window. */
export function windowSpans(window: Pick<WindowView, 'intervals' | 'gaps'>): { spans: WindowSpan[]; holes: WindowHole[] } {
  const ms = (t: string | undefined) => {
    const v = t === undefined ? NaN : Date.parse(t);
    return Number.isNaN(v) ? undefined : v;
  };
  return {
    spans: window.intervals.map((i) => ({ timeline: i.timeline, from: Date.parse(i.from), to: Date.parse(i.to) })).filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to)),
    holes: window.gaps.map((g) => ({ firstMissing: g.firstMissing, lastMissing: g.lastMissing, after: ms(g.after), before: ms(g.before) })),
  };
}
