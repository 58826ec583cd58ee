// The SQL Server parts of the replication page: availability groups (replicas, databases with queues and
// estimated data loss), log shipping against its thresholds, and failover guidance (text, never an action).
//
// Names for end-to-end tests: data-testid="ag-<name>", "ag-db-<replica>-<database>", "log-shipping",
// "failover-guidance".
import type { AvailabilityDatabaseView, AvailabilityReplicaView, SqlServerReplicationView } from '../../../../shared/replication';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { HEALTH_LABEL, HEALTH_TONE, LEVEL_TONE, orDash, secondsText } from './replicationFormat';

const kb = (n: number | null) => (n === null ? '—' : `${n.toLocaleString()} KB`);
const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

const REPLICA_COLUMNS: DataTableColumn<AvailabilityReplicaView>[] = [
  {
    id: 'replica',
    header: 'Replica',
    rowHeader: true,
    cell: (r) => (
      <>
        {r.replicaServerName}
        {r.isLocal && <span className="muted"> (this server)</span>}
      </>
    ),
  },
  { id: 'role', header: 'Role', cell: (r) => orDash(r.role) },
  { id: 'mode', header: 'Mode', cell: (r) => r.availabilityMode },
  { id: 'failover', header: 'Failover', cell: (r) => r.failoverMode },
  {
    id: 'connected',
    header: 'Connected',
    cell: (r) =>
      r.connectedState === 'DISCONNECTED' ? (
        <StatusBadge tone="error" title={r.lastConnectError ?? undefined}>
          DISCONNECTED
        </StatusBadge>
      ) : (
        orDash(r.connectedState)
      ),
  },
  { id: 'health', header: 'Health', cell: (r) => orDash(r.synchronizationHealth) },
];

const DATABASE_COLUMNS: DataTableColumn<AvailabilityDatabaseView>[] = [
  { id: 'database', header: 'Database', rowHeader: true, cell: (d) => d.databaseName },
  {
    id: 'replica',
    header: 'Replica',
    cell: (d) => (
      <>
        {d.replicaServerName}
        {d.isPrimaryReplica && <span className="muted"> (primary)</span>}
      </>
    ),
  },
  {
    id: 'sync',
    header: 'Synchronization',
    cell: (d) => (
      <StatusBadge tone={LEVEL_TONE[d.level]} title={d.isSuspended ? `suspended: ${d.suspendReason}` : orDash(d.synchronizationHealth)}>
        {d.isSuspended ? 'SUSPENDED' : orDash(d.synchronizationState)}
      </StatusBadge>
    ),
  },
  { id: 'send', header: 'Send queue', className: 'num', cell: (d) => kb(d.logSendQueueKb) },
  { id: 'redo', header: 'Redo queue', className: 'num', cell: (d) => kb(d.redoQueueKb) },
  { id: 'loss', header: 'Est. data loss', className: 'num', cell: (d) => secondsText(d.estimatedDataLossSeconds) },
  { id: 'recovery', header: 'Est. recovery', className: 'num', cell: (d) => secondsText(d.estimatedRecoverySeconds) },
  { id: 'commit', header: 'Last commit', cell: (d) => when(d.lastCommitTime) },
];

/** A log shipping primary or secondary as one row of the table. */
interface LogShippingLine {
  key: string;
  database: string;
  side: string;
  lastCopy: string | null;
  lastRestore: string | null;
  minutesSince: number | null;
  thresholdMinutes: number;
  overThreshold: boolean;
}

function logShippingLines(view: SqlServerReplicationView): LogShippingLine[] {
  return [
    ...view.logShipping.primaries.map((p) => ({
      key: `p-${p.primaryDatabase}`,
      database: p.primaryDatabase,
      side: 'primary',
      lastCopy: p.lastBackupDate,
      lastRestore: null,
      minutesSince: p.minutesSinceBackup,
      thresholdMinutes: p.backupThresholdMinutes,
      overThreshold: p.overThreshold,
    })),
    ...view.logShipping.secondaries.map((s) => ({
      key: `s-${s.secondaryDatabase}`,
      database: s.secondaryDatabase,
      side: `secondary of ${s.primaryServer}`,
      lastCopy: s.lastCopiedDate,
      lastRestore: s.lastRestoredDate,
      minutesSince: s.minutesSinceRestore,
      thresholdMinutes: s.restoreThresholdMinutes,
      overThreshold: s.overThreshold,
    })),
  ];
}

const LOG_SHIPPING_COLUMNS: DataTableColumn<LogShippingLine>[] = [
  { id: 'database', header: 'Database', rowHeader: true, cell: (l) => l.database },
  { id: 'side', header: 'Side', cell: (l) => l.side },
  { id: 'copy', header: 'Last backup / copy', cell: (l) => when(l.lastCopy) },
  { id: 'restore', header: 'Last restore', cell: (l) => when(l.lastRestore) },
  { id: 'since', header: 'Minutes since', className: 'num', cell: (l) => orDash(l.minutesSince) },
  { id: 'threshold', header: 'Threshold', className: 'num', cell: (l) => `${l.thresholdMinutes} min` },
  { id: 'state', header: 'State', cell: (l) => (l.overThreshold ? <StatusBadge tone="error">over threshold</StatusBadge> : <StatusBadge tone="ok">ok</StatusBadge>) },
];

export function SqlServerPanels({ view }: { view: SqlServerReplicationView }) {
  return (
    <>
      {view.availabilityGroups.length === 0 && <p className="muted">{view.hadrEnabled ? 'No availability groups on this server.' : 'Always On availability groups are not enabled on this server.'}</p>}
      {view.availabilityGroups.map((g) => (
        <section className="panel" key={g.groupId} aria-label={`Availability group ${g.name}`} data-testid={`ag-${g.name}`}>
          <h2>
            Availability group {g.name}{' '}
            <StatusBadge tone={HEALTH_TONE[g.health]}>{HEALTH_LABEL[g.health]}</StatusBadge>
          </h2>
          <p className="muted">
            Primary {orDash(g.primaryReplica)} · {orDash(g.clusterType)} · {orDash(g.synchronizationHealth)}
          </p>
          <DataTable label={`Replicas of ${g.name}`} rows={g.replicas} columns={REPLICA_COLUMNS} rowKey={(r) => r.replicaServerName} />
          <DataTable
            label={`Databases of ${g.name}`}
            rows={g.databases}
            columns={DATABASE_COLUMNS}
            rowKey={(d) => `${d.replicaServerName}-${d.databaseName}`}
            rowAttributes={(d) => ({ 'data-testid': `ag-db-${d.replicaServerName}-${d.databaseName}` })}
          />
        </section>
      ))}

      {(view.logShipping.primaries.length > 0 || view.logShipping.secondaries.length > 0) && (
        <section className="panel" aria-labelledby="log-shipping-title" data-testid="log-shipping">
          <h2 id="log-shipping-title">Log shipping</h2>
          <DataTable label="Log shipping" rows={logShippingLines(view)} columns={LOG_SHIPPING_COLUMNS} rowKey={(l) => l.key} />
        </section>
      )}

      {view.failoverGuidance.length > 0 && (
        <section className="panel" aria-labelledby="failover-title" data-testid="failover-guidance">
          <h2 id="failover-title">Failover guidance</h2>
          <p className="muted">Lifeboat never fails over a SQL Server: these are the statements for a DBA to run, after deciding to.</p>
          <ul>
            {view.failoverGuidance.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
