// Restore a SQL Server database to a point in time (or the latest): the plan explained step by step, the
// T-SQL script to read or copy, and "Run restore" on the service's server, with the typed name required
// when the restore would overwrite an existing database.
//
// Names for end-to-end tests: region "Restore" (data-testid="sqlserver-restore-panel"); form
// data-testid="sqlserver-restore-form" with "Restore to" (Point in time / Latest), "Time" (data-testid=
// "sqlserver-restore-time"), "Zone", or for a log record set from Find the moment its LSN (data-testid=
// "sqlserver-restore-mark", data-inclusive) and time; "Restore as" (data-testid="sqlserver-restore-as"); button "Plan restore"
// (data-testid="sqlserver-plan"); the plan data-testid="sqlserver-plan-steps" (one li per step); the script
// data-testid="sqlserver-script" with "Copy script" (data-testid="sqlserver-script-copy"); "Run restore"
// (data-testid="sqlserver-restore-run"); replace confirmation data-testid="sqlserver-restore-confirm-name" and
// "sqlserver-restore-replace"; errors data-testid="sqlserver-plan-error" / "sqlserver-restore-error"; the
// running job data-testid="sqlserver-restore-progress".
import { useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { SqlPlanView } from '../../../../shared/sqlServerViews';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ChoiceGroup, SelectField, TextField } from '../../components/Field';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgressLine } from '../../components/JobProgressLine';
import { ReplaceDatabaseConfirmation } from '../../components/ReplaceDatabaseConfirmation';
import { isoWithOffset } from '../../format/zonedTime';
import { useJobsStore } from '../../stores/jobsStore';
import { EMPTY_DRAFT, readInstant, type TargetDraft } from '../recovery/targetDraft';

export interface SqlRestoreDraft {
  /** 'mark': a log record a finding names, restored to with STOPBEFOREMARK / STOPATMARK. */
  kind: 'time' | 'latest' | 'mark';
  time: string;
  zone: TargetDraft['zone'];
  offset: string;
  asDatabase: string;
  /** The log record (decimal LSN), whether it is included, and when it was written (ISO, it picks the chain). */
  mark?: { lsn: string; inclusive: boolean; time: string };
}

export interface SqlRestorePanelProps {
  serviceId: string;
  database: string;
  draft: SqlRestoreDraft;
  onDraft(change: Partial<SqlRestoreDraft>): void;
  localZone: string;
  announce(text: string): void;
}

const ZONES = [
  { value: 'local', label: 'This computer' },
  { value: 'utc', label: 'UTC' },
  { value: 'offset', label: 'Fixed offset' },
];

export function SqlRestorePanel({ serviceId, database, draft, onDraft, localZone, announce }: SqlRestorePanelProps) {
  const [plan, setPlan] = useState<SqlPlanView>();
  const [planError, setPlanError] = useState<WireError>();
  const [runError, setRunError] = useState<WireError>();
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const [jobId, setJobId] = useState<string>();
  const remember = useJobsStore((s) => s.remember);
  const job = useJobsStore((s) => (jobId ? s.byId[jobId] : undefined));

  const reading = draft.kind === 'time' ? readInstant({ ...EMPTY_DRAFT, time: draft.time, zone: draft.zone, offset: draft.offset }, localZone) : undefined;
  const target =
    draft.kind === 'latest'
      ? ({ kind: 'latest' } as const)
      : draft.kind === 'mark'
        ? draft.mark && ({ kind: 'mark', ...draft.mark } as const)
        : reading?.ok
          ? ({ kind: 'time', time: isoWithOffset(reading.ms, reading.zone) } as const)
          : undefined;
  const timeError = reading && !reading.ok ? (reading.errors.time ?? reading.errors.offset) : undefined;
  const input = target && draft.asDatabase.trim() ? { serviceId, database, target, asDatabase: draft.asDatabase.trim() } : undefined;

  const makePlan = async () => {
    if (!input) return;
    setBusy(true);
    setPlanError(undefined);
    setPlan(undefined);
    setTyped('');
    try {
      const view = await appClient().call('sqlserver.plan', input);
      setPlan(view);
      announce(`Restore plan ready: ${view.plan.steps.length} steps.`);
    } catch (err) {
      setPlanError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!plan) return;
    setRunError(undefined);
    setBusy(true);
    try {
      const started = await appClient().call('sqlserver.restore', { serviceId, database: plan.databaseName, target: plan.plan.target, asDatabase: plan.asDatabase, confirmReplace: plan.replaces ? typed : undefined });
      remember([started]);
      setJobId(started.id);
      announce(`Restore of ${plan.databaseName} as ${plan.asDatabase} started.`);
    } catch (err) {
      setRunError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="sqlserver-restore-heading" data-testid="sqlserver-restore-panel">
      <h2 id="sqlserver-restore-heading">Restore</h2>
      <form
        className="sqlserver__form"
        data-testid="sqlserver-restore-form"
        onSubmit={(e) => {
          e.preventDefault();
          void makePlan();
        }}
      >
        <ChoiceGroup
          legend="Restore to"
          name="sqlserver-target"
          value={draft.kind}
          options={[
            { value: 'time', label: 'Point in time', description: 'Pick on the timeline or type it; STOPAT is written in the server’s own time.' },
            { value: 'latest', label: 'Latest', description: 'The end of the last unbroken log backup.' },
            ...(draft.mark ? [{ value: 'mark' as const, label: 'A log record', description: 'Set from Find the moment: just before a transaction (STOPBEFOREMARK) or just after it (STOPATMARK).' }] : []),
          ]}
          onChange={(kind) => onDraft({ kind })}
        />
        {draft.kind === 'time' && (
          <div className="sqlserver__row">
            <TextField label="Time" hint="YYYY-MM-DDTHH:MM:SS" value={draft.time} error={timeError} onChange={(e) => onDraft({ time: e.target.value })} data-testid="sqlserver-restore-time" />
            <SelectField label="Zone" options={ZONES} value={draft.zone} onChange={(e) => onDraft({ zone: e.target.value as TargetDraft['zone'] })} />
            {draft.zone === 'offset' && <TextField label="Offset" value={draft.offset} onChange={(e) => onDraft({ offset: e.target.value })} />}
          </div>
        )}
        {draft.kind === 'mark' && draft.mark && (
          <p className="sqlserver__row" data-testid="sqlserver-restore-mark" data-inclusive={draft.mark.inclusive}>
            {draft.mark.inclusive ? 'Up to and including' : 'Just before'} the log record <span className="mono">lsn:{draft.mark.lsn}</span>, written{' '}
            <span className="mono">{draft.mark.time}</span> ({draft.mark.inclusive ? 'STOPATMARK' : 'STOPBEFOREMARK'}).
          </p>
        )}
        <TextField label="Restore as" hint="A new database name on the same server; an existing name is overwritten only after you type it." value={draft.asDatabase} onChange={(e) => onDraft({ asDatabase: e.target.value })} data-testid="sqlserver-restore-as" />
        <div>
          <Button type="submit" variant="primary" busy={busy && !plan} disabled={!input} data-testid="sqlserver-plan">
            Plan restore
          </Button>
        </div>
      </form>
      {planError && <ErrorNotice error={planError} testId="sqlserver-plan-error" />}
      {plan && (
        <div className="sqlserver__plan">
          <h3>The plan</h3>
          <ol data-testid="sqlserver-plan-steps">
            {plan.plan.steps.map((s) => (
              <li key={s.backupSetId}>
                <strong>{s.type === 'D' ? 'Full' : s.type === 'I' ? 'Differential' : 'Log'}</strong> <span className="mono">{s.devices.join(', ')}</span>
                <br />
                {s.why}
              </li>
            ))}
          </ol>
          {plan.plan.skipped.length > 0 && (
            <ul className="muted">
              {plan.plan.skipped.map((s) => (
                <li key={s.backupSetId}>
                  Skipped {s.backupSetId}: {s.why}
                </li>
              ))}
            </ul>
          )}
          {plan.plan.stopsBeforeBreak && (
            <p className="sqlserver__warning" role="alert" data-testid="sqlserver-chain-break">
              <strong>Stops before a break in the log chain.</strong> The first log it cannot apply is{' '}
              <span className="mono">{plan.plan.stopsBeforeBreak.backupSetId}</span> (LSN <span className="mono">{plan.plan.stopsBeforeBreak.firstLsn}</span> to{' '}
              <span className="mono">{plan.plan.stopsBeforeBreak.lastLsn}</span>, finished {plan.plan.stopsBeforeBreak.finishedAt}): no backup holds LSN{' '}
              <span className="mono">{plan.plan.stopsBeforeBreak.missingFromLsn}</span> to <span className="mono">{plan.plan.stopsBeforeBreak.missingToLsn}</span>.
            </p>
          )}
          {plan.plan.warnings.filter((w) => w !== plan.plan.stopsBeforeBreak?.message).map((w) => (
            <p key={w} className="sqlserver__warning">
              {w}
            </p>
          ))}
          <div className="sqlserver__script-head">
            <h3 id="sqlserver-script-heading">T-SQL script</h3>
            <CopyButton text={plan.script.text} describedBy="sqlserver-script-heading" label="Copy script" testId="sqlserver-script-copy" />
          </div>
          <pre className="sqlserver__script mono" data-testid="sqlserver-script" aria-labelledby="sqlserver-script-heading">
            {plan.script.text}
          </pre>
          {plan.replaces ? (
            <ReplaceDatabaseConfirmation
              name={plan.asDatabase}
              typed={typed}
              onTyped={setTyped}
              busy={busy}
              onReplace={() => void run()}
              hint={<>A database named {plan.asDatabase} exists on the server: this restore overwrites it (WITH REPLACE).</>}
              testIdPrefix="sqlserver-restore"
              className="sqlserver__replace"
            />
          ) : (
            <Button variant="primary" busy={busy} onClick={() => void run()} data-testid="sqlserver-restore-run">
              Run restore
            </Button>
          )}
          {runError && <ErrorNotice error={runError} testId="sqlserver-restore-error" />}
          <div aria-live="polite">
            {job && (
              <div data-testid="sqlserver-restore-progress" data-state={job.state}>
                <JobProgressLine job={job} label="Restore progress" verb="Restoring" />
                {job.state === 'failed' && job.error && <ErrorNotice error={job.error as WireError} />}
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
