// How many services a fleet-wide view asks at once, and how long it waits for one: a host that accepts
// connections and never answers costs the view this time limit, once. The fleet file's `fleetViews` section
// sets them for a team; LIFEBOAT_SERVER_TIME_LIMIT_MS overrides the limit on one computer.
import type { FleetViewsSettings } from '../../shared/monitoring';

export interface FleetViewLimits {
  /** Services whose facts are gathered at once (repository reads, the work of each view). */
  concurrency: number;
  /** Connections open at once to the fleet's servers, one per server: a server that does not answer holds
   * one for the whole time limit, so they wait side by side instead of in waves. */
  maxConnections: number;
  timeLimitMs: number;
}

export const DEFAULT_FLEET_VIEW_LIMITS: FleetViewLimits = { concurrency: 32, maxConnections: 256, timeLimitMs: 2000 };

export function fleetViewLimits(env: NodeJS.ProcessEnv, fromFleet: FleetViewsSettings = {}): FleetViewLimits {
  const fromEnv = Number(env.LIFEBOAT_SERVER_TIME_LIMIT_MS);
  return {
    concurrency: fromFleet.concurrency ?? DEFAULT_FLEET_VIEW_LIMITS.concurrency,
    maxConnections: fromFleet.maxConnections ?? DEFAULT_FLEET_VIEW_LIMITS.maxConnections,
    timeLimitMs: Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : fromFleet.serverTimeLimitSeconds !== undefined ? fromFleet.serverTimeLimitSeconds * 1000 : DEFAULT_FLEET_VIEW_LIMITS.timeLimitMs,
  };
}
