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
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { JobProgressLine } from '../../components/JobProgressLine';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
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
        <DataTable
          label="Drills"
          testId="drills-table"
          className="drills__table"
          rows={drills}
          columns={drillColumns(policyRto)}
          rowKey={(d) => d.id}
          rowAttributes={(d) => ({ 'data-testid': `drill-row-${d.id}`, 'data-ok': d.ok })}
        />
      )}
    </section>
  );
}

function drillColumns(policyRto: string | undefined): DataTableColumn<DrillView>[] {
  return [
    {
      id: 'when',
      header: 'When',
      rowHeader: true,
      className: 'drills__when',
      sortValue: (d) => timeSortValue(d.startedAt),
      sortDescFirst: true,
      cell: (d) => (
        <>
          <time dateTime={d.startedAt} title={formatUtc(d.startedAt)}>
            {formatCompactDateTime(d.startedAt)}
          </time>
          <span className="muted drills__sub">{d.target}</span>
        </>
      ),
    },
    {
      id: 'result',
      header: 'Result',
      className: 'drills__result',
      sortValue: (d) => (d.ok ? 1 : 0),
      cellAttributes: (d) => ({ 'data-testid': `drill-result-${d.id}` }),
      cell: (d) =>
        d.ok ? (
          <StatusBadge tone="ok">Passed</StatusBadge>
        ) : (
          <>
            <StatusBadge tone="error">FAILED</StatusBadge>
            {d.error && (
              <span className="drills__error">
                <code className="drills__code">{d.error.code}</code> {d.error.message}
              </span>
            )}
          </>
        ),
    },
    {
      id: 'rto',
      header: 'RTO',
      className: 'drills__number',
      sortValue: (d) => d.rtoMs,
      cellAttributes: (d) => ({ 'data-testid': `drill-rto-${d.id}`, 'data-tone': compareRto(d.rtoMs, policyRto).tone }),
      cell: (d) => {
        const verdict = compareRto(d.rtoMs, policyRto);
        return (
          <>
            <span className="drills__rto">{d.rtoMs !== undefined ? formatRtoSeconds(d.rtoMs) : '—'}</span>
            <StatusBadge tone={verdict.tone} title={verdict.share !== undefined ? `${Math.round(verdict.share * 100)} % of the policy's RTO` : undefined}>
              {verdict.text}
            </StatusBadge>
          </>
        );
      },
    },
    { id: 'backup', header: 'Backup used', className: 'mono drills__backup', cell: (d) => d.backupId ?? <span className="muted">—</span> },
    { id: 'point', header: 'Point reached', className: 'drills__text', cell: (d) => d.pointReached ?? <span className="muted">—</span> },
    {
      id: 'amcheck',
      header: 'amcheck',
      className: 'drills__text',
      cell: (d) =>
        d.amcheck ? (
          <>
            <StatusBadge tone={d.amcheck.ok ? 'ok' : 'error'} title={d.amcheck.detail}>
              {d.amcheck.ok ? 'OK' : 'Corruption'}
            </StatusBadge>
            <span className="muted drills__sub">{d.amcheck.detail}</span>
          </>
        ) : (
          <span className="muted">not run</span>
        ),
    },
    {
      id: 'checks',
      header: 'Checks',
      cell: (d) =>
        d.checks.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain-list drills__checks">
            {d.checks.map((c) => (
              <li key={c.name}>
                <StatusBadge tone={c.ok ? 'ok' : 'error'}>{c.ok ? 'OK' : 'Failed'}</StatusBadge> {c.name}
                {c.value !== undefined && <span className="muted"> = {c.value}</span>}
                {c.error && <span className="drills__error"> {c.error}</span>}
              </li>
            ))}
          </ul>
        ),
    },
  ];
}
