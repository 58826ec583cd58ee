// One service's backups (#/service/<id>/backups, a tab of its page): the table from backups.list, verification
// and restore per backup, and retention with its dry run.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   heading "Backups of <service name>"; button "Back up"
//   (data-testid="backup-open", opens dialog "Back up" with this service ticked); table "Backups"
//   (data-testid="backups-table") with rows data-testid="backup-row-<backupId>" whose row header holds the id;
//   verified cell data-testid="backup-verified-<backupId>" (data-state=verified|failed|never|verifying) whose
//   text starts with "Verified <date>", "Failed <date>", "Never" or "Verifying…"; a failed verification's
//   button "Details" (data-testid="backup-detail-toggle-<backupId>") opens data-testid="backup-verify-detail-<backupId>";
//   per row buttons "Verify" (data-testid="verify-<backupId>") and, for logical backups, "Restore…"
//   (data-testid="restore-<backupId>", opens dialog "Restore <backupId>", see RestoreDialog.tsx);
//   empty list: data-testid="backups-empty" reading "No backups of <name> yet" with button "Back up now"
//   (data-testid="backup-now"); no repository: data-testid="backups-no-repository" with link "Open Settings";
//   region "Retention" (data-testid="retention-panel") with lists data-testid="retention-remove" /
//   "retention-keep" (items retention-remove-<id> / retention-keep-<id>) and button "Apply retention"
//   (data-testid="retention-apply"), which asks in dialog "Apply retention to <service id>?"
//   (data-testid="retention-confirm") with buttons "Cancel" and "Remove N backup(s)".
//   A service backed up by pgBackRest or Barman: the lead names the engine and its stanza or server, "Back up"
//   opens EngineBackupDialog, and the retention panel states the engine's own policy.
import { useEffect, useMemo, useState } from 'react';
import type { BackupView } from '../../../../shared/backups';
import type { WireError } from '../../../../shared/errors';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { pageHref } from '../../navigation/route';
import { useJobsStore } from '../../stores/jobsStore';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { useServicesStore } from '../../stores/servicesStore';
import { BackupsTable } from './BackupsTable';
import { BackupWizard } from './BackupWizard';
import { EngineBackupDialog } from './EngineBackupDialog';
import { backupEngineOf } from '../../../../shared/domain';
import { BACKUP_ENGINE_LABEL as ENGINE_LABEL, enginePlace } from '../../format/engineLabel';
import { RestoreDialog } from './RestoreDialog';
import { RetentionPanel } from './RetentionPanel';
import { verifyingBackupIds } from './backupRows';
import { useServiceBackups } from './useServiceBackups';
import '../../styles/page.css';
import './BackupsPage.css';

export function BackupsPage({ serviceId }: { serviceId: string }) {
  const services = useServicesStore((s) => s.services);
  const view = services.find((v) => v.service.id === serviceId);
  // Lifeboat's own backups: a pgBackRest or Barman service is backed up through its engine's dialog.
  const postgresServices = useMemo(() => services.filter((v) => v.service.engine === 'postgres' && backupEngineOf(v.service) === 'lifeboat'), [services]);
  const repository = useRepositoryStore((s) => s.info);
  const loadRepository = useRepositoryStore((s) => s.load);
  const jobs = useJobsStore((s) => s.byId);
  const remember = useJobsStore((s) => s.remember);
  const { backups, error, plan, planError, refresh } = useServiceBackups(serviceId, Boolean(view));
  const [wizardOpen, setWizardOpen] = useState(false);
  const [restoring, setRestoring] = useState<BackupView>();
  const [confirmRetention, setConfirmRetention] = useState(false);
  const [verifyStarted, setVerifyStarted] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<WireError>();
  const [announcement, setAnnouncement] = useState('');

  const name = view?.service.name ?? serviceId;
  const isPostgres = view?.service.engine === 'postgres';
  const engine = view ? backupEngineOf(view.service) : 'lifeboat';
  const existingEngine = engine === 'lifeboat' ? undefined : engine;

  useEffect(() => {
    void loadRepository();
  }, [loadRepository]);

  useDocumentTitle(`Backups of ${name}`);

  const ids = useMemo(() => (backups ?? []).map((b) => b.id), [backups]);
  const verifying = useMemo(() => verifyingBackupIds(jobs, verifyStarted, ids), [jobs, verifyStarted, ids]);

  const verify = async (backup: BackupView) => {
    setActionError(undefined);
    try {
      const job = await appClient().call('backups.verify', { backupId: backup.id });
      remember([job]);
      setVerifyStarted((s) => ({ ...s, [backup.id]: job.id }));
    } catch (err) {
      setActionError(toWireError(err));
    }
  };

  const applyRetention = async () => {
    const applied = await appClient().call('retention.apply', { serviceId });
    const n = applied.remove.length;
    setAnnouncement(`Removed ${n} ${n === 1 ? 'backup' : 'backups'} of ${name}.`);
    await refresh();
  };

  // An engine's service needs no Lifeboat repository: its backups are the engine's.
  const noRepository = !existingEngine && (repository === null || (error?.code === 'NOT_FOUND' && /repository/i.test(error.message)));
  const backUp = (label: string, testId: string, variant: 'primary' | 'secondary' = 'primary') => (
    <Button variant={variant} onClick={() => setWizardOpen(true)} data-testid={testId}>
      {label}
    </Button>
  );

  return (
    <div className="page">
      <ServicePageHeader
        serviceId={serviceId}
        title={`Backups of ${name}`}
        lead={
          existingEngine && view ? (
            <>
              {' · '}kept by {ENGINE_LABEL[existingEngine]}, <span className="mono">{enginePlace(view.service)}</span>
            </>
          ) : (
            repository && (
              <>
                {' · '}in <span className="mono">{repository.path}</span>
              </>
            )
          )
        }
        actions={isPostgres && !noRepository && backups && backups.length > 0 && backUp('Back up', 'backup-open')}
        announcement={announcement}
      />
      {actionError && <ErrorNotice error={actionError} testId="backups-action-error" />}

      {view && !isPostgres && (
        <p className="backups__note">
          <StatusBadge tone="info">SQL Server</StatusBadge> SQL Server runs its own backups; Lifeboat lists here only what is in
          its repository.
        </p>
      )}

      {view && noRepository && (
        <EmptyState title="No backup repository yet" testId="backups-no-repository">
          Backups go into a repository: a folder on a local disk or a mounted share. <a href={pageHref('settings')}>Open Settings</a>{' '}
          to create one or to use an existing one.
        </EmptyState>
      )}
      {view && !noRepository && error && <ErrorNotice error={error} />}
      {view && !noRepository && !error && !backups && <p className="muted">Loading backups…</p>}
      {view && !noRepository && backups && backups.length === 0 && (
        <EmptyState title={`No backups of ${name} yet`} testId="backups-empty" action={isPostgres ? backUp('Back up now', 'backup-now') : undefined}>
          A physical backup copies the whole cluster and is the basis for point-in-time recovery; a logical one dumps the
          database so it can be restored into another server.
        </EmptyState>
      )}
      {view && backups && backups.length > 0 && (
        <BackupsTable backups={backups} verifying={verifying} onVerify={(b) => void verify(b)} onRestore={setRestoring} />
      )}
      {view && !noRepository && backups && backups.length > 0 && (
        <RetentionPanel plan={plan} error={planError} onApply={() => setConfirmRetention(true)} />
      )}

      {wizardOpen && existingEngine && (
        <EngineBackupDialog serviceId={serviceId} engine={existingEngine} onClose={() => setWizardOpen(false)} onStarted={() => setAnnouncement(`Started a ${ENGINE_LABEL[existingEngine]} backup; the jobs panel shows the progress.`)} />
      )}
      {wizardOpen && !existingEngine && (
        <BackupWizard
          services={postgresServices}
          preselected={[serviceId]}
          onClose={() => setWizardOpen(false)}
          onStarted={(started) => setAnnouncement(`Started ${started.length === 1 ? 'a backup' : `${started.length} backups`}; the jobs panel shows the progress.`)}
        />
      )}
      {restoring && <RestoreDialog backup={restoring} services={postgresServices} onClose={() => setRestoring(undefined)} />}
      {confirmRetention && plan && (
        <ConfirmDialog
          title={`Apply retention to ${serviceId}?`}
          confirmLabel={`Remove ${plan.remove.length} ${plan.remove.length === 1 ? 'backup' : 'backups'}`}
          testId="retention-confirm"
          onConfirm={applyRetention}
          onClose={() => setConfirmRetention(false)}
        >
          <p>These backups leave the repository for good:</p>
          <ul className="retention__confirm-list">
            {plan.remove.map((r) => (
              <li key={r.id}>
                <span className="mono">{r.id}</span> <span className="muted">— {r.reason}</span>
              </li>
            ))}
          </ul>
          <p className="muted">
            {existingEngine
              ? `${ENGINE_LABEL[existingEngine]} removes them by its own retention (${plan.enginePolicy ?? 'its policy'}).`
              : 'The newest verified backup of each kind and any backup a job is reading are never removed.'}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
