// One service in the fleet table, with its actions; a connection test result opens in a row beneath it.
import type { ServiceView } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { ConnectionTestResult } from '../../components/ConnectionTestResult';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { serviceBackupsHref, serviceRecoveryHref, serviceReplicationHref, serviceRunbookHref, serviceSqlServerHref } from '../../navigation/route';
import { useReplicationOverviewStore } from '../../stores/replicationOverviewStore';
import { ReplicationHealthBadge } from '../replication/ReplicationHealthBadge';
import { HealthBadge } from './HealthBadge';

export interface ServiceRowProps {
  view: ServiceView;
  test: ConnectionTestState;
  onTest(): void;
  onEdit(): void;
  onRemove(): void;
  onDismissTest(): void;
  /** Opens the backup dialog with this service ticked (PostgreSQL services only). */
  onBackUp(): void;
}

const COLUMNS = 8;

export function ServiceRow({ view, test, onTest, onEdit, onRemove, onDismissTest, onBackUp }: ServiceRowProps) {
  const { service, lastTest } = view;
  const nameId = `service-name-${service.id}`;
  const version = lastTest?.report ? lastTest.report.serverVersion : undefined;
  const expanded = test.status !== 'idle';
  const resultId = `service-test-${service.id}`;
  const isPostgres = service.engine === 'postgres';
  const replication = useReplicationOverviewStore((s) => s.rows[service.id]);
  const replicationLoading = useReplicationOverviewStore((s) => s.loading);

  return (
    <>
      <tr className="fleet__row" data-testid={`service-row-${service.id}`}>
        <th scope="row" className="fleet__service">
          <span className="fleet__name" id={nameId}>
            {service.name}
          </span>
          <span className="fleet__id mono">{service.id}</span>
        </th>
        <td>{ENGINE_LABEL[service.engine]}</td>
        <td className="mono">{version ?? <span className="muted">—</span>}</td>
        <td className="fleet__owner">{service.owner ?? <span className="muted">—</span>}</td>
        <td>
          {service.tags.length ? (
            <ul className="plain-list fleet__tags">
              {service.tags.map((t) => (
                <li key={t} className="fleet__tag">
                  {t}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td>
          <HealthBadge view={view} />
        </td>
        <td>
          <ReplicationHealthBadge serviceId={service.id} row={replication} loading={replicationLoading} />
        </td>
        <td>
          <div className="fleet__actions">
            {isPostgres && (
              <>
                <Button size="sm" onClick={onBackUp} aria-describedby={nameId} data-testid={`backup-service-${service.id}`}>
                  Back up
                </Button>
                {/* Navigation, so a link: it opens the service's backups page (and works with "open in new window"). */}
                <a className="btn btn--secondary btn--sm" href={serviceBackupsHref(service.id)} aria-describedby={nameId} data-testid={`backups-service-${service.id}`}>
                  Backups
                </a>
                <a className="btn btn--secondary btn--sm" href={serviceRecoveryHref(service.id)} aria-describedby={nameId} data-testid={`recovery-service-${service.id}`}>
                  Recovery
                </a>
              </>
            )}
            {service.engine === 'sqlserver' && (
              <a className="btn btn--secondary btn--sm" href={serviceSqlServerHref(service.id)} aria-describedby={nameId} data-testid={`sqlserver-service-${service.id}`}>
                SQL Server
              </a>
            )}
            <a className="btn btn--secondary btn--sm" href={serviceReplicationHref(service.id)} aria-describedby={nameId} data-testid={`replication-service-${service.id}`}>
              Replication
            </a>
            <a className="btn btn--secondary btn--sm" href={serviceRunbookHref(service.id)} aria-describedby={nameId} data-testid={`runbook-service-${service.id}`}>
              Runbook
            </a>
            <Button
              size="sm"
              onClick={onTest}
              busy={test.status === 'testing'}
              aria-describedby={nameId}
              aria-expanded={expanded}
              aria-controls={expanded ? resultId : undefined}
              data-testid={`test-service-${service.id}`}
            >
              Test connection
            </Button>
            <Button size="sm" onClick={onEdit} aria-describedby={nameId} data-testid={`edit-service-${service.id}`}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" className="fleet__remove" onClick={onRemove} aria-describedby={nameId} data-testid={`remove-service-${service.id}`}>
              Remove
            </Button>
          </div>
        </td>
      </tr>
      {expanded && (
        <tr className="fleet__detail" id={resultId}>
          <td colSpan={COLUMNS}>
            <div className="fleet__detail-inner">
              <ConnectionTestResult state={test} label={`Connection test result for ${service.id}`} testId={`connection-test-result-${service.id}`} />
              {test.status !== 'testing' && (
                <Button size="sm" variant="ghost" onClick={onDismissTest} aria-label={`Hide test result for ${service.id}`}>
                  Hide
                </Button>
              )}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
