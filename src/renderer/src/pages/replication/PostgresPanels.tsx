// The PostgreSQL parts of the replication page: the standby's own position, the standbys table (cascades
// indented), slots, archiver and topology.
//
// Names for end-to-end tests: table "Standbys" (data-testid="standbys-table") with rows
// data-testid="standby-row-<application_name>" carrying data-state and data-level; table "Replication slots"
// (data-testid="slots-table", rows "slot-row-<name>"); region "Archiver" (data-testid="archiver-panel",
// data-failing); region "This standby" (data-testid="standby-position", data-paused).
import type { PostgresReplicationView, SlotView, StandbyView } from '../../../../shared/replication';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { bytesText, HEALTH_LABEL, HEALTH_TONE, LEVEL_TONE, orDash, secondsText } from './replicationFormat';

/** A standby and the standbys cascading from it, one row each, in tree order with their depth. */
interface StandbyLine {
  standby: StandbyView;
  depth: number;
}

function standbyLines(list: StandbyView[], depth = 0): StandbyLine[] {
  return list.flatMap((standby) => [{ standby, depth }, ...(standby.cascade ? standbyLines(standby.cascade, depth + 1) : [])]);
}

const STANDBY_COLUMNS: DataTableColumn<StandbyLine>[] = [
  {
    id: 'standby',
    header: 'Standby',
    rowHeader: true,
    cellAttributes: ({ depth }) => ({ style: { paddingLeft: `${0.75 + depth * 1.25}rem` } }),
    cell: ({ standby: s, depth }) => (
      <>
        {depth > 0 && <span aria-label="cascaded from the row above">↳ </span>}
        {s.applicationName}
        {s.serviceId && <span className="replication__service mono"> {s.serviceId}</span>}
      </>
    ),
  },
  { id: 'client', header: 'Client', className: 'mono', cell: ({ standby: s }) => (s.clientAddr ? `${s.clientAddr}:${s.clientPort}` : '—') },
  {
    id: 'state',
    header: 'State',
    cell: ({ standby: s }) => (
      <StatusBadge tone={HEALTH_TONE[s.health]} title={s.matchedBy}>
        {s.state}
      </StatusBadge>
    ),
  },
  { id: 'sync', header: 'Sync', cell: ({ standby: s }) => orDash(s.syncState) },
  { id: 'replay-lsn', header: 'Replay LSN', className: 'mono', cell: ({ standby: s }) => orDash(s.replayLsn) },
  { id: 'write', header: 'Write behind', className: 'num', cell: ({ standby: s }) => bytesText(s.writeLagBytes) },
  { id: 'flush', header: 'Flush behind', className: 'num', cell: ({ standby: s }) => bytesText(s.flushLagBytes) },
  {
    id: 'replay',
    header: 'Replay behind',
    className: 'num',
    cellAttributes: ({ standby: s }) => ({ 'data-testid': `standby-behind-${s.applicationName}` }),
    cell: ({ standby: s }) => bytesText(s.replayLagBytes),
  },
  { id: 'lag', header: 'Replay lag', className: 'num', cell: ({ standby: s }) => secondsText(s.replayLagSeconds) },
  { id: 'level', header: 'Level', cell: ({ standby: s }) => <StatusBadge tone={LEVEL_TONE[s.level]}>{s.level}</StatusBadge> },
];

const SLOT_COLUMNS: DataTableColumn<SlotView>[] = [
  { id: 'slot', header: 'Slot', rowHeader: true, className: 'mono', sortValue: (slot) => slot.name, cell: (slot) => slot.name },
  { id: 'type', header: 'Type', sortValue: (slot) => slot.slotType, cell: (slot) => slot.slotType },
  { id: 'active', header: 'Active', cell: (slot) => (slot.active ? 'yes' : <StatusBadge tone="warn">inactive</StatusBadge>) },
  { id: 'restart', header: 'Restart LSN', className: 'mono', cell: (slot) => orDash(slot.restartLsn) },
  {
    id: 'retained',
    header: 'Retained WAL',
    className: 'num',
    sortValue: (slot) => slot.retainedBytes ?? undefined,
    sortDescFirst: true,
    cell: (slot) => <StatusBadge tone={LEVEL_TONE[slot.level]}>{bytesText(slot.retainedBytes)}</StatusBadge>,
  },
  { id: 'status', header: 'WAL status', cell: (slot) => orDash(slot.walStatus) },
  { id: 'safe', header: 'Safe WAL size', className: 'num', cell: (slot) => (slot.safeWalSizeBytes === null ? 'unlimited' : bytesText(slot.safeWalSizeBytes)) },
];

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
          <DataTable
            label="Standbys"
            testId="standbys-table"
            rows={standbyLines(view.standbys)}
            columns={STANDBY_COLUMNS}
            rowKey={({ standby: s }) => `${s.applicationName}-${s.clientPort}`}
            rowAttributes={({ standby: s }) => ({ 'data-testid': `standby-row-${s.applicationName}`, 'data-state': s.state, 'data-level': s.level })}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="slots-title">
        <h2 id="slots-title">Replication slots</h2>
        {view.slots.length === 0 ? (
          <p className="muted">No replication slots.</p>
        ) : (
          <DataTable
            label="Replication slots"
            testId="slots-table"
            rows={view.slots}
            columns={SLOT_COLUMNS}
            rowKey={(slot) => slot.name}
            rowAttributes={(slot) => ({ 'data-testid': `slot-row-${slot.name}` })}
          />
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
