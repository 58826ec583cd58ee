// The page shown, kept in location.hash (#/fleet) so reload, back/forward and Electron's file:// all work.
import { useMemo, useSyncExternalStore } from 'react';
import { parseRoute, routeHref } from './parseRoute';
import type { PageId, Route } from './parseRoute';

export { PAGES, navPageOf } from './parseRoute';
export type { PageId, Route, ServicePage } from './parseRoute';

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

export function serviceBackupsHref(serviceId: string): string {
  return routeHref({ page: 'service-backups', serviceId });
}

export function serviceRecoveryHref(serviceId: string): string {
  return routeHref({ page: 'service-recovery', serviceId });
}

export function serviceSqlServerHref(serviceId: string): string {
  return routeHref({ page: 'service-sqlserver', serviceId });
}

export function serviceReplicationHref(serviceId: string): string {
  return routeHref({ page: 'service-replication', serviceId });
}

export function serviceRunbookHref(serviceId: string): string {
  return routeHref({ page: 'service-runbook', serviceId });
}
