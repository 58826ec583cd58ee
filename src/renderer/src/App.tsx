// The app: starts the stores' subscriptions once and shows the page named in the address.
import { useEffect } from 'react';
import type { ComponentType } from 'react';
import { AppFrame } from './layout/AppFrame';
import { useCurrentPage } from './navigation/route';
import type { PageId } from './navigation/route';
import { FleetPage } from './pages/fleet/FleetPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { useJobsStore } from './stores/jobsStore';
import { useServicesStore } from './stores/servicesStore';

const PAGE_COMPONENT: Record<PageId, ComponentType> = {
  fleet: FleetPage,
  jobs: JobsPage,
  settings: SettingsPage,
};

export function App() {
  const page = useCurrentPage();

  useEffect(() => {
    const stopJobs = useJobsStore.getState().start();
    const stopServices = useServicesStore.getState().start();
    return () => {
      stopJobs();
      stopServices();
    };
  }, []);

  const Page = PAGE_COMPONENT[page];
  return (
    <AppFrame page={page}>
      <Page />
    </AppFrame>
  );
}
