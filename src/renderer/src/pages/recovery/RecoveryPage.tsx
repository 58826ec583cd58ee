// One service's point-in-time recovery (#/service/<id>/recovery, a tab of its page): continuous WAL and its slot, the
// recoverable window on a timeline, a restore to any second of it into a scratch cluster, the scratch
// clusters that exist, and restore drills with their RTO.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   heading "Recovery of <service name>"; status line (role status) for announcements; region "WAL streaming" (see
//   WalPanel.tsx); region "Recoverable window" (data-testid="recovery-timeline", see
//   ../../components/RecoveryTimeline.tsx; while loading data-testid="recovery-window-loading", on error
//   data-testid="recovery-window-error"); region "Find the moment" (FindMomentPanel.tsx, or FindMomentEngineNote.tsx for a pgBackRest or Barman service; its findings are flags on
//   the timeline); region "Restore to a point in time" with form data-testid="pitr-form" (see PitrForm.tsx); region "Scratch clusters" (ScratchClustersPanel.tsx); region "Drills"
//   (DrillsPanel.tsx). Empty states: data-testid="recovery-not-postgres",
//   "recovery-no-repository".
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MomentFinding } from '../../../../shared/findMoment';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RecoveryTimeline } from '../../components/RecoveryTimeline';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { formatInZone, formatWall, UTC, wallAt, workstationZone } from '../../format/zonedTime';
import { pageHref, serviceHref } from '../../navigation/route';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { useServicesStore } from '../../stores/servicesStore';
import { DrillsPanel } from './DrillsPanel';
import { FindMomentPanel } from './FindMomentPanel';
import { FindMomentEngineNote } from './FindMomentEngineNote';
import { ACTION_WORD, findingEvents, findingKey, findingTables, windowBounds } from './findMomentView';
import { PitrForm } from './PitrForm';
import { ScratchClustersPanel } from './ScratchClustersPanel';
import { EMPTY_DRAFT, readInstant, zoneOf } from './targetDraft';
import type { TargetDraft } from './targetDraft';
import { useDrills } from './useDrills';
import { useRecoveryWindow } from './useRecoveryWindow';
import { useScratchClusters } from './useScratchClusters';
import { useWalStatus } from './useWalStatus';
import { WalPanel } from './WalPanel';
import { EngineArchiveNote } from './EngineArchiveNote';
import { backupEngineOf } from '../../../../shared/domain';
import { windowSummary, windowTimelineData } from './windowTimelineData';
import '../../styles/page.css';
import './RecoveryPage.css';

export function RecoveryPage({ serviceId }: { serviceId: string }) {
  const services = useServicesStore((s) => s.services);
  const view = services.find((v) => v.service.id === serviceId);
  const postgresServices = useMemo(() => services.filter((v) => v.service.engine === 'postgres'), [services]);
  const repository = useRepositoryStore((s) => s.info);
  const loadRepository = useRepositoryStore((s) => s.load);
  const [announcement, setAnnouncement] = useState('');
  const [draft, setDraft] = useState<TargetDraft>(EMPTY_DRAFT);
  const localZone = useMemo(() => workstationZone(), []);

  const name = view?.service.name ?? serviceId;
  const isPostgres = view?.service.engine === 'postgres';
  // A service that pgBackRest or Barman backs up needs no Lifeboat repository: its window is the engine's.
  const byEngine = Boolean(view && backupEngineOf(view.service) !== 'lifeboat');
  const enabled = Boolean(view && isPostgres && (repository || byEngine));

  useEffect(() => {
    void loadRepository();
  }, [loadRepository]);

  useDocumentTitle(`Recovery of ${name}`);

  const wal = useWalStatus(serviceId, enabled && !byEngine);
  const walStamp = wal.value ? `${wal.value.archivedSegments}:${wal.value.lastArchived?.name ?? ''}` : undefined;
  const recoverable = useRecoveryWindow(serviceId, enabled, walStamp);
  const scratch = useScratchClusters(serviceId, enabled);
  const drills = useDrills(serviceId, enabled);

  // An equal zone object per draft, so the timeline's ticks are not recomputed on every keystroke elsewhere.
  const zone = useMemo(() => zoneOf({ zone: draft.zone, offset: draft.offset }, localZone), [draft.zone, draft.offset, localZone]);
  const shownZone = zone ?? UTC;
  const [findings, setFindings] = useState<MomentFinding[]>([]);
  // The finding whose transaction the restore form targets.
  const chosen = draft.kind === 'xid' ? findings.find((f) => f.xid === draft.xid.trim()) : undefined;
  const timelineData = useMemo(
    () => (recoverable.value ? { ...windowTimelineData(recoverable.value), events: findingEvents(findings, chosen && findingKey(chosen)) } : undefined),
    [recoverable.value, findings, chosen],
  );
  const findBounds = useMemo(() => (recoverable.value ? windowBounds(recoverable.value) : undefined), [recoverable.value]);
  const summary = useMemo(() => (recoverable.value ? windowSummary(recoverable.value, (ms) => formatInZone(ms, shownZone)) : ''), [recoverable.value, shownZone]);
  const reading = draft.kind === 'time' ? readInstant(draft, localZone) : undefined;
  const target = reading?.ok ? reading.ms : chosen ? Date.parse(chosen.commitTime) : undefined;

  const onDraft = useCallback((change: Partial<TargetDraft>) => setDraft((d) => ({ ...d, ...change })), []);
  const onPick = useCallback(
    (ms: number) =>
      // A mistyped fixed offset cannot read the pick: fall back to UTC and say so by switching the select.
      setDraft((d) => ({ ...d, kind: 'time', time: formatWall(wallAt(ms, zone ?? UTC)), zone: zone ? d.zone : 'utc' })),
    [zone],
  );
  const onUseTarget = useCallback((f: MomentFinding, side: 'before' | 'after') => {
    const t = side === 'before' ? f.before : f.after;
    if (t.engine !== 'postgres') return;
    setDraft((d) => ({ ...d, kind: 'xid', xid: t.target.xid, inclusive: t.target.inclusive, commitLsn: t.target.commitLsn }));
    setAnnouncement(`Target: just ${side} transaction ${f.xid} (${ACTION_WORD[f.action]} of ${findingTables(f)}). Start the restore in the form below.`);
    document.querySelector('[data-testid="pitr-form"]')?.scrollIntoView({ block: 'nearest' });
  }, []);
  const onEvent = useCallback((id: string) => {
    const f = findings.find((x) => findingKey(x) === id);
    if (f) onUseTarget(f, 'before');
  }, [findings, onUseTarget]);

  return (
    <div className="page recovery">
      <ServicePageHeader
        serviceId={serviceId}
        title={`Recovery of ${name}`}
        lead={
          <>
            {view && ` · ${ENGINE_LABEL[view.service.engine]}`}
            {view?.service.policy.rpo && ` · RPO ${view.service.policy.rpo}`}
            {view?.service.policy.rto && ` · RTO ${view.service.policy.rto}`}
          </>
        }
        announcement={announcement}
      />
      {view && !isPostgres && (
        <EmptyState title="This page is for PostgreSQL services" testId="recovery-not-postgres">
          SQL Server keeps its own log backups: their window, restore plans and scripts are on the{' '}
          <a href={serviceHref(serviceId, 'sqlserver')}>Backups &amp; recovery tab</a>.
        </EmptyState>
      )}
      {view && isPostgres && !byEngine && repository === null && (
        <EmptyState title="No backup repository yet" testId="recovery-no-repository">
          WAL and base backups go into a repository. <a href={pageHref('settings')}>Open Settings</a> to create one or to use an
          existing one.
        </EmptyState>
      )}

      {enabled && (
        <>
          {byEngine ? <EngineArchiveNote service={view!.service} problems={recoverable.value?.engine?.problems} /> : <WalPanel serviceId={serviceId} status={wal.value} error={wal.error} refresh={wal.refresh} announce={setAnnouncement} />}

          {recoverable.error && <ErrorNotice error={recoverable.error} testId="recovery-window-error" />}
          {!timelineData && !recoverable.error && (
            <p className="muted" data-testid="recovery-window-loading">
              Working out the recoverable window…
            </p>
          )}
          {timelineData && <RecoveryTimeline data={timelineData} zone={shownZone} target={target} onPick={onPick} onEvent={onEvent} summary={summary} />}

          {/* Finding the moment reads Lifeboat's own WAL archive: not there for an engine's service, which says why. */}
          {byEngine && <FindMomentEngineNote service={view!.service} />}
          {!byEngine && (
            <FindMomentPanel
              serviceId={serviceId}
              engine="postgres"
              bounds={findBounds}
              zone={shownZone}
              selected={chosen && findingKey(chosen)}
              onFindings={setFindings}
              onUseTarget={onUseTarget}
              announce={setAnnouncement}
            />
          )}

          <PitrForm
            serviceId={serviceId}
            postgresServices={postgresServices}
            windowView={recoverable.value}
            draft={draft}
            onDraft={onDraft}
            localZone={localZone}
            zone={zone}
            announce={setAnnouncement}
          />

          <ScratchClustersPanel clusters={scratch.value} error={scratch.error} refresh={scratch.refresh} announce={setAnnouncement} />

          <DrillsPanel serviceId={serviceId} policyRto={view?.service.policy.rto} drills={drills.value} error={drills.error} announce={setAnnouncement} />
        </>
      )}
    </div>
  );
}
