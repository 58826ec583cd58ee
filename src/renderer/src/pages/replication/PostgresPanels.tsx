// The PostgreSQL parts of the replication page: the standby's own position, the standbys table (cascades
// indented), slots, archiver and topology.
//
// Names for end-to-end tests: table "Standbys" (data-testid="standbys-table") with rows
// data-testid="standby-row-<application_name>" carrying data-state and data-level; table "Replication slots"
// (data-testid="slots-table", rows "slot-row-<name>"); region "Archiver" (data-testid="archiver-panel",
// data-failing); region "This standby" (data-testid="standby-position", data-paused).
import { Fragment } from 'react';
import type { PostgresReplicationView, StandbyView } from '../../../../shared/replication';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { bytesText, HEALTH_LABEL, HEALTH_TONE, LEVEL_TONE, orDash, secondsText } from './replicationFormat';

function StandbyRows({ list, depth }: { list: StandbyView[]; depth: number }) {
  return (
    <>
      {list.map((s) => (
        <Fragment key={`${s.applicationName}-${s.clientPort}`}>
          <tr data-testid={`standby-row-${s.applicationName}`} data-state={s.state} data-level={s.level}>
            <th scope="row" style={{ paddingLeft: `${0.75 + depth * 1.25}rem` }}>
              {depth > 0 && <span aria-label="cascaded from the row above">↳ </span>}
              {s.applicationName}
              {s.serviceId && <span className="fleet__id mono"> {s.serviceId}</span>}
            </th>
            <td className="mono">{s.clientAddr ? `${s.clientAddr}:${s.clientPort}` : '—'}</td>
            <td>
              <StatusBadge tone={HEALTH_TONE[s.health]} title={s.matchedBy}>
                {s.state}
              </StatusBadge>
            </td>
            <td>{orDash(s.syncState)}</td>
            <td className="mono">{orDash(s.replayLsn)}</td>
            <td className="num">{bytesText(s.writeLagBytes)}</td>
            <td className="num">{bytesText(s.flushLagBytes)}</td>
            <td className="num" data-testid={`standby-behind-${s.applicationName}`}>
              {bytesText(s.replayLagBytes)}
            </td>
            <td className="num">{secondsText(s.replayLagSeconds)}</td>
            <td>
              <StatusBadge tone={LEVEL_TONE[s.level]}>{s.level}</StatusBadge>
            </td>
          </tr>
          {s.cascade && <StandbyRows list={s.cascade} depth={depth + 1} />}
        </Fragment>
      ))}
    </>
  );
}

export function PostgresPanels({ view }: { view: PostgresReplicationView }) {
  const s = view.standby;
  return (
    <>
      {s && (
        <section className="panel" aria-labelledby="standby-position-title" data-testid="standby-position" data-paused={String(s.replayPaused)}>
          <h2 id="standby-position-title">This standby</h2>
          <dl className="facts">
            <dt>WAL receiver</dt>
            <dd>
              <StatusBadge tone={s.receiverStatus === 'streaming' ? 'ok' : 'error'}>{s.receiverStatus ?? 'not running'}</StatusBadge>
              {s.senderHost && (
                <span className="mono">
                  {' '}
                  from {s.senderHost}:{s.senderPort}
                </span>
              )}
              {s.slotName && ` via slot ${s.slotName}`} as <span className="mono">{orDash(s.applicationName)}</span>
            </dd>
            <dt>Received / replayed</dt>
            <dd className="mono">
              {orDash(s.receiveLsn)} / {orDash(s.replayLsn)}
            </dd>
            <dt>Not replayed</dt>
            <dd data-testid="standby-unreplayed">{bytesText(s.unreplayedBytes)}</dd>
            <dt>Not received (at least)</dt>
            <dd>{bytesText(s.unreceivedBytes)}</dd>
            <dt>Replay</dt>
            <dd>{s.replayPaused ? <StatusBadge tone="warn">paused</StatusBadge> : 'running'}</dd>
            <dt>Last replayed commit</dt>
            <dd>
              {s.lastReplayedCommitTime ? formatDateTime(s.lastReplayedCommitTime) : '—'}
              {s.replayDelaySeconds !== null && ` (${secondsText(s.replayDelaySeconds)} ago)`}
              {s.caughtUp && <span className="muted"> — caught up: on an idle primary this delay grows with nothing missing</span>}
            </dd>
          </dl>
        </section>
      )}

      <section className="panel" aria-labelledby="standbys-title">
        <h2 id="standbys-title">Standbys</h2>
        {view.standbys.length === 0 ? (
          <p className="muted" data-testid="standbys-empty">
            No standby streams from this server{view.role === 'standby' ? ' (no cascade)' : ''}.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Standbys" data-testid="standbys-table">
              <thead>
                <tr>
                  <th scope="col">Standby</th>
                  <th scope="col">Client</th>
                  <th scope="col">State</th>
                  <th scope="col">Sync</th>
                  <th scope="col">Replay LSN</th>
                  <th scope="col">Write behind</th>
                  <th scope="col">Flush behind</th>
                  <th scope="col">Replay behind</th>
                  <th scope="col">Replay lag</th>
                  <th scope="col">Level</th>
                </tr>
              </thead>
              <tbody>
                <StandbyRows list={view.standbys} depth={0} />
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="slots-title">
        <h2 id="slots-title">Replication slots</h2>
        {view.slots.length === 0 ? (
          <p className="muted">No replication slots.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Replication slots" data-testid="slots-table">
              <thead>
                <tr>
                  <th scope="col">Slot</th>
                  <th scope="col">Type</th>
                  <th scope="col">Active</th>
                  <th scope="col">Restart LSN</th>
                  <th scope="col">Retained WAL</th>
                  <th scope="col">WAL status</th>
                  <th scope="col">Safe WAL size</th>
                </tr>
              </thead>
              <tbody>
                {view.slots.map((slot) => (
                  <tr key={slot.name} data-testid={`slot-row-${slot.name}`}>
                    <th scope="row" className="mono">
                      {slot.name}
                    </th>
                    <td>{slot.slotType}</td>
                    <td>{slot.active ? 'yes' : <StatusBadge tone="warn">inactive</StatusBadge>}</td>
                    <td className="mono">{orDash(slot.restartLsn)}</td>
                    <td className="num">
                      <StatusBadge tone={LEVEL_TONE[slot.level]}>{bytesText(slot.retainedBytes)}</StatusBadge>
                    </td>
                    <td>{orDash(slot.walStatus)}</td>
                    <td className="num">{slot.safeWalSizeBytes === null ? 'unlimited' : bytesText(slot.safeWalSizeBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {view.archiver && (
        <section className="panel" aria-labelledby="archiver-title" data-testid="archiver-panel" data-failing={String(view.archiver.failing)}>
          <h2 id="archiver-title">Archiver</h2>
          <dl className="facts">
            <dt>archive_mode</dt>
            <dd className="mono">{view.archiver.archiveMode}</dd>
            <dt>Archived</dt>
            <dd>
              {view.archiver.archivedCount}
              {view.archiver.lastArchivedWal && (
                <>
                  , last <span className="mono">{view.archiver.lastArchivedWal}</span> at {formatDateTime(view.archiver.lastArchivedTime!)}
                </>
              )}
            </dd>
            <dt>Failed</dt>
            <dd>
              {view.archiver.failing ? <StatusBadge tone="error">{`${view.archiver.failedCount} — failing now`}</StatusBadge> : view.archiver.failedCount}
              {view.archiver.lastFailedWal && (
                <>
                  , last <span className="mono">{view.archiver.lastFailedWal}</span> at {formatDateTime(view.archiver.lastFailedTime!)}
                </>
              )}
            </dd>
          </dl>
        </section>
      )}

      <section className="panel" aria-labelledby="topology-title">
        <h2 id="topology-title">Topology</h2>
        <ul className="plain-list replication__topology" data-testid="topology">
          {view.topology.map((n) => (
            <li key={`${n.address}-${n.role}-${n.applicationName ?? ''}`} data-role={n.role}>
              <StatusBadge tone={HEALTH_TONE[n.health]} title={HEALTH_LABEL[n.health]}>
                {n.role}
              </StatusBadge>{' '}
              <strong>{n.serviceId ?? n.applicationName ?? 'unregistered'}</strong> <span className="mono">{n.address}</span>
              {n.upstream && <span className="muted"> ← streams from {n.upstream}</span>} <span className="muted">({n.state})</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
