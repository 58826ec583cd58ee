// The fleet's search box and filters (engine, team, tag, state), with how many services they leave.
//
// Names for end-to-end tests: search box "Search services" (data-testid="fleet-search"); selects "Engine",
// "Team", "Tag", "State" (data-testid="fleet-filter-engine|team|tag|state"); button "Clear filters"
// (data-testid="fleet-filters-clear"); the count (role status, data-testid="fleet-count", data-shown,
// data-total).
import type { EngineKind } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { LEVEL_WORD } from '../dashboard/complianceFormat';
import { STATE_FILTERS } from './fleetRows';
import '../../components/Field.css';
import type { StateFilter } from './fleetRows';

export interface FleetFilterValues {
  search: string;
  engine: '' | EngineKind;
  team: string;
  tag: string;
  state: '' | StateFilter;
}

export const NO_FILTERS: FleetFilterValues = { search: '', engine: '', team: '', tag: '', state: '' };

interface Choice {
  value: string;
  label: string;
}

const ENGINE_CHOICES: Choice[] = (Object.keys(ENGINE_LABEL) as EngineKind[]).map((e) => ({ value: e, label: ENGINE_LABEL[e] }));
const STATE_CHOICES: Choice[] = [...STATE_FILTERS.map((s) => ({ value: s, label: LEVEL_WORD[s] })), { value: 'pending', label: 'Not answered yet' }];

/** One filter: "All" or one of its choices. */
function FilterSelect({ label, testId, value, onChange, choices }: { label: string; testId: string; value: string; onChange(value: string): void; choices: Choice[] }) {
  return (
    <label className="fleet-filters__field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface FleetFiltersProps {
  values: FleetFilterValues;
  onChange(values: FleetFilterValues): void;
  teams: string[];
  tags: string[];
  shown: number;
  total: number;
}

export function FleetFilters({ values, onChange, teams, tags, shown, total }: FleetFiltersProps) {
  const set = (change: Partial<FleetFilterValues>) => onChange({ ...values, ...change });
  const filtered = Object.values(values).some(Boolean);
  return (
    <div className="fleet-filters" role="search" aria-label="Find services">
      <input
        type="search"
        className="field__control fleet-filters__search"
        placeholder="Search name, id, team, tag…"
        aria-label="Search services"
        value={values.search}
        onChange={(e) => set({ search: e.target.value })}
        data-testid="fleet-search"
      />
      <FilterSelect label="Engine" testId="fleet-filter-engine" value={values.engine} onChange={(engine) => set({ engine: engine as FleetFilterValues['engine'] })} choices={ENGINE_CHOICES} />
      <FilterSelect label="Team" testId="fleet-filter-team" value={values.team} onChange={(team) => set({ team })} choices={teams.map((t) => ({ value: t, label: t }))} />
      <FilterSelect label="Tag" testId="fleet-filter-tag" value={values.tag} onChange={(tag) => set({ tag })} choices={tags.map((t) => ({ value: t, label: t }))} />
      <FilterSelect label="State" testId="fleet-filter-state" value={values.state} onChange={(state) => set({ state: state as FleetFilterValues['state'] })} choices={STATE_CHOICES} />
      {filtered && (
        <Button size="sm" variant="ghost" onClick={() => onChange(NO_FILTERS)} data-testid="fleet-filters-clear">
          Clear filters
        </Button>
      )}
      <p className="fleet-filters__count muted" role="status" data-testid="fleet-count" data-shown={shown} data-total={total}>
        {shown === total ? `${total} ${total === 1 ? 'service' : 'services'}` : `${shown} of ${total} services`}
      </p>
    </div>
  );
}
