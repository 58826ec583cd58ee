// A service's settings tab: what the fleet file says about it — identity, connection, policy, schedules,
// drill checks and contacts — to read, with Edit opening the service wizard (schedules, contacts, drill checks
// and replication thresholds are edited in the fleet file itself), and the repositories its backups are kept
// in, edited in place (ServiceRepositories).
//
// Names for end-to-end tests: heading "Settings of <service name>"; regions "Identity", "Connection",
// "Policy" (data-testid="settings-identity|settings-connection|settings-policy"); button "Edit…"
// (data-testid="settings-edit-<id>"); region "Repositories" for a PostgreSQL service backed up by Lifeboat
// (see ServiceRepositories.tsx).
import { backupEngineOf, type ServiceView } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { ConnectionPanel } from './ConnectionFacts';
import { ServiceRepositories } from './ServiceRepositories';
import { useServiceActions } from './useServiceActions';
import { BACKUP_ENGINE_LABEL, enginePlace } from '../../format/engineLabel';
import '../recovery/RecoveryPage.css';

const NONE = <span className="muted">not set</span>;

export function ServiceSettings({ view }: { view: ServiceView }) {
  const { service } = view;
  const { policy } = service;
  useDocumentTitle(`Settings of ${service.name}`);
  const actions = useServiceActions();
  const retention = [policy.retention?.keep && `keep ${policy.retention.keep}`, policy.retention?.days && `${policy.retention.days} days`].filter(Boolean).join(', ');
  const thresholds = policy.replication;

  return (
    <div className="page">
      <ServicePageHeader
        serviceId={service.id}
        title={`Settings of ${service.name}`}
        lead=" · as written in the fleet file"
        actions={
          <Button variant="primary" onClick={() => actions.edit(view)} data-testid={`settings-edit-${service.id}`}>
            Edit…
          </Button>
        }
        announcement={actions.announcement}
      />
      <div className="service-overview__grid">
        <section className="panel" aria-labelledby="settings-identity-title" data-testid="settings-identity">
          <h2 id="settings-identity-title">Identity</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{service.name}</dd>
            <dt>Id</dt>
            <dd className="mono">{service.id}</dd>
            <dt>Team</dt>
            <dd>{service.team ?? NONE}</dd>
            <dt>Owner</dt>
            <dd>{service.owner ?? NONE}</dd>
            <dt>Tags</dt>
            <dd>{service.tags.length ? service.tags.join(', ') : NONE}</dd>
            <dt>Contacts</dt>
            <dd>
              {service.contacts?.length ? (
                <ul className="plain-list">
                  {service.contacts.map((c) => (
                    <li key={`${c.name}-${c.role ?? ''}`}>
                      {c.name}
                      {c.role && <span className="muted"> ({c.role})</span>}
                      {[c.phone, c.email].filter(Boolean).length > 0 && <span className="mono"> {[c.phone, c.email].filter(Boolean).join(' · ')}</span>}
                    </li>
                  ))}
                </ul>
              ) : (
                NONE
              )}
            </dd>
          </dl>
        </section>
        <ConnectionPanel view={view} testId="settings-connection" />
        <section className="panel" aria-labelledby="settings-policy-title" data-testid="settings-policy">
          <h2 id="settings-policy-title">Policy</h2>
          <dl className="facts">
            <dt>RPO</dt>
            <dd>{policy.rpo ?? NONE}</dd>
            <dt>RTO</dt>
            <dd>{policy.rto ?? NONE}</dd>
            <dt>Retention</dt>
            <dd>{retention || NONE}</dd>
            {service.engine === 'postgres' && (
              <>
                <dt>Backed up by</dt>
                <dd data-testid="settings-backup-engine">
                  {BACKUP_ENGINE_LABEL[backupEngineOf(service)]}
                  {backupEngineOf(service) !== 'lifeboat' && <span className="mono">, {enginePlace(service)}</span>}
                </dd>
              </>
            )}
            <dt>Repository</dt>
            <dd className="mono">{policy.repositories?.length ? policy.repositories.join(', ') : (policy.repository ?? 'the fleet repository')}</dd>
            <dt>Schedules</dt>
            <dd>
              {policy.schedules?.length ? (
                <ul className="plain-list">
                  {policy.schedules.map((s) => (
                    <li key={`${s.kind}-${s.cron}-${s.timeZone}`}>
                      {s.kind} <span className="mono">{s.cron}</span> ({s.timeZone}){s.runMissed ? ', runs a missed run at start' : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                NONE
              )}
            </dd>
            <dt>Drill checks</dt>
            <dd>
              {policy.drillChecks?.length ? (
                <ul className="plain-list">
                  {policy.drillChecks.map((c) => (
                    <li key={c.name}>
                      {c.name}: <code>{c.sql}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                NONE
              )}
            </dd>
            <dt>Replication alerts</dt>
            <dd>
              {thresholds
                ? [
                    thresholds.warnLagSeconds !== undefined && `warn at ${thresholds.warnLagSeconds} s`,
                    thresholds.criticalLagSeconds !== undefined && `critical at ${thresholds.criticalLagSeconds} s`,
                    thresholds.warnLagBytes !== undefined && `warn at ${thresholds.warnLagBytes} bytes`,
                    thresholds.criticalLagBytes !== undefined && `critical at ${thresholds.criticalLagBytes} bytes`,
                    thresholds.sampleInterval && `sampled every ${thresholds.sampleInterval}`,
                  ]
                    .filter(Boolean)
                    .join(', ') || 'defaults'
                : 'defaults'}
            </dd>
            {service.engine === 'sqlserver' && (
              <>
                <dt>SQL Server backups</dt>
                <dd>
                  {policy.sqlServer?.backupDirectory ? <span className="mono">{policy.sqlServer.backupDirectory}</span> : 'the server’s default folder'}
                  {policy.sqlServer?.encryptionCertificate && `, encrypted with certificate ${policy.sqlServer.encryptionCertificate} (${policy.sqlServer.encryptionAlgorithm ?? 'AES_256'})`}
                </dd>
              </>
            )}
          </dl>
        </section>
        {service.engine === 'postgres' && backupEngineOf(service) === 'lifeboat' && <ServiceRepositories view={view} />}
      </div>
      {actions.dialogs}
    </div>
  );
}
