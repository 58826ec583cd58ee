// The app: starts the stores' subscriptions once and shows the page named in the address.
import { useEffect } from 'react';
import type { ComponentType } from 'react';
import { AppFrame } from './layout/AppFrame';
import { useAskBeforeClosingPage } from './layout/useAskBeforeClosingPage';
import { useCurrentRoute } from './navigation/route';
import type { PageId } from './navigation/route';
import { FleetPage } from './pages/fleet/FleetPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { ReportsPage } from './pages/runbooks/ReportsPage';
import { ServicePage } from './pages/service/ServicePage';
import { useFleetOverviewStore } from './stores/fleetOverviewStore';
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
    // Only listens: the fleet's verdicts are asked for by the pages that show them.
    const stopVerdicts = useFleetOverviewStore.getState().start();
    return () => {
      stopJobs();
      stopServices();
      stopVerdicts();
    };
  }, []);

  if (route.page === 'service') {
    return (
      <AppFrame route={route}>
        {/* Keyed by service: moving to another service starts from a clean page. */}
        <ServicePage key={route.serviceId} serviceId={route.serviceId} tab={route.tab} />
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
