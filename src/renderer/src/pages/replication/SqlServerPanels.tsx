// The SQL Server parts of the replication page: availability groups (replicas, databases with queues and
// estimated data loss), log shipping against its thresholds, and failover guidance (text, never an action).
//
// Names for end-to-end tests: data-testid="ag-<name>", "ag-db-<replica>-<database>", "log-shipping",
// "failover-guidance".
import type { SqlServerReplicationView } from '../../../../shared/replication';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { HEALTH_LABEL, HEALTH_TONE, LEVEL_TONE, orDash, secondsText } from './replicationFormat';

const kb = (n: number | null) => (n === null ? '—' : `${n.toLocaleString()} KB`);
const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

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
          <div className="table-scroll">
            <table className="data-table" aria-label={`Replicas of ${g.name}`}>
              <thead>
                <tr>
                  <th scope="col">Replica</th>
                  <th scope="col">Role</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Failover</th>
                  <th scope="col">Connected</th>
                  <th scope="col">Health</th>
                </tr>
              </thead>
              <tbody>
                {g.replicas.map((r) => (
                  <tr key={r.replicaServerName}>
                    <th scope="row">
                      {r.replicaServerName}
                      {r.isLocal && <span className="muted"> (this server)</span>}
                    </th>
                    <td>{orDash(r.role)}</td>
                    <td>{r.availabilityMode}</td>
                    <td>{r.failoverMode}</td>
                    <td>{r.connectedState === 'DISCONNECTED' ? <StatusBadge tone="error" title={r.lastConnectError ?? undefined}>DISCONNECTED</StatusBadge> : orDash(r.connectedState)}</td>
                    <td>{orDash(r.synchronizationHealth)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-scroll">
            <table className="data-table" aria-label={`Databases of ${g.name}`}>
              <thead>
                <tr>
                  <th scope="col">Database</th>
                  <th scope="col">Replica</th>
                  <th scope="col">Synchronization</th>
                  <th scope="col">Send queue</th>
                  <th scope="col">Redo queue</th>
                  <th scope="col">Est. data loss</th>
                  <th scope="col">Est. recovery</th>
                  <th scope="col">Last commit</th>
                </tr>
              </thead>
              <tbody>
                {g.databases.map((d) => (
                  <tr key={`${d.replicaServerName}-${d.databaseName}`} data-testid={`ag-db-${d.replicaServerName}-${d.databaseName}`}>
                    <th scope="row">{d.databaseName}</th>
                    <td>
                      {d.replicaServerName}
                      {d.isPrimaryReplica && <span className="muted"> (primary)</span>}
                    </td>
                    <td>
                      <StatusBadge tone={LEVEL_TONE[d.level]} title={d.isSuspended ? `suspended: ${d.suspendReason}` : orDash(d.synchronizationHealth)}>
                        {d.isSuspended ? 'SUSPENDED' : orDash(d.synchronizationState)}
                      </StatusBadge>
                    </td>
                    <td className="num">{kb(d.logSendQueueKb)}</td>
                    <td className="num">{kb(d.redoQueueKb)}</td>
                    <td className="num">{secondsText(d.estimatedDataLossSeconds)}</td>
                    <td className="num">{secondsText(d.estimatedRecoverySeconds)}</td>
                    <td>{when(d.lastCommitTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      {(view.logShipping.primaries.length > 0 || view.logShipping.secondaries.length > 0) && (
        <section className="panel" aria-labelledby="log-shipping-title" data-testid="log-shipping">
          <h2 id="log-shipping-title">Log shipping</h2>
          <div className="table-scroll">
            <table className="data-table" aria-label="Log shipping">
              <thead>
                <tr>
                  <th scope="col">Database</th>
                  <th scope="col">Side</th>
                  <th scope="col">Last backup / copy</th>
                  <th scope="col">Last restore</th>
                  <th scope="col">Minutes since</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {view.logShipping.primaries.map((p) => (
                  <tr key={`p-${p.primaryDatabase}`}>
                    <th scope="row">{p.primaryDatabase}</th>
                    <td>primary</td>
                    <td>{when(p.lastBackupDate)}</td>
                    <td>—</td>
                    <td className="num">{orDash(p.minutesSinceBackup)}</td>
                    <td className="num">{p.backupThresholdMinutes} min</td>
                    <td>{p.overThreshold ? <StatusBadge tone="error">over threshold</StatusBadge> : <StatusBadge tone="ok">ok</StatusBadge>}</td>
                  </tr>
                ))}
                {view.logShipping.secondaries.map((s) => (
                  <tr key={`s-${s.secondaryDatabase}`}>
                    <th scope="row">{s.secondaryDatabase}</th>
                    <td>secondary of {s.primaryServer}</td>
                    <td>{when(s.lastCopiedDate)}</td>
                    <td>{when(s.lastRestoredDate)}</td>
                    <td className="num">{orDash(s.minutesSinceRestore)}</td>
                    <td className="num">{s.restoreThresholdMinutes} min</td>
                    <td>{s.overThreshold ? <StatusBadge tone="error">over threshold</StatusBadge> : <StatusBadge tone="ok">ok</StatusBadge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
