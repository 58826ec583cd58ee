// A service's recovery page has its own address under the fleet, next to its backups.
import { describe, expect, it } from 'vitest';
import { navPageOf, parseRoute, routeHref } from '../../../src/renderer/src/navigation/parseRoute';

describe('the recovery route', () => {
  it('reads #/service/<id>/recovery', () => {
    expect(parseRoute('#/service/shop/recovery')).toEqual({ page: 'service-recovery', serviceId: 'shop' });
    expect(parseRoute('#/service/orders_db/recovery/')).toEqual({ page: 'service-recovery', serviceId: 'orders_db' });
  });

  it('round-trips and lives under Fleet', () => {
    const route = { page: 'service-recovery', serviceId: 'billing-v2' } as const;
    expect(routeHref(route)).toBe('#/service/billing-v2/recovery');
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(navPageOf(route)).toBe('fleet');
  });

  it('still lands on the fleet for an unknown service page', () => {
    expect(parseRoute('#/service/shop/elsewhere')).toEqual({ page: 'fleet' });
  });
});
