// One service's page (#/service/<id>[/<tab>]), the hub for everything about it: the way back to the fleet, who
// it is, and its tabs — Overview (verdicts, connection, actions), Backups, Recovery (or, for SQL Server, one
// Backups & recovery tab), Replication/HA, Runbook and Settings. Each tab is the page it was before, shown in
// the tab panel.
//
// Names for end-to-end tests: link "Back to the fleet"; the service's identity line
// (data-testid="service-identity"); the tabs in ServiceTabs.tsx; tab panel data-testid="service-tabpanel"
// (data-tab); unknown service data-testid="service-unknown".
import { useId } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import { EmptyState } from '../../components/EmptyState';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { pageHref } from '../../navigation/route';
import type { ServiceTab } from '../../navigation/route';
import { useServicesStore } from '../../stores/servicesStore';
import { BackupsPage } from '../backups/BackupsPage';
import { RecoveryPage } from '../recovery/RecoveryPage';
import { ReplicationPage } from '../replication/ReplicationPage';
import { RunbookPage } from '../runbooks/RunbookPage';
import { SqlServerPage } from '../sqlserver/SqlServerPage';
import { ServiceOverview } from './ServiceOverview';
import { ServiceSettings } from './ServiceSettings';
import { ServiceTabs, serviceTabId } from './ServiceTabs';
import { SERVICE_TAB_ENTRIES, tabForEngine } from './serviceTabEntries';
import '../../styles/page.css';
import './ServicePage.css';

export function ServicePage({ serviceId, tab }: { serviceId: string; tab: ServiceTab }) {
  const view = useServicesStore((s) => s.services.find((v) => v.service.id === serviceId));
  const loaded = useServicesStore((s) => s.loaded);
  const panelId = useId();

  const back = (
    <p className="service-page__back">
      <a href={pageHref('fleet')}>
        <span aria-hidden="true">← </span>Back to the fleet
      </a>
    </p>
  );

  if (!view) {
    return (
      <div className="page">
        {back}
        {!loaded ? (
          <p className="muted">Loading…</p>
        ) : (
          <EmptyState title={`No service "${serviceId}"`} testId="service-unknown">
            It is not in the fleet (any more), or the address is mistyped.
          </EmptyState>
        )}
      </div>
    );
  }

  const { service } = view;
  const shown = tabForEngine(service.engine, tab);
  const version = view.lastTest?.report?.serverVersion;
  return (
    <div className="service-page">
      {back}
      <p className="service-page__identity" data-testid="service-identity">
        <strong>{service.name}</strong> <span className="mono">{service.id}</span>
        <span className="muted">
          {' · '}
          {ENGINE_LABEL[service.engine]}
          {version && ` ${version}`}
          {service.team && ` · ${service.team}`}
          {service.owner && ` · ${service.owner}`}
        </span>
      </p>
      <ServiceTabs serviceId={serviceId} label={service.name} entries={SERVICE_TAB_ENTRIES[service.engine]} current={shown} panelId={panelId} />
      <div id={panelId} role="tabpanel" aria-labelledby={serviceTabId(shown)} className="service-page__panel" data-testid="service-tabpanel" data-tab={shown}>
        <TabContent key={shown} view={view} tab={shown} />
      </div>
    </div>
  );
}

function TabContent({ view, tab }: { view: ServiceView; tab: ServiceTab }) {
  const id = view.service.id;
  switch (tab) {
    case 'overview':
      return <ServiceOverview view={view} />;
    case 'backups':
      return <BackupsPage serviceId={id} />;
    case 'recovery':
      return <RecoveryPage serviceId={id} />;
    case 'sqlserver':
      return <SqlServerPage serviceId={id} />;
    case 'replication':
      return <ReplicationPage serviceId={id} />;
    case 'runbook':
      return <RunbookPage serviceId={id} />;
    case 'settings':
      return <ServiceSettings view={view} />;
  }
}
