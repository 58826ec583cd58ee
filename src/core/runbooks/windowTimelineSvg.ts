// The recoverable window drawn as inline SVG for the HTML documents: one bar per recoverable interval, gaps
// in red, base backups as ticks, "now" at the right edge. Presentation attributes only (no style=, no
// external resources), so it renders the same in a browser, in print and in a strict CSP preview. Pure.
import { formatTime } from '../formatFacts';

export interface TimelineInput {
  intervals: Array<{ label: string; from: string; to: string }>;
  gaps: Array<{ from?: string; to?: string }>;
  backups: Array<{ id: string; at: string }>;
  now: string;
  title: string;
}

const W = 720;
const H = 96;
const LEFT = 12;
const RIGHT = 12;
const BAR_Y = 34;
const BAR_H = 18;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function windowTimelineSvg(input: TimelineInput): string {
  const times = [
    ...input.intervals.flatMap((i) => [Date.parse(i.from), Date.parse(i.to)]),
    ...input.backups.map((b) => Date.parse(b.at)),
    Date.parse(input.now),
  ].filter((t) => Number.isFinite(t));
  const start = Math.min(...times);
  const end = Math.max(...times);
  const span = Math.max(end - start, 1000);
  const x = (iso: string) => LEFT + ((Date.parse(iso) - start) / span) * (W - LEFT - RIGHT);
  const parts: string[] = [];
  parts.push(`<title>${escapeXml(input.title)}</title>`);
  parts.push(`<line x1="${LEFT}" y1="${BAR_Y + BAR_H + 6}" x2="${W - RIGHT}" y2="${BAR_Y + BAR_H + 6}" stroke="#8a94a6" stroke-width="1"/>`);
  for (const iv of input.intervals) {
    const x1 = x(iv.from);
    const w = Math.max(2, x(iv.to) - x1);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${BAR_Y}" width="${w.toFixed(1)}" height="${BAR_H}" rx="3" fill="#2f855a"><title>${escapeXml(`${iv.label}: ${formatTime(iv.from)} to ${formatTime(iv.to)}`)}</title></rect>`);
  }
  for (const g of input.gaps) {
    if (!g.from || !g.to) continue;
    const x1 = x(g.from);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${BAR_Y - 4}" width="${Math.max(2, x(g.to) - x1).toFixed(1)}" height="${BAR_H + 8}" fill="#c53030"><title>${escapeXml(`gap: ${formatTime(g.from)} to ${formatTime(g.to)}`)}</title></rect>`);
  }
  for (const b of input.backups) {
    const bx = x(b.at).toFixed(1);
    parts.push(`<line x1="${bx}" y1="${BAR_Y - 8}" x2="${bx}" y2="${BAR_Y + BAR_H + 6}" stroke="#1a365d" stroke-width="2"><title>${escapeXml(`backup ${b.id} at ${formatTime(b.at)}`)}</title></line>`);
  }
  const nowX = x(input.now).toFixed(1);
  parts.push(`<line x1="${nowX}" y1="${BAR_Y - 12}" x2="${nowX}" y2="${BAR_Y + BAR_H + 10}" stroke="#744210" stroke-width="1" stroke-dasharray="3 2"/>`);
  parts.push(`<text x="${LEFT}" y="16" font-size="11" font-family="sans-serif" fill="#1a202c">${escapeXml(formatTime(new Date(start).toISOString()))}</text>`);
  parts.push(`<text x="${W - RIGHT}" y="16" font-size="11" font-family="sans-serif" fill="#1a202c" text-anchor="end">now ${escapeXml(formatTime(input.now))}</text>`);
  parts.push(`<text x="${LEFT}" y="${H - 8}" font-size="10" font-family="sans-serif" fill="#4a5568">green: recoverable · red: gap · dark ticks: base backups</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeXml(input.title)}" class="timeline">${parts.join('')}</svg>`;
}
