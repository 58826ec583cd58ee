// The address names the page: reload, back and forward and bookmarks land where the DBA was.
import { describe, expect, it } from 'vitest';
import { navPageOf, parseRoute, routeHref } from '../../../src/renderer/src/navigation/parseRoute';

describe('parseRoute', () => {
  it('reads the main pages', () => {
    expect(parseRoute('#/fleet')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/jobs')).toEqual({ page: 'jobs' });
    expect(parseRoute('#settings')).toEqual({ page: 'settings' });
  });

  it("reads a service's page: its overview without a tab, a tab by name", () => {
    expect(parseRoute('#/service/orders-db')).toEqual({ page: 'service', serviceId: 'orders-db', tab: 'overview' });
    expect(parseRoute('#/service/orders-db/settings')).toEqual({ page: 'service', serviceId: 'orders-db', tab: 'settings' });
  });

  it("keeps the older per-service addresses: they are the service page's tabs", () => {
    expect(parseRoute('#/service/orders-db/backups')).toEqual({ page: 'service', serviceId: 'orders-db', tab: 'backups' });
    expect(parseRoute('#/service/orders_db/backups/')).toEqual({ page: 'service', serviceId: 'orders_db', tab: 'backups' });
    expect(parseRoute('#/service/sales/sqlserver')).toEqual({ page: 'service', serviceId: 'sales', tab: 'sqlserver' });
    expect(parseRoute('#/service/main/replication')).toEqual({ page: 'service', serviceId: 'main', tab: 'replication' });
    expect(parseRoute('#/service/orders/runbook')).toEqual({ page: 'service', serviceId: 'orders', tab: 'runbook' });
  });

  it('lands on the fleet for an empty or unknown address', () => {
    expect(parseRoute('')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/service//backups')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/service/%E0%A4%A/backups')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/service/orders/elsewhere')).toEqual({ page: 'fleet' });
  });

  it('round-trips through routeHref, the overview without a tab in the address', () => {
    for (const route of [{ page: 'jobs' } as const, { page: 'service', serviceId: 'billing-v2', tab: 'backups' } as const, { page: 'service', serviceId: 'billing-v2', tab: 'overview' } as const]) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    expect(routeHref({ page: 'service', serviceId: 'orders', tab: 'backups' })).toBe('#/service/orders/backups');
    expect(routeHref({ page: 'service', serviceId: 'orders', tab: 'overview' })).toBe('#/service/orders');
  });

  it("puts a service's page under Fleet in the navigation", () => {
    expect(navPageOf({ page: 'service', serviceId: 'orders', tab: 'recovery' })).toBe('fleet');
    expect(navPageOf({ page: 'settings' })).toBe('settings');
  });
});
