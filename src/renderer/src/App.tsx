// The app: starts the stores' subscriptions once and shows the page named in the address.
import { useEffect } from 'react';
import type { ComponentType } from 'react';
import { AppFrame } from './layout/AppFrame';
import { useAskBeforeClosingPage } from './layout/useAskBeforeClosingPage';
import { useCurrentRoute } from './navigation/route';
import type { PageId } from './navigation/route';
import { BackupsPage } from './pages/backups/BackupsPage';
import { FleetPage } from './pages/fleet/FleetPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { RecoveryPage } from './pages/recovery/RecoveryPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SqlServerPage } from './pages/sqlserver/SqlServerPage';
import { ReplicationPage } from './pages/replication/ReplicationPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { ReportsPage } from './pages/runbooks/ReportsPage';
import { RunbookPage } from './pages/runbooks/RunbookPage';
import { useJobsStore } from './stores/jobsStore';
import { useServicesStore } from './stores/servicesStore';

const PAGE_COMPONENT: Record<PageId, ComponentType> = {
  dashboard: DashboardPage,
  fleet: FleetPage,
  reports: ReportsPage,
  jobs: JobsPage,
  settings: SettingsPage,
};

export function App() {
  const route = useCurrentRoute();
  useAskBeforeClosingPage();

  useEffect(() => {
    const stopJobs = useJobsStore.getState().start();
    const stopServices = useServicesStore.getState().start();
    return () => {
      stopJobs();
      stopServices();
    };
  }, []);

  if (route.page === 'service-backups') {
    return (
      <AppFrame route={route}>
        {/* Keyed by service: moving to another service's backups starts from a clean page. */}
        <BackupsPage key={route.serviceId} serviceId={route.serviceId} />
      </AppFrame>
    );
  }
  if (route.page === 'service-recovery') {
    return (
      <AppFrame route={route}>
        <RecoveryPage key={route.serviceId} serviceId={route.serviceId} />
      </AppFrame>
    );
  }
  if (route.page === 'service-sqlserver') {
    return (
      <AppFrame route={route}>
        <SqlServerPage key={route.serviceId} serviceId={route.serviceId} />
      </AppFrame>
    );
  }
  if (route.page === 'service-replication') {
    return (
      <AppFrame route={route}>
        <ReplicationPage key={route.serviceId} serviceId={route.serviceId} />
      </AppFrame>
    );
  }
  if (route.page === 'service-runbook') {
    return (
      <AppFrame route={route}>
        <RunbookPage key={route.serviceId} serviceId={route.serviceId} />
      </AppFrame>
    );
  }
  const Page = PAGE_COMPONENT[route.page];
  return (
    <AppFrame route={route}>
      <Page />
    </AppFrame>
  );
}
