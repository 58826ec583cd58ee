// A service's overview tab: its verdicts (the same monitoring.fleet row the fleet page shows, facts not learned
// said as such), its connection, and the actions on it: back up, test the connection, edit, remove.
//
// Names for end-to-end tests: heading "<service name>"; region "State" (data-testid="service-verdicts") with
// data-testid="overview-rpo", "overview-window", "overview-last-good", "overview-rto", "overview-replication",
// "overview-next-run" (data-level where a level applies, data-unknown="true" for a fact not learned); region
// "Connection" (data-testid="service-connection"); buttons "Back up…" (data-testid="backup-service-<id>",
// PostgreSQL), "Test connection" (data-testid="test-service-<id>", result region "Connection test result for
// <id>", data-testid="connection-test-result-<id>"), "Edit…" (data-testid="edit-service-<id>"), "Remove…"
// (data-testid="remove-service-<id>", then dialog "Remove service <id>?", back to the fleet once removed).
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { ComplianceLevel, UnknownFact } from '../../../../shared/monitoring';
import { Button } from '../../components/Button';
import { ConnectionTestResult } from '../../components/ConnectionTestResult';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../format/dateTime';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { unknownFactText } from '../../format/unknownFact';
import { pageHref } from '../../navigation/route';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { useFleetOverviewStore } from '../../stores/fleetOverviewStore';
import { LEVEL_TONE, LEVEL_WORD } from '../dashboard/complianceFormat';
import { HEALTH_LABEL } from '../replication/replicationFormat';
import { ConnectionPanel } from './ConnectionFacts';
import { useServiceActions } from './useServiceActions';
import '../recovery/RecoveryPage.css';

export function ServiceOverview({ view }: { view: ServiceView }) {
  const { service } = view;
  const id = service.id;
  useDocumentTitle(service.name);
  const compliance = useFleetOverviewStore((s) => s.byId[id]);
  const loaded = useFleetOverviewStore((s) => s.loaded);
  const loading = useFleetOverviewStore((s) => s.loading);
  const error = useFleetOverviewStore((s) => s.error);
  const load = useFleetOverviewStore((s) => s.load);
  const actions = useServiceActions({ onRemoved: () => (window.location.hash = pageHref('fleet')) });
  const test = actions.testOf(id);

  // The fleet page usually asked already; a page opened directly asks once.
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  const unknown = (fact: UnknownFact['fact']) => compliance?.unknown.find((u) => u.fact === fact);

  return (
    <div className="page">
      <ServicePageHeader
        serviceId={id}
        title={service.name}
        lead={` · ${ENGINE_LABEL[service.engine]}${service.policy.rpo ? ` · RPO ${service.policy.rpo}` : ''}${service.policy.rto ? ` · RTO ${service.policy.rto}` : ''}`}
        actions={
          <div className="service-overview__actions">
            {service.engine === 'postgres' && (
              <Button variant="primary" onClick={() => actions.backUp([id])} data-testid={`backup-service-${id}`}>
                Back up…
              </Button>
            )}
            <Button onClick={() => void actions.test(id)} busy={test.status === 'testing'} data-testid={`test-service-${id}`}>
              Test connection
            </Button>
            <Button onClick={() => actions.edit(view)} data-testid={`edit-service-${id}`}>
              Edit…
            </Button>
            <Button variant="danger" onClick={() => actions.remove(view)} data-testid={`remove-service-${id}`}>
              Remove…
            </Button>
          </div>
        }
        announcement={actions.announcement}
      />
      {test.status !== 'idle' && <ConnectionTestResult state={test} label={`Connection test result for ${id}`} testId={`connection-test-result-${id}`} />}
      <div className="service-overview__grid">
        <section className="panel" aria-labelledby="service-verdicts-title" data-testid="service-verdicts">
          <h2 id="service-verdicts-title">State</h2>
          {error && <ErrorNotice error={error} alert={false} />}
          {!compliance && !error && <p className="muted">{loading ? 'Asking the server…' : 'No answer for this service yet.'}</p>}
          {compliance && (
            <dl className="facts">
              <dt>Last good backup vs RPO</dt>
              <Verdict testId="overview-rpo" unknown={unknown('backups')} level={compliance.backup.level} text={compliance.backup.text} />
              <dt>Recoverable window</dt>
              <Verdict testId="overview-window" unknown={unknown('window') ?? unknown('wal')} text={compliance.window ? `${formatDateTime(compliance.window.from)} – ${formatDateTime(compliance.window.to)}` : 'none yet'} />
              <dt>Last good backup</dt>
              <Verdict testId="overview-last-good" unknown={unknown('backups')} text={compliance.backup.lastGoodAt ? formatDateTime(compliance.backup.lastGoodAt) : 'none'} />
              <dt>Last drill vs RTO</dt>
              <Verdict testId="overview-rto" unknown={unknown('drills')} level={compliance.rto.level} text={compliance.rto.text} />
              <dt>Replication</dt>
              <Verdict
                testId="overview-replication"
                unknown={unknown('replication')}
                level={compliance.replication.level}
                text={`${compliance.replication.health ? `${HEALTH_LABEL[compliance.replication.health]}: ` : ''}${compliance.replication.text}`}
              />
              <dt>Next run</dt>
              <Verdict
                testId="overview-next-run"
                text={`${compliance.nextRun ? `${compliance.nextRun.kind} at ${formatDateTime(compliance.nextRun.at)}` : 'not scheduled'}${compliance.missedRuns > 0 ? ` (${compliance.missedRuns} missed)` : ''}`}
              />
            </dl>
          )}
        </section>
        <ConnectionPanel view={view} testId="service-connection" />
      </div>
      {actions.dialogs}
    </div>
  );
}

function Verdict({ testId, unknown, level, text }: { testId: string; unknown?: UnknownFact; level?: ComplianceLevel; text: string }): ReactNode {
  if (unknown)
    return (
      <dd className="service-overview__unknown" data-testid={testId} data-unknown="true">
        {unknownFactText(unknown)}
      </dd>
    );
  return (
    <dd className="service-overview__verdict" data-testid={testId} data-level={level}>
      {level && <StatusBadge tone={LEVEL_TONE[level]}>{LEVEL_WORD[level]}</StatusBadge>}
      <span>{text}</span>
    </dd>
  );
}
