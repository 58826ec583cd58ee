// Succeeded and failed jobs per day over 30 days, as stacked bars (recharts). The figures are also in the
// rates above the chart, so nothing depends on reading the colours.
//
// Names for end-to-end tests: figure data-testid="outcomes-chart" with data-days, data-succeeded, data-failed.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyOutcome } from '../../../../shared/monitoring';

const OK = '#2f8f5b';
const FAILED = '#c0392b';

export function OutcomesChart({ daily }: { daily: DailyOutcome[] }) {
  const succeeded = daily.reduce((n, d) => n + d.succeeded, 0);
  const failed = daily.reduce((n, d) => n + d.failed, 0);
  const data = daily.map((d) => ({ ...d, label: d.day.slice(5) }));
  return (
    <figure className="dashboard__chart" data-testid="outcomes-chart" data-days={daily.length} data-succeeded={succeeded} data-failed={failed} aria-label={`Jobs per day over ${daily.length} days: ${succeeded} succeeded, ${failed} failed`}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={4} tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend />
          <Bar dataKey="succeeded" name="Succeeded" stackId="jobs" fill={OK} isAnimationActive={false} />
          <Bar dataKey="failed" name="Failed" stackId="jobs" fill={FAILED} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
