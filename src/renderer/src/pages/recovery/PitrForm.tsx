// Restore to a point in time: what to restore to (a time in an explicit zone, an LSN, a named restore point,
// or the latest), whether that lies in the window, then a restore into a scratch cluster followed in place
// until its result (the point actually reached and how to connect) appears below.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   form "Restore to a point in time" (data-testid="pitr-form"); radios "A time", "An LSN",
//   "A named restore point", "Latest"; textbox "Target time" (data-testid="pitr-time", value
//   YYYY-MM-DDTHH:MM:SS, ".mmm" only when milliseconds were typed or suggested); combobox "Time zone"
//   (data-testid="pitr-zone"; values utc, local, offset); with offset: textbox "UTC offset"
//   (data-testid="pitr-offset"); the instant side by side: data-testid="pitr-time-utc", "pitr-time-local",
//   and as sent "pitr-time-iso"; a skipped or repeated clock time: data-testid="pitr-time-adjusted";
//   checkbox "Inclusive"; once the time reads, status data-testid="pitr-window-check" (data-inside="true|false";
//   data-state="unknown" while the window loads), when outside with buttons "Use <time> (latest before)"
//   (data-testid="pitr-use-before") and "Use <time> (earliest after)" (data-testid="pitr-use-after");
//   textbox "Target LSN" (data-testid="pitr-lsn"); combobox "Restore point name" (data-testid="pitr-name");
//   radio "The end of a backup" with combobox "Backup" (data-testid="pitr-backup", each option's label saying
//   "self-contained: restorable to its own end only" for a backup the window cannot use); radio "A transaction"
//   with textbox "Transaction id" (data-testid="pitr-xid") and checkbox "Just after it commits";
//   button "Restore to scratch cluster" (data-testid="pitr-start"); while it runs data-testid="pitr-progress"
//   and button "Cancel restore" (data-testid="pitr-cancel"); errors (OUT_OF_WINDOW and others, message and
//   hint) data-testid="pitr-error"; the result: region "Restore result" (data-testid="pitr-result", see
//   PitrResult.tsx).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import type { ScratchView, WindowView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckboxField, ChoiceGroup, SelectField, TextField } from '../../components/Field';
import { JobProgressLine } from '../../components/JobProgressLine';
import { StatusBadge } from '../../components/StatusBadge';
import { formatInZone, formatOffset, formatWall, isoWithOffset, offsetMinutesAt, wallAt, zoneName } from '../../format/zonedTime';
import type { TimeZoneChoice, WallTime } from '../../format/zonedTime';
import { useJobsStore } from '../../stores/jobsStore';
import { PitrResult, scratchOfJob } from './PitrResult';
import { draftToTarget, readInstant } from './targetDraft';
import type { DraftErrors, InstantReading, RestoreTarget, TargetDraft, TargetKind, ZoneKey } from './targetDraft';
import { checkTarget, windowSpans } from './windowCheck';

export interface PitrFormProps {
  serviceId: string;
  /** Every PostgreSQL service: a database can be copied out of the scratch cluster to any of them. */
  postgresServices: ServiceView[];
  windowView?: WindowView;
  draft: TargetDraft;
  onDraft(change: Partial<TargetDraft>): void;
  /** This computer's zone, e.g. Europe/Berlin. */
  localZone: string;
  /** The zone the draft's time is read in (undefined while a fixed offset is mistyped). */
  zone?: TimeZoneChoice;
  announce(text: string): void;
}

const KIND_OPTIONS: { value: TargetKind; label: string; description: string }[] = [
  { value: 'time', label: 'A time', description: 'A date and time to the second, in a zone you choose.' },
  { value: 'lsn', label: 'An LSN', description: 'A WAL location, e.g. from pg_waldump or a log line.' },
  { value: 'name', label: 'A named restore point', description: "Made with pg_create_restore_point() before a risky change." },
  { value: 'latest', label: 'Latest', description: 'Everything archived so far.' },
  { value: 'immediate', label: 'The end of a backup', description: 'The moment a base backup became consistent; needs no archived WAL.' },
  { value: 'xid', label: 'A transaction', description: 'Just before or just after one transaction commits; Find the moment fills it in.' },
];

interface Started {
  jobId: string;
  target: RestoreTarget;
}

export function PitrForm({ serviceId, postgresServices, windowView, draft, onDraft, localZone, zone, announce }: PitrFormProps) {
  const headingId = useId();
  const timeRef = useRef<HTMLInputElement>(null);
  const lsnRef = useRef<HTMLInputElement>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [starting, setStarting] = useState(false);
  const [callError, setCallError] = useState<WireError>();
  const [started, setStarted] = useState<Started>();
  const remember = useJobsStore((s) => s.remember);
  const cancelJob = useJobsStore((s) => s.cancel);
  const job = useJobsStore((s) => (started ? s.byId[started.jobId] : undefined));
  const running = starting || job?.state === 'queued' || job?.state === 'running' || job?.state === 'cancelling';
  const scratch: ScratchView | undefined = job ? scratchOfJob(job) : undefined;

  // A refusal is about the target it was given: a changed target clears it.
  useEffect(() => setCallError(undefined), [draft]);

  const reading = readInstant(draft, localZone);
  const result = draftToTarget(draft, localZone);
  const errors: DraftErrors = showErrors && !result.ok ? result.errors : {};
  // The zone's own field errors show as soon as they are typed: the side-by-side times depend on them.
  const offsetError = draft.zone === 'offset' && !zone ? 'Expected an offset from UTC such as +05:30 or -03:00 (at most ±14:00).' : undefined;
  const { spans, holes } = useMemo(() => (windowView ? windowSpans(windowView) : { spans: [], holes: [] }), [windowView]);
  const check = reading.ok && windowView ? checkTarget(spans, holes, reading.ms) : undefined;
  const localChoice: TimeZoneChoice = localZone === 'UTC' ? { kind: 'utc' } : { kind: 'iana', name: localZone };
  const shownZone = zone ?? localChoice;

  const useTime = (ms: number) => onDraft({ kind: 'time', time: formatWall(wallAt(ms, shownZone)) });

  const zoneOptions: { value: ZoneKey; label: string }[] = [
    { value: 'utc', label: 'UTC' },
    { value: 'local', label: `${localZone} (this computer)` },
    { value: 'offset', label: 'Fixed offset from UTC…' },
  ];

  const latestTo = windowView?.intervals.reduce<WindowView['intervals'][number] | undefined>((a, b) => (!a || Date.parse(b.to) > Date.parse(a.to) ? b : a), undefined);

  const start = async () => {
    if (running) return;
    setShowErrors(true);
    setCallError(undefined);
    if (!result.ok) {
      if (result.errors.time || result.errors.offset) timeRef.current?.focus();
      else if (result.errors.lsn) lsnRef.current?.focus();
      return;
    }
    setStarting(true);
    try {
      const created = await appClient().call('restore.pointInTime', { serviceId, target: result.target });
      remember([created]);
      setStarted({ jobId: created.id, target: result.target });
      announce('Point-in-time restore started; its progress shows below and in the jobs panel.');
    } catch (err) {
      setCallError(toWireError(err));
    } finally {
      setStarting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void start();
  };

  const jobError = job?.state === 'failed' ? (job.error as WireError | undefined) : undefined;

  return (
    <section className="panel pitr" aria-labelledby={headingId}>
      <h2 id={headingId}>Restore to a point in time</h2>
      <form className="pitr__form" onSubmit={onSubmit} noValidate aria-labelledby={headingId} data-testid="pitr-form">
        <ChoiceGroup legend="Restore to" name={`pitr-kind-${serviceId}`} value={draft.kind} options={KIND_OPTIONS} onChange={(kind) => onDraft({ kind })} />

        {draft.kind === 'time' && (
          <div className="pitr__time">
            <div className="pitr__time-fields">
              <TextField
                ref={timeRef}
                label="Target time"
                value={draft.time}
                onChange={(e) => onDraft({ time: e.target.value })}
                placeholder="YYYY-MM-DDTHH:MM:SS"
                hint="On the clock of the zone beside it, to the second (milliseconds allowed); click the timeline to fill it in."
                error={errors.time}
                autoComplete="off"
                spellCheck={false}
                inputMode="numeric"
                className="mono pitr__time-input"
                data-testid="pitr-time"
              />
              <SelectField label="Time zone" value={draft.zone} options={zoneOptions} onChange={(e) => onDraft({ zone: e.target.value as ZoneKey })} data-testid="pitr-zone" />
              {draft.zone === 'offset' && (
                <TextField
                  label="UTC offset"
                  value={draft.offset}
                  onChange={(e) => onDraft({ offset: e.target.value })}
                  placeholder="+05:30"
                  error={offsetError}
                  autoComplete="off"
                  spellCheck={false}
                  className="mono pitr__offset-input"
                  data-testid="pitr-offset"
                />
              )}
            </div>
            {reading.ok && (
              <div className="pitr__instant" aria-live="polite">
                <dl className="facts pitr__instant-facts">
                  <dt>UTC</dt>
                  <dd className="mono" data-testid="pitr-time-utc">
                    {formatInZone(reading.ms, { kind: 'utc' }, true)}
                  </dd>
                  <dt>{localZone} (this computer)</dt>
                  <dd className="mono" data-testid="pitr-time-local">
                    {formatInZone(reading.ms, localChoice, true)}
                  </dd>
                  <dt>Sent as</dt>
                  <dd className="mono" data-testid="pitr-time-iso">
                    {isoWithOffset(reading.ms, reading.zone)}
                  </dd>
                </dl>
                {reading.adjustment && (
                  <p className="pitr__adjusted" data-testid="pitr-time-adjusted">
                    <StatusBadge tone="warn">Clock change</StatusBadge>{' '}
                    {adjustmentText(reading)}
                  </p>
                )}
              </div>
            )}
            {reading.ok && <WindowCheckLine check={check} loaded={Boolean(windowView)} zone={shownZone} onUse={useTime} />}
          </div>
        )}

        {draft.kind === 'lsn' && (
          <TextField
            ref={lsnRef}
            label="Target LSN"
            value={draft.lsn}
            onChange={(e) => onDraft({ lsn: e.target.value })}
            placeholder="0/3000148"
            hint="Lifeboat checks the LSN against the window when the restore starts."
            error={errors.lsn}
            autoComplete="off"
            spellCheck={false}
            className="mono pitr__lsn-input"
            data-testid="pitr-lsn"
          />
        )}

        {draft.kind === 'name' &&
          (windowView && windowView.restorePoints.length > 0 ? (
            <SelectField
              label="Restore point name"
              value={draft.name}
              options={[{ value: '', label: 'Choose a restore point…' }, ...windowView.restorePoints.map((p) => ({ value: p.name, label: `${p.name} (LSN ${p.lsn})` }))]}
              onChange={(e) => onDraft({ name: e.target.value })}
              error={errors.name}
              data-testid="pitr-name"
            />
          ) : (
            <p className="muted" data-testid="pitr-no-restore-points">
              {windowView ? (
                <>
                  No named restore points in the archived WAL. Create one before a risky change with{' '}
                  <code>select pg_create_restore_point('before_migration')</code>.
                </>
              ) : (
                'Loading the restore points…'
              )}
            </p>
          ))}

        {draft.kind === 'latest' && (
          <p data-testid="pitr-latest">
            {latestTo ? (
              <>
                Everything archived: up to <span className="mono">{formatInZone(Date.parse(latestTo.to), shownZone, true)}</span> on timeline {latestTo.timeline}.
              </>
            ) : (
              <span className="muted">Nothing is recoverable yet.</span>
            )}
          </p>
        )}

        {draft.kind === 'immediate' &&
          (windowView && windowView.backups.length > 0 ? (
            <SelectField
              label="Backup"
              value={draft.backupId}
              options={[
                { value: '', label: 'Choose a backup…' },
                ...[...windowView.backups]
                  .sort((a, b) => b.stopTime.localeCompare(a.stopTime))
                  .map((b) => ({ value: b.id, label: `${b.id} — ended ${formatInZone(Date.parse(b.stopTime), shownZone, true)}${b.usable ? '' : ' — self-contained: restorable to its own end only'}` })),
              ]}
              onChange={(e) => onDraft({ backupId: e.target.value })}
              error={errors.backup}
              data-testid="pitr-backup"
            />
          ) : (
            <p className="muted" data-testid="pitr-no-backups">
              {windowView ? 'No physical backup yet: take one on the Backups page.' : 'Loading the backups…'}
            </p>
          ))}

        {draft.kind === 'xid' && (
          <TextField
            label="Transaction id"
            value={draft.xid}
            onChange={(e) => onDraft({ xid: e.target.value, commitLsn: '' })}
            placeholder="745"
            hint={draft.commitLsn ? `Its commit record is at LSN ${draft.commitLsn}.` : 'Lifeboat finds its commit in the archived WAL when the restore starts.'}
            error={errors.xid}
            autoComplete="off"
            spellCheck={false}
            inputMode="numeric"
            className="mono pitr__lsn-input"
            data-testid="pitr-xid"
          />
        )}

        {draft.kind === 'xid' && (
          <CheckboxField
            label="Just after it commits"
            checked={draft.inclusive}
            onChange={(e) => onDraft({ inclusive: e.target.checked })}
            hint={draft.inclusive ? 'On: the restore includes what the transaction did.' : 'Off: the restore stops just before it, as if it never committed.'}
            liveHint
          />
        )}

        {(draft.kind === 'time' || draft.kind === 'lsn') && (
          <CheckboxField
            label="Inclusive"
            checked={draft.inclusive}
            onChange={(e) => onDraft({ inclusive: e.target.checked })}
            hint={
              draft.inclusive
                ? 'On: transactions that committed exactly at the target are part of the restore.'
                : 'Off: recovery stops just before transactions that committed exactly at the target.'
            }
            liveHint
          />
        )}

        <div className="pitr__start">
          <Button variant="primary" type="submit" busy={running} data-testid="pitr-start">
            Restore to scratch cluster
          </Button>
          <p className="muted pitr__start-hint">A new PostgreSQL cluster on this computer, on a private socket; production is not touched.</p>
        </div>
      </form>

      <div className="pitr__status" aria-live="polite">
        {job && running && (
          <div className="pitr__progress" data-testid="pitr-progress">
            <JobProgressLine job={job} label="Restore progress" verb="Restoring" />
            {job.state !== 'cancelling' && (
              <div>
                <Button size="sm" onClick={() => void cancelJob(job.id)} data-testid="pitr-cancel">
                  Cancel restore
                </Button>
              </div>
            )}
          </div>
        )}
        {job?.state === 'cancelled' && (
          <p>
            <StatusBadge tone="untested" icon="■">
              Cancelled
            </StatusBadge>{' '}
            The restore was cancelled and its scratch cluster removed.
          </p>
        )}
        {(callError ?? jobError) && <ErrorNotice error={(callError ?? jobError)!} alert={false} testId="pitr-error" />}
      </div>
      {scratch && started && <PitrResult scratch={scratch} target={started.target} serviceId={serviceId} postgresServices={postgresServices} zone={shownZone} announce={announce} />}
    </section>
  );
}

/** "02:30:00" */
const clockOf = (wall: WallTime) => formatWall(wall).slice(11);

/** Why the instant differs from the typed clock time on a night the clocks change. */
function adjustmentText(reading: Extract<InstantReading, { ok: true }>): string {
  const typed = clockOf(reading.wall);
  const zone = zoneName(reading.zone);
  const offset = formatOffset(offsetMinutesAt(reading.ms, reading.zone));
  if (reading.adjustment === 'skipped')
    return `${typed} does not exist in ${zone} that day (the clocks jump forward); it is read as ${clockOf(wallAt(reading.ms, reading.zone))} ${offset}.`;
  return `${typed} happens twice in ${zone} that day (the clocks go back); the first, at ${offset}, is used. For the second, choose a fixed offset.`;
}

interface WindowCheckLineProps {
  check?: ReturnType<typeof checkTarget>;
  loaded: boolean;
  zone: TimeZoneChoice;
  onUse(ms: number): void;
}

function WindowCheckLine({ check, loaded, zone, onUse }: WindowCheckLineProps) {
  if (!loaded || !check)
    return (
      <p className="pitr__check muted" data-testid="pitr-window-check" data-inside="false" data-state="unknown">
        Checking against the recoverable window…
      </p>
    );
  if (check.inside)
    return (
      <p className="pitr__check" role="status" data-testid="pitr-window-check" data-inside="true">
        <StatusBadge tone="ok">Inside the window</StatusBadge> Timeline {check.span.timeline}, recoverable from{' '}
        <span className="mono">{formatInZone(check.span.from, zone, true)}</span> to <span className="mono">{formatInZone(check.span.to, zone, true)}</span>.
      </p>
    );
  return (
    <div className="pitr__check pitr__check--outside" role="status" data-testid="pitr-window-check" data-inside="false">
      <p>
        <StatusBadge tone="error">Outside the window</StatusBadge>{' '}
        {check.empty
          ? 'Nothing is recoverable yet: take a physical backup while WAL is streaming.'
          : check.gap
            ? `The time falls in a gap: WAL segments ${check.gap.firstMissing}..${check.gap.lastMissing} are missing.`
            : check.cutBy
              ? `A gap in the WAL ends the window before it: segments ${check.cutBy.firstMissing}..${check.cutBy.lastMissing} are missing, and no base backup taken after the gap reaches this time.`
              : check.after === undefined
              ? 'It is later than the last archived transaction: the WAL after it is not in the repository (yet).'
              : check.before === undefined
                ? 'It is earlier than the oldest usable base backup.'
                : 'No base backup with unbroken WAL reaches this time.'}
      </p>
      {(check.before !== undefined || check.after !== undefined) && (
        <div className="pitr__nearest">
          <span className="muted">Nearest valid times:</span>
          {check.before !== undefined && (
            <Button size="sm" onClick={() => onUse(check.before!)} data-testid="pitr-use-before">
              Use {formatInZone(check.before, zone, true)} (latest before)
            </Button>
          )}
          {check.after !== undefined && (
            <Button size="sm" onClick={() => onUse(check.after!)} data-testid="pitr-use-after">
              Use {formatInZone(check.after, zone, true)} (earliest after)
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
