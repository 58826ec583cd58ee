// What part of time the timeline shows and how zooming, panning, presets and "Fit" move it: from a minute
// (where single commits can be told apart) to a month, or the whole history when that is longer. Pure.
import { DAY, HOUR, MINUTE, WEEK } from './timeScale';
import type { TimeRange } from './timeScale';

/** The narrowest view: a minute. */
export const MIN_SPAN = MINUTE;
/** The widest view unless the data itself spans more. */
export const MONTH_SPAN = 30 * DAY;

export const PRESETS = [
  { id: 'hour', label: '1 h', span: HOUR },
  { id: 'day', label: '1 day', span: DAY },
  { id: 'week', label: '1 week', span: WEEK },
  { id: 'month', label: '1 month', span: MONTH_SPAN },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

/** The widest span allowed for data that covers `extent`: a month, or all of it with a margin. */
export function maxSpanFor(extent: TimeRange): number {
  return Math.max(MONTH_SPAN, (extent.end - extent.start) * 1.2);
}

function clampSpan(span: number, maxSpan: number): number {
  return Math.min(Math.max(span, MIN_SPAN), Math.max(MIN_SPAN, maxSpan));
}

/**
 * Zooms by `factor` (0.5 = twice as close) keeping the instant `anchor` under the same pixel, so the wheel
 * zooms where the pointer is. Without an anchor, around the middle.
 */
export function zoomView(view: TimeRange, factor: number, maxSpan: number, anchor?: number): TimeRange {
  const span = view.end - view.start;
  const next = clampSpan(span * factor, maxSpan);
  const at = anchor ?? view.start + span / 2;
  const fraction = span > 0 ? (at - view.start) / span : 0.5;
  const start = at - fraction * next;
  return { start, end: start + next };
}

/** Moves the view by a fraction of its width: -0.2 shows earlier times, 0.2 later ones. */
export function panView(view: TimeRange, fraction: number): TimeRange {
  const shift = (view.end - view.start) * fraction;
  return { start: view.start + shift, end: view.end + shift };
}

/** Everything in `extent` with a margin either side; never narrower than a minute. */
export function fitView(extent: TimeRange, margin = 0.04): TimeRange {
  const span = Math.max(extent.end - extent.start, 0);
  const padded = Math.max(span * (1 + 2 * margin), MIN_SPAN);
  const middle = extent.start + span / 2;
  return { start: middle - padded / 2, end: middle + padded / 2 };
}

/** The last hour (day, week, month) up to now, with "now" a little in from the right edge. */
export function presetView(preset: PresetId, now: number): TimeRange {
  const span = PRESETS.find((p) => p.id === preset)!.span;
  const end = now + span * 0.03;
  return { start: end - span, end };
}

/** Targets are whole seconds: recovery_target_time is read to the second in practice, and so is a log. */
export function snapToSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

/** A step for moving the target with the keyboard: about a fiftieth of the view, in round seconds. */
export function nudgeStep(view: TimeRange): number {
  const raw = (view.end - view.start) / 50;
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 6 * 3600, 86_400].map((s) => s * 1000);
  return steps.find((s) => s >= raw) ?? steps[steps.length - 1]!;
}
