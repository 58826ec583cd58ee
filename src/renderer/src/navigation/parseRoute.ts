// The address (location.hash) as a route and back: #/fleet, #/jobs, #/settings, #/service/<id>/backups.

export const PAGES = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'settings', label: 'Settings' },
] as const;
/** The pages in the main navigation. */
export type PageId = (typeof PAGES)[number]['id'];

export type Route = { page: PageId } | { page: 'service-backups'; serviceId: string };

const SERVICE_BACKUPS = /^service\/([^/]+)\/backups$/;

/** Anything unknown is the fleet: an old bookmark lands somewhere useful. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const page = PAGES.find((p) => p.id === path);
  if (page) return { page: page.id };
  const backups = SERVICE_BACKUPS.exec(path);
  if (backups?.[1]) {
    try {
      return { page: 'service-backups', serviceId: decodeURIComponent(backups[1]) };
    } catch {
      // a malformed escape: fall through to the fleet
    }
  }
  return { page: 'fleet' };
}

export function routeHref(route: Route): string {
  if (route.page === 'service-backups') return `#/service/${encodeURIComponent(route.serviceId)}/backups`;
  return `#/${route.page}`;
}

/** The navigation entry a route belongs to: a service's backups live under the fleet. */
export function navPageOf(route: Route): PageId {
  return route.page === 'service-backups' ? 'fleet' : route.page;
}
