// The address (location.hash) as a route and back: #/fleet, #/jobs, #/settings, #/service/<id>/backups,
// #/service/<id>/recovery, #/service/<id>/sqlserver, #/service/<id>/replication, #/service/<id>/runbook,
// #/dashboard, #/reports.

export const PAGES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'fleet', label: 'Fleet' },
  { id: 'reports', label: 'Reports' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'settings', label: 'Settings' },
] as const;
/** The pages in the main navigation. */
export type PageId = (typeof PAGES)[number]['id'];

/** Pages of one service, under the fleet: its backups and its point-in-time recovery. */
export type ServicePage = 'service-backups' | 'service-recovery' | 'service-sqlserver' | 'service-replication' | 'service-runbook';

export type Route = { page: PageId } | { page: ServicePage; serviceId: string };

const SERVICE_PAGE = /^service\/([^/]+)\/(backups|recovery|sqlserver|replication|runbook)$/;
const SERVICE_PAGE_ID: Record<string, ServicePage> = {
  backups: 'service-backups',
  recovery: 'service-recovery',
  sqlserver: 'service-sqlserver',
  replication: 'service-replication',
  runbook: 'service-runbook',
};
const SERVICE_PAGE_PATH: Record<ServicePage, string> = {
  'service-backups': 'backups',
  'service-recovery': 'recovery',
  'service-sqlserver': 'sqlserver',
  'service-replication': 'replication',
  'service-runbook': 'runbook',
};

/** Anything unknown is the fleet: an old bookmark lands somewhere useful. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const page = PAGES.find((p) => p.id === path);
  if (page) return { page: page.id };
  const service = SERVICE_PAGE.exec(path);
  if (service?.[1] && service[2]) {
    try {
      return { page: SERVICE_PAGE_ID[service[2]]!, serviceId: decodeURIComponent(service[1]) };
    } catch {
      // a malformed escape: fall through to the fleet
    }
  }
  return { page: 'fleet' };
}

export function routeHref(route: Route): string {
  if ('serviceId' in route) return `#/service/${encodeURIComponent(route.serviceId)}/${SERVICE_PAGE_PATH[route.page]}`;
  return `#/${route.page}`;
}

/** The navigation entry a route belongs to: a service's pages live under the fleet. */
export function navPageOf(route: Route): PageId {
  return 'serviceId' in route ? 'fleet' : route.page;
}
