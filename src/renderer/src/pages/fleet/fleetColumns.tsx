// The fleet table's columns: what a DBA scans for each service, every one sortable, sized so the table fits a
// 1280 px window. A verdict not answered yet reads "…"; a fact the core could not learn reads "unknown: why,
// last known …" and never a guess.
//
// Names for end-to-end tests: the row header holds link "<name>" (data-testid="service-link-<id>", to the
// service's page), the id and list "Tags"; connection health data-testid="health-<id>"; cells
// data-testid="rpo-state-<id>" and "rto-state-<id>" (data-level ok|warning|breach|unknown|pending),
// "window-end-<id>", "last-good-<id>", "fleet-next-run-<id>"; replication data-testid="replication-health-<id>"
// (data-health healthy|lagging|broken|unknown|none|pending); an unknown fact has data-unknown="true"; the
// actions button "Actions for <name> (<id>)" (data-testid="service-actions-<id>").
import type { ReactNode } from 'react';
import type { ComplianceLevel, UnknownFact } from '../../../../shared/monitoring';
import type { ReplicationHealth } from '../../../../shared/replication';
import { ActionsMenu } from '../../components/ActionsMenu';
import type { ActionsMenuItem } from '../../components/ActionsMenu';
import type { DataTableColumn } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
import { formatCompactDateTime, formatUtc } from '../../format/dateTime';
import { formatDuration } from '../../format/duration';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { unknownFactText } from '../../format/unknownFact';
import { serviceHref } from '../../navigation/route';
import { LEVEL_RANK, LEVEL_TONE, LEVEL_WORD } from '../dashboard/complianceFormat';
import { HEALTH_LABEL, HEALTH_TONE } from '../replication/replicationFormat';
import { HealthBadge } from './HealthBadge';
import type { FleetRow } from './fleetRows';

const HEALTH_RANK: Record<ReplicationHealth, number> = { none: 0, healthy: 1, unknown: 2, lagging: 3, broken: 4 };

export function fleetColumns(menuItems: (row: FleetRow) => ActionsMenuItem[]): DataTableColumn<FleetRow>[] {
  return [
    {
      id: 'service',
      header: 'Service',
      rowHeader: true,
      width: '16%',
      className: 'fleet__service',
      sortValue: (r) => r.name,
      cell: (r) => (
        <>
          <a className="fleet__name" href={serviceHref(r.id)} data-testid={`service-link-${r.id}`}>
            {r.name}
          </a>
          <span className="fleet__id mono">{r.id}</span>
          {r.view.service.tags.length > 0 && (
            <ul className="plain-list fleet__tags" aria-label="Tags">
              {r.view.service.tags.map((t) => (
                <li key={t} className="fleet__tag" title={t}>
                  {t}
                </li>
              ))}
            </ul>
          )}
        </>
      ),
    },
    {
      id: 'engine',
      header: 'Engine',
      width: '10%',
      sortValue: (r) => `${ENGINE_LABEL[r.view.service.engine]} ${r.version ?? ''}`,
      cell: (r) => (
        <>
          <span className="fleet__line">{ENGINE_LABEL[r.view.service.engine]}</span>
          <span className="fleet__sub mono">{r.version ?? '—'}</span>
          <HealthBadge view={r.view} />
        </>
      ),
    },
    {
      id: 'team',
      header: 'Team / owner',
      width: '9%',
      sortValue: (r) => r.team ?? r.view.service.owner,
      cell: (r) => (
        <>
          <span className="fleet__line">{r.team ?? <span className="muted">—</span>}</span>
          {r.view.service.owner && <span className="fleet__sub">{r.view.service.owner}</span>}
        </>
      ),
    },
    {
      id: 'rpo',
      header: 'RPO',
      width: '9%',
      sortValue: (r) => (r.compliance && !r.unknown.backups ? LEVEL_RANK[r.compliance.backup.level] : undefined),
      sortDescFirst: true,
      cellAttributes: (r) => ({ 'data-testid': `rpo-state-${r.id}`, 'data-level': levelAttribute(r, r.unknown.backups, r.compliance?.backup.level) }),
      cell: (r) =>
        verdict(r, r.unknown.backups, () => (
          <Level level={r.compliance!.backup.level} text={r.compliance!.backup.text}>
            {r.compliance!.backup.rpoSeconds ? `RPO ${formatDuration(r.compliance!.backup.rpoSeconds * 1000)}` : 'No RPO set'}
          </Level>
        )),
    },
    {
      id: 'window',
      header: 'Window end',
      width: '9%',
      sortValue: (r) => timeSortValue(r.compliance?.window?.to),
      sortDescFirst: true,
      cellAttributes: (r) => ({ 'data-testid': `window-end-${r.id}` }),
      cell: (r) => verdict(r, r.unknown.window ?? r.unknown.wal, () => <When at={r.compliance!.window?.to} none="—" />),
    },
    {
      id: 'last-good',
      header: 'Last good backup',
      width: '10%',
      sortValue: (r) => timeSortValue(r.compliance?.backup.lastGoodAt),
      sortDescFirst: true,
      cellAttributes: (r) => ({ 'data-testid': `last-good-${r.id}` }),
      cell: (r) =>
        verdict(r, r.unknown.backups, () => (
          <>
            <When at={r.compliance!.backup.lastGoodAt} none="None" />
            {r.compliance!.backup.ageSeconds !== undefined && <span className="fleet__sub">{formatDuration(r.compliance!.backup.ageSeconds * 1000)} ago</span>}
          </>
        )),
    },
    {
      id: 'drill',
      header: 'Last drill vs RTO',
      width: '11%',
      sortValue: (r) => (r.compliance && !r.unknown.drills ? LEVEL_RANK[r.compliance.rto.level] : undefined),
      sortDescFirst: true,
      cellAttributes: (r) => ({ 'data-testid': `rto-state-${r.id}`, 'data-level': levelAttribute(r, r.unknown.drills, r.compliance?.rto.level) }),
      cell: (r) =>
        verdict(r, r.unknown.drills, () => {
          const { rto } = r.compliance!;
          const measured = rto.rtoMs !== undefined ? formatDuration(rto.rtoMs) : rto.lastDrillAt ? 'no RTO measured' : 'No drill';
          return (
            <Level level={rto.level} text={rto.text}>
              {rto.targetMs !== undefined ? `${measured} of ${formatDuration(rto.targetMs)}` : measured}
            </Level>
          );
        }),
    },
    {
      id: 'replication',
      header: 'Replication',
      width: '11%',
      sortValue: (r) => (r.compliance?.replication.health && !r.unknown.replication ? HEALTH_RANK[r.compliance.replication.health] : undefined),
      sortDescFirst: true,
      cellAttributes: (r) => ({
        'data-testid': `replication-health-${r.id}`,
        'data-health': !r.compliance ? 'pending' : r.unknown.replication ? 'unknown' : (r.compliance.replication.health ?? 'unknown'),
      }),
      cell: (r) =>
        verdict(r, r.unknown.replication, () => {
          const health = r.compliance!.replication.health ?? 'unknown';
          return (
            <StatusBadge tone={HEALTH_TONE[health]} title={r.compliance!.replication.text}>
              {HEALTH_LABEL[health]}
            </StatusBadge>
          );
        }),
    },
    {
      id: 'next-run',
      header: 'Next run',
      width: '10%',
      sortValue: (r) => timeSortValue(r.compliance?.nextRun?.at),
      cellAttributes: (r) => ({ 'data-testid': `fleet-next-run-${r.id}` }),
      cell: (r) =>
        verdict(r, undefined, () => {
          const { nextRun, missedRuns } = r.compliance!;
          return (
            <>
              {nextRun ? (
                <>
                  <span className="fleet__line">{nextRun.kind}</span>
                  <When at={nextRun.at} none="" />
                </>
              ) : (
                <span className="muted">Not scheduled</span>
              )}
              {missedRuns > 0 && <StatusBadge tone="warn">{`${missedRuns} missed`}</StatusBadge>}
            </>
          );
        }),
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      width: '5%',
      className: 'fleet__actions',
      cell: (r) => <ActionsMenu label={`Actions for ${r.name} (${r.id})`} items={menuItems(r)} testId={`service-actions-${r.id}`} />,
    },
  ];
}

function levelAttribute(row: FleetRow, unknown: UnknownFact | undefined, level: ComplianceLevel | undefined): string {
  if (!row.compliance) return 'pending';
  return unknown ? 'unknown' : (level ?? 'unknown');
}

/** The cell of a verdict: pending until monitoring.fleet answered, the unknown fact's words, or the verdict. */
function verdict(row: FleetRow, unknown: UnknownFact | undefined, known: () => ReactNode): ReactNode {
  if (!row.compliance)
    return (
      <span className="muted" title="Waiting for the servers' answers">
        …<span className="visually-hidden">waiting for the answer</span>
      </span>
    );
  if (unknown)
    return (
      <span className="fleet__unknown" data-unknown="true">
        {unknownFactText(unknown)}
      </span>
    );
  return known();
}

/** A level as a badge with a short line under it; the whole sentence for screen readers and on hover. */
function Level({ level, text, children }: { level: ComplianceLevel; text: string; children: ReactNode }) {
  return (
    <>
      <StatusBadge tone={LEVEL_TONE[level]} title={text}>
        {LEVEL_WORD[level]}
      </StatusBadge>
      <span className="fleet__sub" aria-hidden="true">
        {children}
      </span>
      <span className="visually-hidden">{text}</span>
    </>
  );
}

function When({ at, none }: { at?: string; none: string }) {
  if (!at) return <span className="muted">{none}</span>;
  return (
    <time className="fleet__line" dateTime={at} title={formatUtc(at)}>
      {formatCompactDateTime(at)}
    </time>
  );
}
