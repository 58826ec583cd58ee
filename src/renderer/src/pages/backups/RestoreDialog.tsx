// Restores a logical backup into a new database on a PostgreSQL service. The dialog follows the restore job:
// progress, success, or — when the database already exists — a typed confirmation that replaces it.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   dialog "Restore <backupId>" (data-testid="restore-dialog"); textbox "New database name"; combobox
//   "Target service" (option values are service ids); checkbox "Also create roles and tablespaces (globals)";
//   button "Start restore" (data-testid="restore-start"); live region data-testid="restore-status" with
//   data-status=idle|running|succeeded|conflict|failed|cancelled; on CONFLICT: textbox "Type <name> to replace it"
//   (data-testid="restore-confirm-name") and button "Replace database" (data-testid="restore-replace"), enabled
//   only when the typed text equals the name exactly; footer buttons "Cancel" (before), "Run in background"
//   (while the job runs; it goes on in the jobs panel) and "Done" (after success). Errors: a refused call
//   data-testid="restore-call-error", a failed job data-testid="restore-job-error" (code, message, hint).
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackupView } from '../../../../shared/backups';
import type { ServiceView } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { fieldErrorsFor } from '../../client/fieldErrors';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ReplaceDatabaseConfirmation } from '../../components/ReplaceDatabaseConfirmation';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDoneOfTotal, formatPercent, progressPercent } from '../../format/jobQuantities';
import { jobResultText } from '../../format/jobResult';
import { useJobsStore } from '../../stores/jobsStore';
import { restoreOutcome } from './restoreOutcome';
import type { RestoreOutcome } from './restoreOutcome';
import './RestoreDialog.css';

export interface RestoreDialogProps {
  backup: BackupView;
  /** PostgreSQL services that can receive the database. */
  services: ServiceView[];
  onClose(): void;
}

interface Started {
  jobId: string;
  /** The name the job was asked to restore as; a conflict is about this name. */
  database: string;
  confirmedReplace: boolean;
}

export function RestoreDialog({ backup, services, onClose }: RestoreDialogProps) {
  const formId = useId();
  const [database, setDatabase] = useState('');
  const [target, setTarget] = useState(() => (services.some((v) => v.service.id === backup.serviceId) ? backup.serviceId : (services[0]?.service.id ?? backup.serviceId)));
  const [withGlobals, setWithGlobals] = useState(false);
  const [nameError, setNameError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [callError, setCallError] = useState<WireError>();
  const [started, setStarted] = useState<Started>();
  const [typed, setTyped] = useState('');
  const nameRef = useRef<HTMLInputElement>(null);
  const remember = useJobsStore((s) => s.remember);
  const job = useJobsStore((s) => (started ? s.byId[started.jobId] : undefined));
  const outcome = started ? restoreOutcome(job, started.confirmedReplace) : restoreOutcome(undefined, false);
  const running = starting || outcome.status === 'running';
  const done = outcome.status === 'succeeded';

  /** Any change to what would be restored makes the last outcome (and a typed confirmation) stale. */
  const changed = () => {
    if (running) return;
    setStarted(undefined);
    setTyped('');
    setCallError(undefined);
  };

  const start = async (confirmReplace: boolean) => {
    if (running) return;
    const name = database;
    const input = {
      backupId: backup.id,
      database: name,
      targetServiceId: target,
      withGlobals,
      ...(confirmReplace ? { confirmReplace: name } : {}),
    };
    const errors = fieldErrorsFor('backups.restore', input);
    if (errors.database) {
      setNameError(errors.database === 'Required.' ? 'Required: the name of the database to create.' : 'At most 63 characters (PostgreSQL’s limit).');
      nameRef.current?.focus();
      return;
    }
    setStarting(true);
    setCallError(undefined);
    try {
      const created = await appClient().call('backups.restore', input);
      remember([created]);
      setStarted({ jobId: created.id, database: name, confirmedReplace: confirmReplace });
      setTyped('');
    } catch (err) {
      setCallError(toWireError(err));
    } finally {
      setStarting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void start(false);
  };

  const targetOptions = services.map((v) => ({ value: v.service.id, label: `${v.service.id} — ${v.service.name}` }));

  return (
    <Dialog
      title={`Restore ${backup.id}`}
      onClose={onClose}
      testId="restore-dialog"
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            {/* While the job runs, closing leaves it running: the jobs panel keeps following it. */}
            <Button onClick={onClose}>{running ? 'Run in background' : 'Cancel'}</Button>
            <Button variant="primary" type="submit" form={formId} busy={running} data-testid="restore-start">
              Start restore
            </Button>
          </>
        )
      }
    >
      <form id={formId} className="restore" onSubmit={onSubmit} noValidate>
        <p className="muted">
          Restores this logical backup into a new database. Nothing that exists is touched unless you confirm by typing its name.
        </p>
        <TextField
          ref={nameRef}
          label="New database name"
          value={database}
          onChange={(e) => {
            setDatabase(e.target.value);
            setNameError(undefined);
            changed();
          }}
          error={nameError}
          readOnly={running}
          autoComplete="off"
          spellCheck={false}
          placeholder={`${backup.serviceId.replace(/-/g, '_')}_restored`}
        />
        <SelectField
          label="Target service"
          value={target}
          options={targetOptions}
          hint="The PostgreSQL server that receives the database; by default the one the backup came from."
          onChange={(e) => {
            setTarget(e.target.value);
            changed();
          }}
          disabled={running}
        />
        <CheckboxField
          label="Also create roles and tablespaces (globals)"
          hint="Creates the backed-up roles first and keeps object owners; roles that already exist are left as they are. Otherwise every object belongs to the user Lifeboat connects as."
          checked={withGlobals}
          onChange={(e) => {
            setWithGlobals(e.target.checked);
            changed();
          }}
          disabled={running}
        />
        {callError && <ErrorNotice error={callError} testId="restore-call-error" />}
        <RestoreStatus outcome={outcome} />
        {outcome.status === 'conflict' && outcome.canReplace && started && (
          <ReplaceDatabaseConfirmation
            className="restore__replace"
            testIdPrefix="restore"
            hint="The existing database is dropped (its sessions are ended) and the backup is restored in its place."
            name={started.database}
            typed={typed}
            onTyped={setTyped}
            busy={starting}
            onReplace={() => void start(true)}
          />
        )}
      </form>
    </Dialog>
  );
}

function RestoreStatus({ outcome }: { outcome: RestoreOutcome }) {
  return (
    <div className="restore__status" aria-live="polite" data-testid="restore-status" data-status={outcome.status}>
      {outcome.status === 'running' && <RunningLine outcome={outcome} />}
      {outcome.status === 'succeeded' && (
        <p className="restore__line">
          <StatusBadge tone="ok">Restored</StatusBadge> {jobResultText(outcome.job) ?? 'The restore finished.'}
        </p>
      )}
      {outcome.status === 'cancelled' && (
        <p className="restore__line">
          <StatusBadge tone="untested" icon="■">
            Cancelled
          </StatusBadge>{' '}
          The restore was cancelled; the database it had started to create was dropped.
        </p>
      )}
      {/* Inside a live region already: no second announcement from role=alert. */}
      {(outcome.status === 'failed' || outcome.status === 'conflict') && <ErrorNotice error={outcome.error} alert={false} testId="restore-job-error" />}
    </div>
  );
}

function RunningLine({ outcome }: { outcome: Extract<RestoreOutcome, { status: 'running' }> }) {
  const { progress, state } = outcome.job;
  const amounts = formatDoneOfTotal(progress);
  const percent = formatPercent(progress);
  return (
    <div className="restore__running">
      <p className="restore__line">
        <span className="spinner" aria-hidden="true" />
        {state === 'queued' ? 'Waiting for a free slot…' : `Restoring — ${progress.phase}`}
        {amounts && <span className="muted">{percent ? `${amounts} (${percent})` : amounts}</span>}
      </p>
      <progress className="progress-bar" max={100} value={progressPercent(progress)} aria-label="Restore progress" />
    </div>
  );
}
