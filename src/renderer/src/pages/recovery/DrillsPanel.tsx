// Restore drills of this service: run one (latest point, into a scratch cluster that is removed afterwards)
// and the history: when, passed or FAILED, the measured RTO against the policy's, the backup used, the point
// reached, what pg_amcheck said and how each check query did.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Drills" (data-testid="drills-panel"); button "Run drill" (data-testid="drill-start"); a running
//   drill data-testid="drill-progress"; table "Drills" (data-testid="drills-table") with rows
//   data-testid="drill-row-<id>" (data-ok=true|false); result cell data-testid="drill-result-<id>" reading
//   "Passed" or "FAILED" (and the error); RTO cell data-testid="drill-rto-<id>" (data-tone=ok|warn|error|
//   untested); errors data-testid="drills-error"; empty history data-testid="drills-empty".
import { useMemo, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { DrillView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgressLine } from '../../components/JobProgressLine';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCompactDateTime, formatUtc } from '../../format/dateTime';
import { useJobsStore } from '../../stores/jobsStore';
import { jobsNewestFirst } from '../../stores/mergeJob';
import { compareRto, formatRtoSeconds } from './rtoComparison';

export interface DrillsPanelProps {
  serviceId: string;
  policyRto?: string;
  drills?: DrillView[];
  error?: WireError;
  announce(text: string): void;
}

export function DrillsPanel({ serviceId, policyRto, drills, error, announce }: DrillsPanelProps) {
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<WireError>();
  const remember = useJobsStore((s) => s.remember);
  const jobs = useJobsStore((s) => s.byId);
  const running = useMemo(
    () => jobsNewestFirst(jobs).find((j) => j.kind === 'drill' && j.serviceId === serviceId && (j.state === 'queued' || j.state === 'running' || j.state === 'cancelling')),
    [jobs, serviceId],
  );

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      remember([await appClient().call('drills.start', { serviceId })]);
      announce('Drill started: a restore of the latest point into a scratch cluster, then pg_amcheck and the check queries.');
    } catch (err) {
      setStartError(toWireError(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="panel drills" aria-labelledby="drills-heading" data-testid="drills-panel">
      <div className="recovery__panel-head">
        <h2 id="drills-heading">Drills</h2>
        <Button variant="primary" onClick={() => void start()} busy={starting || Boolean(running)} data-testid="drill-start">
          Run drill
        </Button>
      </div>
      <p className="muted recovery__panel-lead">
        A drill restores the latest point into a scratch cluster, measures the time until it answers queries (the RTO), runs
        pg_amcheck and the policy's check queries, then removes the cluster.{' '}
        {policyRto ? (
          <>
            Policy RTO: <strong>{policyRto}</strong>.
          </>
        ) : (
          <>No RTO in this service's policy yet (policy.rto in the fleet file).</>
        )}
      </p>
      <div aria-live="polite">
        {running && (
          <div data-testid="drill-progress">
            <JobProgressLine job={running} label="Drill progress" verb="Drill running" />
          </div>
        )}
      </div>
      {startError && <ErrorNotice error={startError} testId="drills-error" />}
      {error && <ErrorNotice error={error} alert={false} />}
      {!drills && !error && <p className="muted">Loading the drill history…</p>}
      {drills && drills.length === 0 && (
        <p className="muted" data-testid="drills-empty">
          No drills yet. Run one to know, not hope, that the backups restore.
        </p>
      )}
      {drills && drills.length > 0 && (
        <div className="table-scroll">
          <table className="data-table drills__table" aria-label="Drills" data-testid="drills-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Result</th>
                <th scope="col" className="drills__number">
                  RTO
                </th>
                <th scope="col">Backup used</th>
                <th scope="col">Point reached</th>
                <th scope="col">amcheck</th>
                <th scope="col">Checks</th>
              </tr>
            </thead>
            <tbody>
              {drills.map((d) => (
                <DrillRow key={d.id} drill={d} policyRto={policyRto} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DrillRow({ drill, policyRto }: { drill: DrillView; policyRto?: string }) {
  const verdict = compareRto(drill.rtoMs, policyRto);
  return (
    <tr data-testid={`drill-row-${drill.id}`} data-ok={drill.ok}>
      <th scope="row" className="drills__when">
        <time dateTime={drill.startedAt} title={formatUtc(drill.startedAt)}>
          {formatCompactDateTime(drill.startedAt)}
        </time>
        <span className="muted drills__sub">{drill.target}</span>
      </th>
      <td data-testid={`drill-result-${drill.id}`} className="drills__result">
        {drill.ok ? (
          <StatusBadge tone="ok">Passed</StatusBadge>
        ) : (
          <>
            <StatusBadge tone="error">FAILED</StatusBadge>
            {drill.error && (
              <span className="drills__error">
                <code className="drills__code">{drill.error.code}</code> {drill.error.message}
              </span>
            )}
          </>
        )}
      </td>
      <td className="drills__number" data-testid={`drill-rto-${drill.id}`} data-tone={verdict.tone}>
        <span className="drills__rto">{drill.rtoMs !== undefined ? formatRtoSeconds(drill.rtoMs) : '—'}</span>
        <StatusBadge tone={verdict.tone} title={verdict.share !== undefined ? `${Math.round(verdict.share * 100)} % of the policy's RTO` : undefined}>
          {verdict.text}
        </StatusBadge>
      </td>
      <td className="mono drills__backup">{drill.backupId ?? <span className="muted">—</span>}</td>
      <td className="drills__text">{drill.pointReached ?? <span className="muted">—</span>}</td>
      <td className="drills__text">
        {drill.amcheck ? (
          <>
            <StatusBadge tone={drill.amcheck.ok ? 'ok' : 'error'} title={drill.amcheck.detail}>
              {drill.amcheck.ok ? 'OK' : 'Corruption'}
            </StatusBadge>
            <span className="muted drills__sub">{drill.amcheck.detail}</span>
          </>
        ) : (
          <span className="muted">not run</span>
        )}
      </td>
      <td>
        {drill.checks.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain-list drills__checks">
            {drill.checks.map((c) => (
              <li key={c.name}>
                <StatusBadge tone={c.ok ? 'ok' : 'error'}>{c.ok ? 'OK' : 'Failed'}</StatusBadge> {c.name}
                {c.value !== undefined && <span className="muted"> = {c.value}</span>}
                {c.error && <span className="drills__error"> {c.error}</span>}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
