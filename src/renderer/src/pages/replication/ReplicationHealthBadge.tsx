// A service's replication at a glance, for the fleet table: healthy, lagging, broken, unknown or none,
// with the summary (or the error) on hover. data-testid="replication-health-<id>" with data-health.
import type { ReplicationOverviewRow } from '../../../../shared/replication';
import { StatusBadge } from '../../components/StatusBadge';
import { HEALTH_LABEL, HEALTH_TONE } from './replicationFormat';

export function ReplicationHealthBadge({ serviceId, row, loading }: { serviceId: string; row?: ReplicationOverviewRow; loading: boolean }) {
  if (!row)
    return (
      <span className="muted" data-testid={`replication-health-${serviceId}`} data-health="">
        {loading ? '…' : '—'}
      </span>
    );
  const title = row.error ? `${row.error.message}\n${row.error.hint}` : `${row.role}: ${row.summary}`;
  return (
    <span data-testid={`replication-health-${serviceId}`} data-health={row.health}>
      <StatusBadge tone={HEALTH_TONE[row.health]} title={title}>
        {HEALTH_LABEL[row.health]}
      </StatusBadge>
    </span>
  );
}
