// The fleet as a table: one row per service (data-testid="service-row-<id>", data-state), sorted by name at
// first; a click on a row opens the service's page (its name is the link, for the keyboard); a connection
// test's result opens in a row beneath (region "Connection test result for <id>",
// data-testid="connection-test-result-<id>", with button "Hide test result for <id>").
import { useCallback, useMemo } from 'react';
import type { MouseEvent } from 'react';
import { Button } from '../../components/Button';
import { ConnectionTestResult } from '../../components/ConnectionTestResult';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { DataTable } from '../../components/DataTable';
import type { DataTableFilter } from '../../components/DataTable';
import { serviceHref } from '../../navigation/route';
import type { ActionsMenuItem } from '../../components/ActionsMenu';
import { fleetColumns } from './fleetColumns';
import type { FleetFilterValues } from './FleetFilters';
import { searchTextOf, stateOf } from './fleetRows';
import type { FleetRow } from './fleetRows';

export interface FleetTableProps {
  rows: FleetRow[];
  filters: FleetFilterValues;
  menuItems(row: FleetRow): ActionsMenuItem[];
  testOf(id: string): ConnectionTestState;
  onDismissTest(id: string): void;
  onShownChange(count: number): void;
}

/** Clicks on the row's own controls (its link, the actions menu) are theirs, not the row's. */
const INTERACTIVE = 'a, button, input, select, textarea, [role="menu"]';

export function FleetTable({ rows, filters, menuItems, testOf, onDismissTest, onShownChange }: FleetTableProps) {
  // Stable between renders, so the table does not rebuild its columns for every store update.
  const columns = useMemo(() => fleetColumns(menuItems), [menuItems]);
  const tableFilters = useMemo<DataTableFilter<FleetRow>[]>(
    () => [
      { id: 'engine', value: filters.engine, values: (r) => [r.view.service.engine] },
      { id: 'team', value: filters.team, values: (r) => (r.team ? [r.team] : []) },
      { id: 'tag', value: filters.tag, values: (r) => r.view.service.tags },
      { id: 'state', value: filters.state, values: (r) => [stateOf(r)] },
    ],
    [filters.engine, filters.team, filters.tag, filters.state],
  );
  const rowAttributes = useCallback(
    (r: FleetRow) => ({
      className: 'fleet__row',
      'data-testid': `service-row-${r.id}`,
      'data-state': stateOf(r),
      onClick: (e: MouseEvent<HTMLTableRowElement>) => {
        if ((e.target as Element).closest(INTERACTIVE)) return;
        window.location.hash = serviceHref(r.id);
      },
    }),
    [],
  );
  const detail = (r: FleetRow) => {
    const test = testOf(r.id);
    if (test.status === 'idle') return undefined;
    return (
      <div className="fleet__detail-inner">
        <ConnectionTestResult state={test} label={`Connection test result for ${r.id}`} testId={`connection-test-result-${r.id}`} />
        {test.status !== 'testing' && (
          <Button size="sm" variant="ghost" onClick={() => onDismissTest(r.id)} aria-label={`Hide test result for ${r.id}`}>
            Hide
          </Button>
        )}
      </div>
    );
  };

  return (
    <DataTable
      label="Services"
      testId="fleet-table"
      className="fleet"
      fixedLayout
      rows={rows}
      columns={columns}
      rowKey={(r) => r.id}
      rowAttributes={rowAttributes}
      detail={detail}
      initialSort={{ id: 'service' }}
      filters={tableFilters}
      search={filters.search}
      searchText={searchTextOf}
      empty="No service matches the search and filters."
      virtualizeFrom={100}
      estimatedRowHeight={96}
      onShownChange={onShownChange}
    />
  );
}
