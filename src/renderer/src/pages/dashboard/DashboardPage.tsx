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
import type { DashboardView, ScheduleView, ServiceCompliance } from '../../../../shared/monitoring';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { formatBytes } from '../../format/jobQuantities';
import { pageHref } from '../../navigation/route';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { browserNotificationState, requestBrowserNotifications, startBrowserNotifications, type BrowserNotificationState } from '../../notifications/browserNotifications';
import { LEVEL_TONE, LEVEL_WORD, percentText } from './complianceFormat';
import { OutcomesChart } from './OutcomesChart';
import { StorageChart } from './StorageChart';
import { useDashboard } from './useDashboard';
import { WebhooksPanel } from './WebhooksPanel';
import '../../styles/page.css';
import '../../styles/table.css';
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

function ComplianceTable({ services }: { services: ServiceCompliance[] }) {
  return (
    <section className="panel" aria-labelledby="compliance-title">
      <h2 id="compliance-title">Fleet compliance</h2>
      {services.length === 0 ? (
        <EmptyState title="No services yet" action={<a href={pageHref('fleet')}>Add a service in the fleet</a>} />
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="compliance-table">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Last good backup vs RPO</th>
                <th scope="col">Recoverable window</th>
                <th scope="col">Last drill vs RTO</th>
                <th scope="col">Replication</th>
                <th scope="col">Next scheduled run</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.serviceId} data-testid={`compliance-${s.serviceId}`}>
                  <th scope="row">
                    <strong>{s.name}</strong>
                    <div className="dashboard__sub mono">
                      {s.serviceId} · {ENGINE_LABEL[s.engine]}
                    </div>
                  </th>
                  <td>
                    <Level level={s.backup.level} text={s.backup.text} testId={`backup-status-${s.serviceId}`} />
                  </td>
                  <td>{s.window ? `${formatDateTime(s.window.from)} – ${formatDateTime(s.window.to)}` : '—'}</td>
                  <td>
                    <Level level={s.rto.level} text={s.rto.text} testId={`rto-status-${s.serviceId}`} />
                  </td>
                  <td>
                    <Level level={s.replication.level} text={s.replication.text} testId={`replication-status-${s.serviceId}`} />
                  </td>
                  <td data-testid={`next-run-${s.serviceId}`}>
                    {s.nextRun ? `${s.nextRun.kind} at ${formatDateTime(s.nextRun.at)}` : 'Not scheduled'}
                    {s.missedRuns > 0 && (
                      <div>
                        <StatusBadge tone="warn">{`${s.missedRuns} missed`}</StatusBadge>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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

function Storage({ view }: { view: DashboardView }) {
  return (
    <section className="panel" aria-labelledby="storage-title">
      <h2 id="storage-title">Repository storage</h2>
      <StorageChart storage={view.storage} />
      <div className="table-scroll">
        <table className="data-table" data-testid="storage-table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Stored</th>
              <th scope="col">Growth 7 days</th>
              <th scope="col">Growth 30 days</th>
            </tr>
          </thead>
          <tbody>
            {view.storage.map((s) => (
              <tr key={s.serviceId} data-testid={`storage-${s.serviceId}`}>
                <th scope="row" className="mono">
                  {s.serviceId}
                </th>
                <td>{formatBytes(s.storedBytes)}</td>
                <td>+{formatBytes(s.growth7d)}</td>
                <td>+{formatBytes(s.growth30d)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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

function Schedules({ schedules }: { schedules?: ScheduleView[] }) {
  if (!schedules) return null;
  return (
    <section className="panel" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      {schedules.length === 0 ? (
        <EmptyState title="No schedules">Add schedules to a service's policy in the fleet file (policy.schedules: kind, cron, timeZone).</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="schedules-table">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Job</th>
                <th scope="col">When</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col">Missed while closed</th>
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.key}>
                  <th scope="row" className="mono">
                    {s.serviceId}
                  </th>
                  <td>{s.kind}</td>
                  <td>
                    {s.description}
                    <div className="dashboard__sub mono">{s.cron}</div>
                    {s.error && <StatusBadge tone="error" title={s.error}>{s.error}</StatusBadge>}
                  </td>
                  <td>{s.nextRun ? formatDateTime(s.nextRun) : '—'}</td>
                  <td>{s.lastRun ? `${s.lastRun.outcome} (slot ${formatDateTime(s.lastRun.slot)})` : 'Not yet'}</td>
                  <td>
                    {s.missed ? (
                      <StatusBadge tone="warn" title={`${formatDateTime(s.missed.first)} – ${formatDateTime(s.missed.last)}`}>
                        {`${s.missed.count} missed${s.missed.ranAtStart ? ', ran once at start' : ''}`}
                      </StatusBadge>
                    ) : (
                      'None'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
