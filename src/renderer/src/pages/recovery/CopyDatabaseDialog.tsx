// Copies one database out of a scratch cluster into a registered PostgreSQL server under a new name
// (the usual way out of a point-in-time restore: bring back yesterday's table next to today's). A name that
// exists is replaced only after the DBA types it.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   dialog "Copy a database from the scratch cluster" (data-testid="copy-db-dialog"); textbox "Database"
//   (data-testid="copy-db-database"); combobox "Target service" (data-testid="copy-db-target", values are
//   service ids); textbox "New database name" (data-testid="copy-db-name"); button "Copy database"
//   (data-testid="copy-db-start"); status data-testid="copy-db-status" (data-status=idle|running|succeeded|
//   conflict|failed|cancelled); on CONFLICT textbox "Type <name> to replace it" (data-testid=
//   "copy-db-confirm-name") and button "Replace database" (data-testid="copy-db-replace"), enabled only when
//   the typed text equals the name exactly; footer "Cancel" / "Run in background" / "Done".
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import type { ScratchView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { fieldErrorsFor } from '../../client/fieldErrors';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ReplaceDatabaseConfirmation } from '../../components/ReplaceDatabaseConfirmation';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField, TextField } from '../../components/Field';
import { JobProgressLine } from '../../components/JobProgressLine';
import { StatusBadge } from '../../components/StatusBadge';
import { jobResultText } from '../../format/jobResult';
import { useJobsStore } from '../../stores/jobsStore';
import { restoreOutcome } from '../backups/restoreOutcome';

export interface CopyDatabaseDialogProps {
  scratch: ScratchView;
  services: ServiceView[];
  /** The service's own database: the likeliest one to copy. */
  defaultDatabase: string;
  onClose(): void;
}

export function CopyDatabaseDialog({ scratch, services, defaultDatabase, onClose }: CopyDatabaseDialogProps) {
  const formId = useId();
  const [database, setDatabase] = useState(defaultDatabase);
  const [target, setTarget] = useState(() => (services.some((v) => v.service.id === scratch.serviceId) ? scratch.serviceId : (services[0]?.service.id ?? scratch.serviceId)));
  const [newName, setNewName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [starting, setStarting] = useState(false);
  const [callError, setCallError] = useState<WireError>();
  /** The name the core refused because it exists; typing it allows the replacement. */
  const [conflict, setConflict] = useState<string>();
  const [typed, setTyped] = useState('');
  const [jobId, setJobId] = useState<string>();
  const remember = useJobsStore((s) => s.remember);
  const job = useJobsStore((s) => (jobId ? s.byId[jobId] : undefined));
  const outcome = restoreOutcome(job, true);
  const running = starting || outcome.status === 'running';
  const done = outcome.status === 'succeeded';
  const status = conflict ? 'conflict' : outcome.status;

  const changed = () => {
    if (running) return;
    setConflict(undefined);
    setTyped('');
    setCallError(undefined);
    setJobId(undefined);
  };

  const start = async (confirmReplace: boolean) => {
    if (running) return;
    const input = { id: scratch.id, database, targetServiceId: target, newName, ...(confirmReplace ? { confirmReplace: newName } : {}) };
    const found = fieldErrorsFor('scratch.copyDatabase', input);
    setErrors(found);
    if (found.database || found.newName) return;
    setStarting(true);
    setCallError(undefined);
    try {
      const created = await appClient().call('scratch.copyDatabase', input);
      remember([created]);
      setJobId(created.id);
      setConflict(undefined);
      setTyped('');
    } catch (err) {
      const error = toWireError(err);
      if (error.code === 'CONFLICT' && !confirmReplace) setConflict(newName);
      setCallError(error);
    } finally {
      setStarting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void start(false);
  };

  return (
    <Dialog
      title="Copy a database from the scratch cluster"
      onClose={onClose}
      testId="copy-db-dialog"
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>{running ? 'Run in background' : 'Cancel'}</Button>
            <Button variant="primary" type="submit" form={formId} busy={running} data-testid="copy-db-start">
              Copy database
            </Button>
          </>
        )
      }
    >
      <form id={formId} className="copy-db" onSubmit={onSubmit} noValidate>
        <p className="muted">
          Dumps the database from scratch cluster <span className="mono">{scratch.id}</span> and restores it under a new name. The
          scratch cluster stays as it is.
        </p>
        <TextField
          label="Database"
          hint="The database in the scratch cluster."
          value={database}
          onChange={(e) => {
            setDatabase(e.target.value);
            changed();
          }}
          error={errors.database}
          readOnly={running}
          autoComplete="off"
          spellCheck={false}
          data-testid="copy-db-database"
        />
        <SelectField
          label="Target service"
          value={target}
          options={services.map((v) => ({ value: v.service.id, label: `${v.service.id} — ${v.service.name}` }))}
          onChange={(e) => {
            setTarget(e.target.value);
            changed();
          }}
          disabled={running}
          data-testid="copy-db-target"
        />
        <TextField
          label="New database name"
          value={newName}
          onChange={(e) => {
            setNewName(e.target.value);
            changed();
          }}
          error={errors.newName}
          readOnly={running}
          autoComplete="off"
          spellCheck={false}
          placeholder={`${database || 'db'}_restored`}
          data-testid="copy-db-name"
        />
        <div className="copy-db__status" aria-live="polite" data-testid="copy-db-status" data-status={status}>
          {outcome.status === 'running' && <JobProgressLine job={outcome.job} label="Copy progress" verb="Copying" />}
          {outcome.status === 'succeeded' && (
            <p>
              <StatusBadge tone="ok">Copied</StatusBadge> {jobResultText(outcome.job) ?? 'The copy finished.'}
            </p>
          )}
          {outcome.status === 'cancelled' && (
            <p>
              <StatusBadge tone="untested" icon="■">
                Cancelled
              </StatusBadge>{' '}
              The copy was cancelled; the new database was dropped.
            </p>
          )}
          {(outcome.status === 'failed' || outcome.status === 'conflict') && <ErrorNotice error={outcome.error} alert={false} testId="copy-db-job-error" />}
          {callError && <ErrorNotice error={callError} alert={false} testId="copy-db-call-error" />}
        </div>
        {conflict && (
          <ReplaceDatabaseConfirmation
            className="copy-db__replace"
            testIdPrefix="copy-db"
            hint="The existing database is dropped (its sessions are ended) and the copy takes its place."
            name={conflict}
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
