// How a team sets the fleet views' time limit and pool in the fleet file, and how one computer overrides the
// limit; a bad value is refused with the line and the field.
import { describe, expect, it } from 'vitest';
import { FleetFile } from '../../../src/core/inventory/fleetFile';
import { DEFAULT_FLEET_VIEW_LIMITS, fleetViewLimits } from '../../../src/core/fleet/fleetViewLimits';

describe('fleet view limits', () => {
  it('takes the fleet file\'s fleetViews section, and LIFEBOAT_SERVER_TIME_LIMIT_MS over it on one computer', () => {
    const fleet = FleetFile.parse('/tmp/fleet.yaml', 'version: 1\nfleetViews:\n  serverTimeLimitSeconds: 1.5\n  concurrency: 8\nservices: []\n');
    expect(fleet.fleetViews).toEqual({ serverTimeLimitSeconds: 1.5, concurrency: 8 });
    expect(fleetViewLimits({}, fleet.fleetViews)).toEqual({ concurrency: 8, maxConnections: 256, timeLimitMs: 1500 });
    expect(fleetViewLimits({ LIFEBOAT_SERVER_TIME_LIMIT_MS: '700' }, fleet.fleetViews)).toEqual({ concurrency: 8, maxConnections: 256, timeLimitMs: 700 });
    expect(fleetViewLimits({ LIFEBOAT_SERVER_TIME_LIMIT_MS: 'soon' }, {})).toEqual(DEFAULT_FLEET_VIEW_LIMITS);
  });

  it('refuses a time limit of zero, naming the line and the field', () => {
    expect(() => FleetFile.parse('/tmp/fleet.yaml', 'version: 1\nfleetViews:\n  serverTimeLimitSeconds: 0\n')).toThrow(/line 3, fleetViews\.serverTimeLimitSeconds/);
  });
});
