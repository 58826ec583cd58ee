// Repository storage per service over 30 days (recharts lines); the table beside it carries the same figures.
//
// Names for end-to-end tests: figure data-testid="storage-chart" with data-services.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StorageSeries } from '../../../../shared/monitoring';
import { formatBytes } from '../../format/jobQuantities';

const PALETTE = ['#1f5fa3', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#c0392b', '#2c3e50', '#b7950b'];

export function StorageChart({ storage }: { storage: StorageSeries[] }) {
  const days = storage[0]?.points.map((p) => p.day) ?? [];
  const data = days.map((day, i) => ({ label: day.slice(5), ...Object.fromEntries(storage.map((s) => [s.serviceId, s.points[i]?.bytes ?? 0])) }));
  return (
    <figure className="dashboard__chart" data-testid="storage-chart" data-services={storage.length} aria-label={`Repository storage per service over ${days.length} days`}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={4} tick={{ fontSize: 11 }} />
          <YAxis tickFormatter={(v: number) => formatBytes(v)} tick={{ fontSize: 11 }} width={72} />
          <Tooltip formatter={(v) => formatBytes(Number(v))} />
          <Legend />
          {storage.map((s, i) => (
            <Line key={s.serviceId} type="stepAfter" dataKey={s.serviceId} stroke={PALETTE[i % PALETTE.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
