// The address names the page: reload, back and forward and bookmarks land where the DBA was.
import { describe, expect, it } from 'vitest';
import { navPageOf, parseRoute, routeHref } from '../../../src/renderer/src/navigation/parseRoute';

describe('parseRoute', () => {
  it('reads the main pages', () => {
    expect(parseRoute('#/fleet')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/jobs')).toEqual({ page: 'jobs' });
    expect(parseRoute('#settings')).toEqual({ page: 'settings' });
  });

  it("reads a service's backups page", () => {
    expect(parseRoute('#/service/orders-db/backups')).toEqual({ page: 'service-backups', serviceId: 'orders-db' });
    expect(parseRoute('#/service/orders_db/backups/')).toEqual({ page: 'service-backups', serviceId: 'orders_db' });
  });

  it('lands on the fleet for an empty or unknown address', () => {
    expect(parseRoute('')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/service//backups')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/service/%E0%A4%A/backups')).toEqual({ page: 'fleet' });
  });

  it('round-trips through routeHref', () => {
    for (const route of [{ page: 'jobs' } as const, { page: 'service-backups', serviceId: 'billing-v2' } as const]) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    expect(routeHref({ page: 'service-backups', serviceId: 'orders' })).toBe('#/service/orders/backups');
  });

  it("puts a service's backups under Fleet in the navigation", () => {
    expect(navPageOf({ page: 'service-backups', serviceId: 'orders' })).toBe('fleet');
    expect(navPageOf({ page: 'settings' })).toBe('settings');
  });
});
