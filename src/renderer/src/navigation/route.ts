// The page shown, kept in location.hash (#/fleet) so reload, back/forward and Electron's file:// all work.
import { useMemo, useSyncExternalStore } from 'react';
import { parseRoute, routeHref } from './parseRoute';
import type { PageId, Route, ServiceTab } from './parseRoute';

export { PAGES, SERVICE_TABS, navPageOf } from './parseRoute';
export type { PageId, Route, ServiceTab } from './parseRoute';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The hash string is the snapshot (stable between changes); the route object is derived from it. */
export function useCurrentRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return useMemo(() => parseRoute(hash), [hash]);
}

export function pageHref(id: PageId): string {
  return routeHref({ page: id });
}

/** A service's page, on its overview unless a tab is named. */
export function serviceHref(serviceId: string, tab: ServiceTab = 'overview'): string {
  return routeHref({ page: 'service', serviceId, tab });
}
