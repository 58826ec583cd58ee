// The "Back up" dialog: which PostgreSQL services, physical or logical, compression, checkpoint and rate, and
// where the backups go. Start queues one job per service and closes; the jobs panel shows their progress.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   dialog "Back up" (data-testid="backup-wizard"); group "Services" with one checkbox per service, named by
//   the service id (data-testid="backup-choice-<id>"); buttons "Select all" / "Clear";
//   radios "Physical (pg_basebackup)" / "Logical (pg_dump)" in group "Kind of backup";
//   combobox "Compression" (zstd / gzip / none); physical only: checkbox "Fast checkpoint", textbox "Max rate";
//   region "Destination" (data-testid="backup-destination") reading the repository path and
//   "Encrypted (AES-256-GCM)" or "Not encrypted", and for each ticked service kept elsewhere or in several
//   repositories a line "<id>: into <first>, then copied into <copies>" (data-testid="backup-destination-copies"); without a repository, a notice at the top instead
//   (data-testid="backup-no-repository") with link "Open Settings" and "Start backup" disabled;
//   buttons "Cancel" and "Start backup" (data-testid="backup-start");
//   a start error is an alert (data-testid="backup-start-error").
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { Job } from '../../../../shared/jobs';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckboxField, ChoiceGroup, SelectField, TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { pageHref } from '../../navigation/route';
import { useJobsStore } from '../../stores/jobsStore';
import { repositoriesOf } from '../../format/repositoriesInUse';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { backupDraftErrors, backupStartInput, initialBackupDraft, withService } from './backupDraft';
import type { BackupCompression, BackupDraftErrors, BackupKind } from './backupDraft';
import './BackupWizard.css';

export interface BackupWizardProps {
  /** The PostgreSQL services to choose from. */
  services: ServiceView[];
  /** Ticked when the dialog opens (the row it was opened from). */
  preselected?: string[];
  onClose(): void;
  onStarted(jobs: Job[]): void;
}

const KIND_OPTIONS = [
  {
    value: 'physical',
    label: 'Physical (pg_basebackup)',
    description: 'The whole cluster, every database, file by file: the basis for point-in-time recovery.',
  },
  {
    value: 'logical',
    label: 'Logical (pg_dump)',
    description: 'One database as SQL objects, with roles: restorable into another server or PostgreSQL version.',
  },
] as const;

const COMPRESSION_OPTIONS = [
  { value: 'zstd', label: 'zstd (default) — fast, small' },
  { value: 'gzip', label: 'gzip — slower, widely readable' },
  { value: 'none', label: 'none — for data that is already compressed' },
] as const;

export function BackupWizard({ services, preselected = [], onClose, onStarted }: BackupWizardProps) {
  const formId = useId();
  const sorted = useMemo(() => [...services].sort((a, b) => a.service.id.localeCompare(b.service.id)), [services]);
  const allIds = useMemo(() => sorted.map((v) => v.service.id), [sorted]);
  const [draft, setDraft] = useState(() => initialBackupDraft(preselected.filter((id) => allIds.includes(id))));
  const [errors, setErrors] = useState<BackupDraftErrors>({});
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<WireError>();
  const formRef = useRef<HTMLFormElement>(null);
  // The dialog opens on the services: the first ticked one, else the first in the list.
  const firstServiceRef = useRef<HTMLInputElement>(null);
  const focusId = draft.serviceIds[0] ?? allIds[0];
  // Bumped each time validation stops the DBA, so the first field that needs attention gets the focus.
  const [blocked, setBlocked] = useState(0);
  const remember = useJobsStore((s) => s.remember);
  const repository = useRepositoryStore((s) => s.info);
  const repositoryLoaded = useRepositoryStore((s) => s.loaded);
  const repositoryError = useRepositoryStore((s) => s.error);
  const loadRepository = useRepositoryStore((s) => s.load);

  // The CLI may have created or moved the repository since the window last asked.
  useEffect(() => {
    void loadRepository();
  }, [loadRepository]);

  useEffect(() => {
    if (!blocked) return;
    formRef.current?.querySelector<HTMLElement>('.field--invalid input, [aria-invalid="true"]')?.focus();
  }, [blocked]);

  const physical = draft.kind === 'physical';
  // Ticked services whose backups do not simply go to the fleet repository: their own first, and copies.
  const elsewhere = draft.serviceIds
    .map((id) => ({ id, locations: repositoriesOf(sorted.find((v) => v.service.id === id)?.service ?? { policy: {} }, repository?.path) }))
    .filter(({ locations }) => repository && (locations.length > 1 || locations[0] !== repository.path));
  const noRepository = repositoryLoaded && repository === null;

  const toggle = (id: string, on: boolean) => {
    setDraft((d) => withService(d, allIds, id, on));
    setErrors(({ serviceIds: _done, ...rest }) => rest);
  };

  const start = async (event?: FormEvent) => {
    event?.preventDefault();
    if (starting || noRepository) return;
    const found = backupDraftErrors(draft);
    setErrors(found);
    if (Object.keys(found).length) {
      setBlocked((n) => n + 1);
      return;
    }
    setStarting(true);
    setStartError(undefined);
    try {
      const jobs = await appClient().call('backups.start', backupStartInput(draft));
      remember(jobs);
      onStarted(jobs);
      onClose();
    } catch (err) {
      setStartError(toWireError(err));
      setStarting(false);
    }
  };

  const count = draft.serviceIds.length;

  return (
    <Dialog
      title="Back up"
      onClose={onClose}
      size="lg"
      testId="backup-wizard"
      initialFocusRef={firstServiceRef}
      footer={
        <>
          <span className="backup-wizard__count muted" aria-live="polite">
            {count === 0 ? 'No service selected' : count === 1 ? '1 service selected' : `${count} services selected`}
          </span>
          <span className="backup-wizard__spacer" />
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={starting} disabled={noRepository} data-testid="backup-start">
            Start backup
          </Button>
        </>
      }
    >
      <form ref={formRef} id={formId} className="backup-wizard" onSubmit={(e) => void start(e)} noValidate>
        {/* First thing in the dialog: nothing below can start until a repository exists. */}
        {noRepository && (
          <div className="backup-wizard__no-repo" data-testid="backup-no-repository">
            <p>
              <StatusBadge tone="warn">No backup repository</StatusBadge> Backups need a repository: a folder on a local disk or a
              mounted share.
            </p>
            <p>
              <a href={pageHref('settings')}>Open Settings</a> to create one or to use an existing one.
            </p>
          </div>
        )}
        <fieldset
          className={`backup-wizard__services${errors.serviceIds ? ' field--invalid' : ''}`}
          aria-describedby={errors.serviceIds ? `${formId}-services-error` : undefined}
        >
          {/* The legend names the group for assistive technology; the visible head beside the bulk buttons is
              the same word, hidden from it so the group is not announced twice. */}
          <legend className="visually-hidden">Services</legend>
          <div className="backup-wizard__services-head">
            <span className="field__label" aria-hidden="true">
              Services
            </span>
            <Button size="sm" variant="ghost" onClick={() => setDraft((d) => ({ ...d, serviceIds: allIds }))} disabled={count === allIds.length}>
              Select all
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDraft((d) => ({ ...d, serviceIds: [] }))} disabled={count === 0}>
              Clear
            </Button>
          </div>
          <ul className="plain-list backup-wizard__service-list">
            {sorted.map(({ service, lastTest }) => (
              <li key={service.id}>
                <CheckboxField
                  label={<span className="mono">{service.id}</span>}
                  hint={[service.name, lastTest?.report ? `PostgreSQL ${lastTest.report.serverVersion}` : undefined, `${service.connection.host}:${service.connection.port}`]
                    .filter(Boolean)
                    .join(' · ')}
                  ref={service.id === focusId ? firstServiceRef : undefined}
                  checked={draft.serviceIds.includes(service.id)}
                  onChange={(e) => toggle(service.id, e.target.checked)}
                  data-testid={`backup-choice-${service.id}`}
                />
              </li>
            ))}
          </ul>
          {errors.serviceIds && (
            <p className="field__error" id={`${formId}-services-error`}>
              <span aria-hidden="true">✕ </span>
              {errors.serviceIds}
            </p>
          )}
        </fieldset>

        <ChoiceGroup<BackupKind>
          legend="Kind of backup"
          name="backup-kind"
          value={draft.kind}
          options={KIND_OPTIONS}
          onChange={(kind) => setDraft((d) => ({ ...d, kind }))}
        />

        <div className="backup-wizard__grid">
          <SelectField
            label="Compression"
            value={draft.compression}
            options={COMPRESSION_OPTIONS}
            onChange={(e) => setDraft((d) => ({ ...d, compression: e.target.value as BackupCompression }))}
          />
          {physical && (
            <TextField
              label="Max rate"
              optional
              placeholder="50M"
              hint="Spares a busy server's disks: 50M is 50 MB/s, 32k is 32 kB/s. Empty for no limit."
              value={draft.maxRate}
              onChange={(e) => {
                const maxRate = e.target.value;
                setDraft((d) => ({ ...d, maxRate }));
                setErrors(({ maxRate: _done, ...rest }) => rest);
              }}
              error={errors.maxRate}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </div>
        {physical && (
          <CheckboxField
            label="Fast checkpoint"
            liveHint
            hint={
              draft.fastCheckpoint
                ? 'The server checkpoints at once so the copy starts now, at the cost of a short burst of writes.'
                : 'A spread checkpoint is gentler on a busy server but may take minutes (up to checkpoint_timeout) before the copy starts.'
            }
            checked={draft.fastCheckpoint}
            onChange={(e) => {
              const fastCheckpoint = e.target.checked;
              setDraft((d) => ({ ...d, fastCheckpoint }));
            }}
          />
        )}

        {!noRepository && (
          <section className="backup-wizard__destination" aria-label="Destination" data-testid="backup-destination">
            <p className="field__label">Destination</p>
            {repositoryError && <ErrorNotice error={repositoryError} alert={false} />}
            {!repositoryLoaded && !repositoryError && <p className="muted">Looking up the backup repository…</p>}
            {repository && (
              <>
                <p className="backup-wizard__path">
                  <span className="mono">{repository.path}</span>
                  {repository.encrypted ? (
                    <StatusBadge tone="ok" title={repository.keyFingerprint ? `Key fingerprint ${repository.keyFingerprint}` : undefined}>
                      Encrypted (AES-256-GCM)
                    </StatusBadge>
                  ) : (
                    <StatusBadge tone="warn">Not encrypted</StatusBadge>
                  )}
                </p>
                {elsewhere.length > 0 && (
                  <ul className="plain-list" data-testid="backup-destination-copies">
                    {elsewhere.map(({ id, locations }) => (
                      <li key={id}>
                        <span className="mono">{id}</span>: into <span className="mono">{locations[0]}</span>
                        {locations.length > 1 && (
                          <>
                            , then copied into <span className="mono">{locations.slice(1).join(', ')}</span>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {repository.encrypted && !repository.keyAvailable && (
                  <p className="backup-wizard__key-warning">
                    <StatusBadge tone="error">Key missing</StatusBadge> The repository key is not in this computer's keychain, so
                    backups cannot be encrypted here. <a href={pageHref('settings')}>Import the key in Settings</a>.
                  </p>
                )}
              </>
            )}
          </section>
        )}

        {startError && <ErrorNotice error={startError} testId="backup-start-error" />}
      </form>
    </Dialog>
  );
}
