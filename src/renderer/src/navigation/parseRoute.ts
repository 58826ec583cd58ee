// The address (location.hash) as a route and back: #/fleet, #/jobs, #/settings, #/dashboard, #/reports, and
// one service's page with its tabs: #/service/<id> (its overview), #/service/<id>/<tab> for the tabs backups,
// recovery, sqlserver, replication, runbook and settings (the older per-service addresses are these tabs).

export const PAGES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'fleet', label: 'Fleet' },
  { id: 'reports', label: 'Reports' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'settings', label: 'Settings' },
] as const;
/** The pages in the main navigation. */
export type PageId = (typeof PAGES)[number]['id'];

/** The tabs of a service's page; 'sqlserver' is a SQL Server service's backups and recovery in one. */
export const SERVICE_TABS = ['overview', 'backups', 'recovery', 'sqlserver', 'replication', 'runbook', 'settings'] as const;
export type ServiceTab = (typeof SERVICE_TABS)[number];

export type Route = { page: PageId } | { page: 'service'; serviceId: string; tab: ServiceTab };

const SERVICE_PAGE = /^service\/([^/]+)(?:\/([a-z]+))?$/;

/** Anything unknown is the fleet: an old bookmark lands somewhere useful. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const page = PAGES.find((p) => p.id === path);
  if (page) return { page: page.id };
  const service = SERVICE_PAGE.exec(path);
  const tab = service?.[2] ?? 'overview';
  if (service?.[1] && isServiceTab(tab)) {
    try {
      return { page: 'service', serviceId: decodeURIComponent(service[1]), tab };
    } catch {
      // a malformed escape: fall through to the fleet
    }
  }
  return { page: 'fleet' };
}

function isServiceTab(tab: string): tab is ServiceTab {
  return (SERVICE_TABS as readonly string[]).includes(tab);
}

export function routeHref(route: Route): string {
  if (route.page !== 'service') return `#/${route.page}`;
  const base = `#/service/${encodeURIComponent(route.serviceId)}`;
  return route.tab === 'overview' ? base : `${base}/${route.tab}`;
}

/** The navigation entry a route belongs to: a service's page lives under the fleet. */
export function navPageOf(route: Route): PageId {
  return route.page === 'service' ? 'fleet' : route.page;
}
