// Fleet compliance at a glance (#/dashboard): per service the last good backup against the RPO, the
// recoverable window, the last drill against the RTO, replication and the next scheduled run; job success
// rates over 7 and 30 days; repository storage and its growth; recent failures with their hints; the
// schedules (with runs missed while Lifeboat was closed), notifications and headless agents.
//
// Names for end-to-end tests: heading "Dashboard"; table data-testid="compliance-table" with one row per
// service data-testid="compliance-<id>" holding badges data-testid="backup-status-<id>", "rto-status-<id>",
// "replication-status-<id>" (data-tone) and data-testid="next-run-<id>"; rates data-testid="rate-7" and
// "rate-30"; charts (OutcomesChart.tsx, StorageChart.tsx); data-testid="storage-table", "recent-failures",
// "schedules-table", "notifications", "agents"; webhooks in WebhooksPanel.tsx; button data-testid="enable-notifications" (browser mode).
import { useEffect, useState } from 'react';
import type { DashboardView, ScheduleView, ServiceCompliance, StorageSeries } from '../../../../shared/monitoring';
import { Button } from '../../components/Button';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
import { formatDateTime } from '../../format/dateTime';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { formatBytes } from '../../format/jobQuantities';
import { pageHref } from '../../navigation/route';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { browserNotificationState, requestBrowserNotifications, startBrowserNotifications, type BrowserNotificationState } from '../../notifications/browserNotifications';
import { LEVEL_RANK, LEVEL_TONE, LEVEL_WORD, percentText } from './complianceFormat';
import { OutcomesChart } from './OutcomesChart';
import { StorageChart } from './StorageChart';
import { useDashboard } from './useDashboard';
import { WebhooksPanel } from './WebhooksPanel';
import '../../styles/page.css';
import './DashboardPage.css';

export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const { dashboard, schedules } = useDashboard();
  const view = dashboard.value;
  useEffect(() => startBrowserNotifications(), []);

  return (
    <div className="page dashboard">
      <div className="page__head">
        <div>
          <h1>Dashboard</h1>
          <p className="page__lead">{view ? `Fleet compliance as of ${formatDateTime(view.generatedAt)}` : 'Reading the fleet…'}</p>
        </div>
        <div className="page__actions">
          <Button onClick={() => void Promise.all([dashboard.refresh(), schedules.refresh()])} data-testid="dashboard-refresh">
            Refresh
          </Button>
        </div>
      </div>
      {dashboard.error && <ErrorNotice error={dashboard.error} />}
      {view && (
        <>
          <ComplianceTable services={view.services} />
          <section className="dashboard__grid">
            <Rates view={view} />
            <Storage view={view} />
          </section>
          <Failures view={view} />
          <Schedules schedules={schedules.value} />
          <section className="dashboard__grid">
            <Notifications view={view} />
            <Agents view={view} />
          </section>
          <WebhooksPanel />
        </>
      )}
    </div>
  );
}

function Level({ level, text, testId }: { level: ServiceCompliance['backup']['level']; text: string; testId: string }) {
  return (
    <div className="dashboard__level">
      <StatusBadge tone={LEVEL_TONE[level]} testId={testId}>
        {LEVEL_WORD[level]}
      </StatusBadge>
      <span className="dashboard__level-text">{text}</span>
    </div>
  );
}

const STORAGE_WORD = { folder: 'folder', s3: 'S3', azure: 'Azure Blob' } as const;

/**
 * 3-2-1 at a glance: one mark per repository of the service, filled where it holds the newest backup (a
 * tick when that copy was verified), named by its kind of storage; the verdict and its words beside them.
 */
function Copies({ s }: { s: ServiceCompliance }) {
  const c = s.copies;
  if (!c) return <span className="dashboard__level-text">{s.engine === 'postgres' ? 'kept by its engine' : 'kept by SQL Server'}</span>;
  return (
    <div className="dashboard__level">
      <StatusBadge tone={LEVEL_TONE[c.level]} testId={`copies-status-${s.serviceId}`}>
        {LEVEL_WORD[c.level]}
      </StatusBadge>
      <span className="dashboard__copies" aria-hidden="true">
        {c.repositories.map((r) => (
          <span key={r.location} className={`dashboard__copy${r.holdsNewest ? ' dashboard__copy--held' : ''}${r.error ? ' dashboard__copy--unreadable' : ''}`} title={`${r.location} (${STORAGE_WORD[r.storage]}${r.offsite ? ', off-site' : ''}): ${r.error ?? (r.holdsNewest ? (r.verified ? 'holds the newest backup, verified' : 'holds the newest backup, not verified yet') : 'does not hold the newest backup')}`}>
            {r.holdsNewest && r.verified ? '✓' : ''}
          </span>
        ))}
      </span>
      <span className="dashboard__level-text" data-testid={`copies-text-${s.serviceId}`}>{c.text}</span>
    </div>
  );
}

const COMPLIANCE_COLUMNS: DataTableColumn<ServiceCompliance>[] = [
  {
    id: 'service',
    header: 'Service',
    rowHeader: true,
    sortValue: (s) => s.name,
    cell: (s) => (
      <>
        <strong>{s.name}</strong>
        <div className="dashboard__sub mono">
          {s.serviceId} · {ENGINE_LABEL[s.engine]}
        </div>
      </>
    ),
  },
  {
    id: 'backup',
    header: 'Last good backup vs RPO',
    sortValue: (s) => LEVEL_RANK[s.backup.level],
    sortDescFirst: true,
    cell: (s) => <Level level={s.backup.level} text={s.backup.text} testId={`backup-status-${s.serviceId}`} />,
  },
  {
    id: 'window',
    header: 'Recoverable window',
    sortValue: (s) => timeSortValue(s.window?.to),
    cell: (s) => (s.window ? `${formatDateTime(s.window.from)} – ${formatDateTime(s.window.to)}` : '—'),
  },
  {
    id: 'copies',
    header: 'Copies (3-2-1)',
    sortValue: (s) => (s.copies ? LEVEL_RANK[s.copies.level] : -1),
    sortDescFirst: true,
    cell: (s) => <Copies s={s} />,
  },
  {
    id: 'rto',
    header: 'Last drill vs RTO',
    sortValue: (s) => LEVEL_RANK[s.rto.level],
    sortDescFirst: true,
    cell: (s) => <Level level={s.rto.level} text={s.rto.text} testId={`rto-status-${s.serviceId}`} />,
  },
  {
    id: 'replication',
    header: 'Replication',
    sortValue: (s) => LEVEL_RANK[s.replication.level],
    sortDescFirst: true,
    cell: (s) => <Level level={s.replication.level} text={s.replication.text} testId={`replication-status-${s.serviceId}`} />,
  },
  {
    id: 'next-run',
    header: 'Next scheduled run',
    sortValue: (s) => timeSortValue(s.nextRun?.at),
    cellAttributes: (s) => ({ 'data-testid': `next-run-${s.serviceId}` }),
    cell: (s) => (
      <>
        {s.nextRun ? `${s.nextRun.kind} at ${formatDateTime(s.nextRun.at)}` : 'Not scheduled'}
        {s.missedRuns > 0 && (
          <div>
            <StatusBadge tone="warn">{`${s.missedRuns} missed`}</StatusBadge>
          </div>
        )}
      </>
    ),
  },
];

function ComplianceTable({ services }: { services: ServiceCompliance[] }) {
  return (
    <section className="panel" aria-labelledby="compliance-title">
      <h2 id="compliance-title">Fleet compliance</h2>
      {services.length === 0 ? (
        <EmptyState title="No services yet" action={<a href={pageHref('fleet')}>Add a service in the fleet</a>} />
      ) : (
        <DataTable
          label="Fleet compliance"
          testId="compliance-table"
          rows={services}
          columns={COMPLIANCE_COLUMNS}
          rowKey={(s) => s.serviceId}
          rowAttributes={(s) => ({ 'data-testid': `compliance-${s.serviceId}` })}
        />
      )}
    </section>
  );
}

function Rates({ view }: { view: DashboardView }) {
  return (
    <section className="panel" aria-labelledby="rates-title">
      <h2 id="rates-title">Job outcomes</h2>
      <dl className="dashboard__rates">
        {view.rates.map((r) => (
          <div key={r.days} data-testid={`rate-${r.days}`} data-succeeded={r.succeeded} data-failed={r.failed}>
            <dt>Last {r.days} days</dt>
            <dd>
              <strong>{percentText(r.successRate)}</strong> succeeded · {r.succeeded} succeeded, {r.failed} failed
            </dd>
          </div>
        ))}
      </dl>
      <OutcomesChart daily={view.daily} />
    </section>
  );
}

const STORAGE_COLUMNS: DataTableColumn<StorageSeries>[] = [
  { id: 'service', header: 'Service', rowHeader: true, className: 'mono', sortValue: (s) => s.serviceId, cell: (s) => s.serviceId },
  { id: 'stored', header: 'Stored', sortValue: (s) => s.storedBytes, sortDescFirst: true, cell: (s) => formatBytes(s.storedBytes) },
  { id: 'wal', header: 'Of which WAL', sortValue: (s) => s.walBytes, sortDescFirst: true, cell: (s) => formatBytes(s.walBytes) },
  { id: 'growth7', header: 'Growth 7 days', sortValue: (s) => s.growth7d, sortDescFirst: true, cell: (s) => `+${formatBytes(s.growth7d)}` },
  { id: 'growth30', header: 'Growth 30 days', sortValue: (s) => s.growth30d, sortDescFirst: true, cell: (s) => `+${formatBytes(s.growth30d)}` },
];

function Storage({ view }: { view: DashboardView }) {
  return (
    <section className="panel" aria-labelledby="storage-title">
      <h2 id="storage-title">Repository storage</h2>
      <StorageChart storage={view.storage} />
      <DataTable label="Repository storage" testId="storage-table" rows={view.storage} columns={STORAGE_COLUMNS} rowKey={(s) => s.serviceId} rowAttributes={(s) => ({ 'data-testid': `storage-${s.serviceId}` })} />
    </section>
  );
}

function Failures({ view }: { view: DashboardView }) {
  return (
    <section className="panel" aria-labelledby="failures-title">
      <h2 id="failures-title">Recent failures</h2>
      {view.failures.length === 0 ? (
        <EmptyState title="No failed jobs" testId="no-failures" />
      ) : (
        <ul className="dashboard__list" data-testid="recent-failures">
          {view.failures.map((f) => (
            <li key={f.jobId} data-testid={`failure-${f.jobId}`}>
              <StatusBadge tone="error">Failed</StatusBadge> <strong>{f.title}</strong>{' '}
              <span className="dashboard__sub">
                {formatDateTime(f.at)} · {f.source}
              </span>
              <p>
                {f.error.message} <code>{f.error.code}</code>
              </p>
              {f.error.hint && <p className="dashboard__hint">{f.error.hint}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const SCHEDULE_COLUMNS: DataTableColumn<ScheduleView>[] = [
  { id: 'service', header: 'Service', rowHeader: true, className: 'mono', sortValue: (s) => s.serviceId, cell: (s) => s.serviceId },
  { id: 'job', header: 'Job', sortValue: (s) => s.kind, cell: (s) => s.kind },
  {
    id: 'when',
    header: 'When',
    cell: (s) => (
      <>
        {s.description}
        <div className="dashboard__sub mono">{s.cron}</div>
        {s.error && (
          <StatusBadge tone="error" title={s.error}>
            {s.error}
          </StatusBadge>
        )}
      </>
    ),
  },
  { id: 'next-run', header: 'Next run', sortValue: (s) => timeSortValue(s.nextRun), cell: (s) => (s.nextRun ? formatDateTime(s.nextRun) : '—') },
  { id: 'last-run', header: 'Last run', sortValue: (s) => timeSortValue(s.lastRun?.startedAt), sortDescFirst: true, cell: (s) => (s.lastRun ? `${s.lastRun.outcome} (slot ${formatDateTime(s.lastRun.slot)})` : 'Not yet') },
  {
    id: 'missed',
    header: 'Missed while closed',
    sortValue: (s) => s.missed?.count ?? 0,
    sortDescFirst: true,
    cell: (s) =>
      s.missed ? (
        <StatusBadge tone="warn" title={`${formatDateTime(s.missed.first)} – ${formatDateTime(s.missed.last)}`}>
          {`${s.missed.count} missed${s.missed.ranAtStart ? ', ran once at start' : ''}`}
        </StatusBadge>
      ) : (
        'None'
      ),
  },
];

function Schedules({ schedules }: { schedules?: ScheduleView[] }) {
  if (!schedules) return null;
  return (
    <section className="panel" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      {schedules.length === 0 ? (
        <EmptyState title="No schedules">Add schedules to a service's policy in the fleet file (policy.schedules: kind, cron, timeZone).</EmptyState>
      ) : (
        <DataTable label="Schedules" testId="schedules-table" rows={schedules} columns={SCHEDULE_COLUMNS} rowKey={(s) => s.key} />
      )}
    </section>
  );
}

const PERMISSION_TEXT: Record<BrowserNotificationState, string> = {
  unsupported: 'This browser cannot show notifications.',
  electron: 'Shown by the desktop app.',
  default: 'Not enabled in this browser yet.',
  granted: 'Enabled in this browser.',
  denied: 'Blocked in this browser: allow them in the site settings.',
};

function Notifications({ view }: { view: DashboardView }) {
  const [permission, setPermission] = useState<BrowserNotificationState>(() => browserNotificationState());
  return (
    <section className="panel" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <p className="dashboard__sub">
        Desktop notifications: {PERMISSION_TEXT[permission]}{' '}
        {permission === 'default' && (
          <Button size="sm" data-testid="enable-notifications" onClick={() => void requestBrowserNotifications().then(setPermission)}>
            Enable desktop notifications
          </Button>
        )}
      </p>
      {view.notifications.length === 0 ? (
        <EmptyState title="Nothing to report" />
      ) : (
        <ul className="dashboard__list" data-testid="notifications">
          {view.notifications.map((n) => (
            <li key={n.id}>
              <StatusBadge tone={n.severity === 'critical' ? 'error' : n.severity === 'warning' ? 'warn' : 'info'}>{n.severity}</StatusBadge> <strong>{n.title}</strong>{' '}
              <span className="dashboard__sub">{formatDateTime(n.at)}</span>
              <p>{n.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Agents({ view }: { view: DashboardView }) {
  return (
    <section className="panel" aria-labelledby="agents-title">
      <h2 id="agents-title">Headless agents</h2>
      {view.agents.length === 0 ? (
        <EmptyState title="No agent uses this repository">Run "lifeboat agent --config fleet.yaml" on a server (see docs/monitoring.md).</EmptyState>
      ) : (
        <ul className="dashboard__list" data-testid="agents">
          {view.agents.map((a) => (
            <li key={a.name}>
              <StatusBadge tone={a.stale ? 'warn' : 'ok'}>{a.stale ? 'Silent' : 'Running'}</StatusBadge> <strong>{a.name}</strong>{' '}
              <span className="dashboard__sub">
                {a.host}, pid {a.pid}, last seen {formatDateTime(a.lastSeen)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {view.agentJobs.length > 0 && (
        <>
          <h3 className="dashboard__subhead">Their recent jobs</h3>
          <ul className="dashboard__list" data-testid="agent-jobs">
            {view.agentJobs.map((j) => (
              <li key={`${j.agent}-${j.id}`}>
                <StatusBadge tone={j.state === 'succeeded' ? 'ok' : j.state === 'failed' ? 'error' : 'untested'}>{j.state}</StatusBadge> {j.title}{' '}
                <span className="dashboard__sub">
                  {j.agent} · {formatDateTime(j.finishedAt ?? j.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
