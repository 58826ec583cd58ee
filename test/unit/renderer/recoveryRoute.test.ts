// A service's recovery is a tab of its page, with its own address under the fleet.
import { describe, expect, it } from 'vitest';
import { navPageOf, parseRoute, routeHref } from '../../../src/renderer/src/navigation/parseRoute';

describe('the recovery route', () => {
  it('reads #/service/<id>/recovery', () => {
    expect(parseRoute('#/service/shop/recovery')).toEqual({ page: 'service', serviceId: 'shop', tab: 'recovery' });
    expect(parseRoute('#/service/orders_db/recovery/')).toEqual({ page: 'service', serviceId: 'orders_db', tab: 'recovery' });
  });

  it('round-trips and lives under Fleet', () => {
    const route = { page: 'service', serviceId: 'billing-v2', tab: 'recovery' } as const;
    expect(routeHref(route)).toBe('#/service/billing-v2/recovery');
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(navPageOf(route)).toBe('fleet');
  });
});
