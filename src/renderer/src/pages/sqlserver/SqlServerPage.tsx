// A SQL Server service's backups and recovery (#/service/<id>/sqlserver, a tab of its page): backups run by the server, the backup history on the same
// recovery timeline as PostgreSQL's and as a table, "Find the moment" over the log backups (its findings flags on
// the timeline, each setting the restore to its log record), a restore planned step by step with its T-SQL
// script, verification and drills. Jobs appear in the jobs panel like every other job.
//
// Names for end-to-end tests: heading "SQL Server: <service name>"; region "Recoverable window"
// (data-testid="recovery-timeline", see ../../components/RecoveryTimeline.tsx; while loading
// data-testid="sqlserver-window-loading", on error "sqlserver-window-error"); the history table
// (SqlHistoryTable.tsx); region "Find the moment" (../recovery/FindMomentPanel.tsx); panels in SqlBackupPanel.tsx, SqlRestorePanel.tsx, SqlDrillsPanel.tsx and
// SqlCommandLogPanel.tsx. Empty states: data-testid="sqlserver-not-sqlserver".
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MomentFinding } from '../../../../shared/findMoment';
import { appClient } from '../../client/appClient';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RecoveryTimeline } from '../../components/RecoveryTimeline';
import type { TimelineTerms } from '../../components/RecoveryTimeline';
import { formatInZone, formatWall, UTC, wallAt, workstationZone } from '../../format/zonedTime';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { useServicesStore } from '../../stores/servicesStore';
import { FindMomentPanel } from '../recovery/FindMomentPanel';
import { ACTION_WORD, findingEvents, findingKey, findingTables } from '../recovery/findMomentView';
import { EMPTY_DRAFT, readInstant, zoneOf } from '../recovery/targetDraft';
import { useLoaded } from '../recovery/useLoaded';
import { SqlBackupPanel } from './SqlBackupPanel';
import { SqlDrillsPanel } from './SqlDrillsPanel';
import { SqlCommandLogPanel } from './SqlCommandLogPanel';
import { SqlHistoryTable } from './SqlHistoryTable';
import { SqlRestorePanel, type SqlRestoreDraft } from './SqlRestorePanel';
import { sqlWindowBounds, sqlWindowSummary, sqlWindowTimelineData } from './sqlWindowTimelineData';
import '../../styles/page.css';
import './SqlServerPage.css';

/** SQL Server's words for the timeline's shapes. */
const SQL_SERVER_TERMS: TimelineTerms = { coverage: 'Log backups', gap: 'Broken log chain', backup: 'Full backup' };

export function SqlServerPage({ serviceId }: { serviceId: string }) {
  const services = useServicesStore((s) => s.services);
  const view = services.find((v) => v.service.id === serviceId);
  const isSqlServer = view?.service.engine === 'sqlserver';
  const database = view?.service.connection.database ?? '';
  const name = view?.service.name ?? serviceId;
  const localZone = useMemo(() => workstationZone(), []);
  const [announcement, setAnnouncement] = useState('');
  const [draft, setDraft] = useState<SqlRestoreDraft>({ kind: 'time', time: '', zone: 'local', offset: '+00:00', asDatabase: '' });
  useDocumentTitle(`SQL Server: ${name}`);

  useEffect(() => {
    if (database) setDraft((d) => (d.asDatabase ? d : { ...d, asDatabase: `${database}_restored` }));
  }, [database]);

  const load = useCallback(() => appClient().call('sqlserver.window', { serviceId }), [serviceId]);
  const recoverable = useLoaded(load, Boolean(isSqlServer));
  const { refresh } = recoverable;
  useEffect(() => {
    if (!isSqlServer) return;
    return appClient().on('job.changed', (job) => {
      if (job.kind === 'sqlserver.backup' && job.serviceId === serviceId && job.state === 'succeeded') void refresh();
    });
  }, [isSqlServer, serviceId, refresh]);

  const zone = useMemo(() => zoneOf({ zone: draft.zone, offset: draft.offset }, localZone) ?? UTC, [draft.zone, draft.offset, localZone]);
  const [findings, setFindings] = useState<MomentFinding[]>([]);
  // The finding whose log record the restore form targets.
  const chosen = draft.kind === 'mark' ? findings.find((f) => [f.before, f.after].some((t) => t.engine === 'sqlserver' && (t.stopBeforeMark ?? t.stopAtMark) === `lsn:${draft.mark?.lsn}`)) : undefined;
  const timelineData = useMemo(
    () => (recoverable.value ? { ...sqlWindowTimelineData(recoverable.value), events: findingEvents(findings, chosen && findingKey(chosen)) } : undefined),
    [recoverable.value, findings, chosen],
  );
  const findBounds = useMemo(() => (recoverable.value ? sqlWindowBounds(recoverable.value) : undefined), [recoverable.value]);
  const summary = useMemo(() => (recoverable.value ? sqlWindowSummary(recoverable.value, (ms) => formatInZone(ms, zone)) : ''), [recoverable.value, zone]);
  const onDraft = useCallback((change: Partial<SqlRestoreDraft>) => setDraft((d) => ({ ...d, ...change })), []);
  const onPick = useCallback((ms: number) => setDraft((d) => ({ ...d, kind: 'time', time: formatWall(wallAt(ms, zone)) })), [zone]);
  const reading = draft.kind === 'time' && draft.time ? readInstant({ ...EMPTY_DRAFT, time: draft.time, zone: draft.zone, offset: draft.offset }, localZone) : undefined;
  const target = reading?.ok ? reading.ms : draft.kind === 'mark' && draft.mark ? Date.parse(draft.mark.time) : undefined;
  const onUseTarget = useCallback((f: MomentFinding, side: 'before' | 'after') => {
    const t = side === 'before' ? f.before : f.after;
    const mark = t.engine === 'sqlserver' ? (t.stopBeforeMark ?? t.stopAtMark) : undefined;
    if (t.engine !== 'sqlserver' || !mark) return;
    setDraft((d) => ({ ...d, kind: 'mark', mark: { lsn: mark.replace(/^lsn:/, ''), inclusive: side === 'after', time: t.stopAt } }));
    setAnnouncement(`Target: just ${side} transaction ${f.xid} (${ACTION_WORD[f.action]} of ${findingTables(f)}). Plan the restore in the form below.`);
    document.querySelector('[data-testid="sqlserver-restore-form"]')?.scrollIntoView({ block: 'nearest' });
  }, []);
  const onEvent = useCallback(
    (id: string) => {
      const f = findings.find((x) => findingKey(x) === id);
      if (f) onUseTarget(f, 'before');
    },
    [findings, onUseTarget],
  );

  return (
    <div className="page sqlserver">
      <ServicePageHeader
        serviceId={serviceId}
        title={`SQL Server: ${name}`}
        lead={
          <>
            {database && (
              <>
                {' '}
                · database <span className="mono">{database}</span>
              </>
            )}
            {view?.service.policy.rpo && ` · RPO ${view.service.policy.rpo}`}
            {view?.service.policy.rto && ` · RTO ${view.service.policy.rto}`}
          </>
        }
        announcement={announcement}
      />

      {view && !isSqlServer && (
        <EmptyState title="This page is for SQL Server services" testId="sqlserver-not-sqlserver">
          PostgreSQL services have their own Backups and Recovery pages.
        </EmptyState>
      )}

      {view && isSqlServer && (
        <>
          <SqlBackupPanel serviceId={serviceId} database={database} policy={view.service.policy.sqlServer} announce={setAnnouncement} />

          <section className="panel" aria-labelledby="sqlserver-history-heading">
            <h2 id="sqlserver-history-heading">Backup history of {database}</h2>
            {recoverable.error && <ErrorNotice error={recoverable.error} testId="sqlserver-window-error" />}
            {!timelineData && !recoverable.error && (
              <p className="muted" data-testid="sqlserver-window-loading">
                Reading the backup history from msdb…
              </p>
            )}
            {timelineData && <RecoveryTimeline data={timelineData} zone={zone} target={target} onPick={onPick} onEvent={onEvent} summary={summary} bandLabel="Restorable" terms={SQL_SERVER_TERMS} />}
            {recoverable.value && <SqlHistoryTable sets={recoverable.value.sets} zone={zone} />}
          </section>

          <FindMomentPanel
            serviceId={serviceId}
            engine="sqlserver"
            bounds={findBounds}
            zone={zone}
            selected={chosen && findingKey(chosen)}
            onFindings={setFindings}
            onUseTarget={onUseTarget}
            announce={setAnnouncement}
          />

          <SqlRestorePanel serviceId={serviceId} database={database} draft={draft} onDraft={onDraft} localZone={localZone} announce={setAnnouncement} />

          <SqlDrillsPanel serviceId={serviceId} database={database} zone={zone} announce={setAnnouncement} />

          <SqlCommandLogPanel serviceId={serviceId} database={database} zone={zone} />
        </>
      )}
    </div>
  );
}
