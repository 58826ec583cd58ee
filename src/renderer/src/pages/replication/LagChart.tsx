// One standby's lag over the session as an SVG line: bytes behind on the y axis, time on the x axis, the
// warn threshold as a dashed line when it is in range. Updated as 'replication.sample' events arrive.
//
// Names for end-to-end tests: figure data-testid="lag-chart-<standby>" with data-points (samples drawn) and
// data-latest-bytes; the latest figure as text data-testid="lag-latest-<standby>".
import { useMemo } from 'react';
import type { LagSeries } from './lagSeries';
import { bytesText, secondsText } from './replicationFormat';

const W = 560;
const H = 140;
const PAD = { left: 64, right: 12, top: 10, bottom: 22 };

export function LagChart({ series, warnBytes }: { series: LagSeries; warnBytes?: number }) {
  const latest = [...series.points].reverse().find((p) => p.bytes !== null);
  const { path, max, t0, t1 } = useMemo(() => {
    const pts = series.points;
    const t0 = pts[0]?.at ?? 0;
    const t1 = Math.max(pts.at(-1)?.at ?? 1, t0 + 1);
    const max = Math.max(1024, ...pts.map((p) => p.bytes ?? 0));
    const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
    const y = (b: number) => H - PAD.bottom - (b / max) * (H - PAD.top - PAD.bottom);
    let d = '';
    let pen = false;
    for (const p of pts) {
      if (p.bytes === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.bytes).toFixed(1)} `;
      pen = true;
    }
    if (pts.length === 1 && pts[0]!.bytes !== null) d += `L${(W - PAD.right).toFixed(1)},${y(pts[0]!.bytes).toFixed(1)}`;
    return { path: d.trim(), max, t0, t1 };
  }, [series.points]);
  const yOf = (b: number) => H - PAD.bottom - (b / max) * (H - PAD.top - PAD.bottom);
  const name = series.serviceId ?? series.standby;

  return (
    <figure className="lag-chart" data-testid={`lag-chart-${series.standby}`} data-points={series.points.length} data-latest-bytes={latest?.bytes ?? ''}>
      <figcaption>
        <strong>{name}</strong>{' '}
        <span data-testid={`lag-latest-${series.standby}`}>
          {latest ? `${bytesText(latest.bytes)} behind, replay lag ${secondsText(latest.seconds)}` : 'no figure yet'}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Bytes behind for ${name} over the last ${Math.round((t1 - t0) / 1000)} s, latest ${bytesText(latest?.bytes)}`}>
        <line className="lag-chart__axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line className="lag-chart__axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text className="lag-chart__tick" x={PAD.left - 6} y={PAD.top + 8} textAnchor="end">
          {bytesText(max)}
        </text>
        <text className="lag-chart__tick" x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end">
          0
        </text>
        <text className="lag-chart__tick" x={W - PAD.right} y={H - 6} textAnchor="end">
          now
        </text>
        <text className="lag-chart__tick" x={PAD.left} y={H - 6}>
          {series.points.length ? `−${Math.round((t1 - t0) / 1000)} s` : ''}
        </text>
        {warnBytes !== undefined && warnBytes <= max && <line className="lag-chart__warn" x1={PAD.left} x2={W - PAD.right} y1={yOf(warnBytes)} y2={yOf(warnBytes)} />}
        {path && <path className="lag-chart__line" d={path} data-testid={`lag-line-${series.standby}`} />}
      </svg>
    </figure>
  );
}
