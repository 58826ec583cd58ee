// The fleet table's rows: each service from services.list (which answers first, so the rows show at once) with
// its verdicts from monitoring.fleet once they arrive, the facts the core could not learn by column, and what
// the filters and the search look at.
import type { ServiceView } from '../../../../shared/domain';
import type { FleetFactName, ServiceCompliance, UnknownFact } from '../../../../shared/monitoring';

export interface FleetRow {
  id: string;
  name: string;
  view: ServiceView;
  /** From the last connection test, or from monitoring.fleet. */
  version?: string;
  team?: string;
  /** undefined until monitoring.fleet answered for this service. */
  compliance?: ServiceCompliance;
  /** The facts not learned this time, by what they are about. */
  unknown: Partial<Record<FleetFactName, UnknownFact>>;
}

export function fleetRows(services: readonly ServiceView[], compliance: Readonly<Record<string, ServiceCompliance>>): FleetRow[] {
  return services.map((view) => {
    const { service } = view;
    const c = compliance[service.id];
    return {
      id: service.id,
      name: service.name,
      view,
      version: view.lastTest?.report?.serverVersion ?? c?.version,
      team: service.team ?? c?.team,
      compliance: c,
      unknown: Object.fromEntries((c?.unknown ?? []).map((u) => [u.fact, u])),
    };
  });
}

/** The state filter's choices; 'pending' while monitoring.fleet has not answered for a service. */
export const STATE_FILTERS = ['breach', 'warning', 'unknown', 'ok'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number] | 'pending';

export function stateOf(row: FleetRow): StateFilter {
  return row.compliance?.state ?? 'pending';
}

/** The teams and tags in the fleet, sorted, for the filters' choices. */
export function filterChoices(rows: readonly FleetRow[]): { teams: string[]; tags: string[] } {
  const teams = new Set<string>();
  const tags = new Set<string>();
  for (const row of rows) {
    if (row.team) teams.add(row.team);
    for (const tag of row.view.service.tags) tags.add(tag);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return { teams: sorted(teams), tags: sorted(tags) };
}

/** What the search box matches: name, id, engine, version, team, owner and tags. */
export function searchTextOf(row: FleetRow): string {
  const s = row.view.service;
  return [s.name, s.id, s.engine, row.version, row.team, s.owner, ...s.tags].filter(Boolean).join(' ');
}
