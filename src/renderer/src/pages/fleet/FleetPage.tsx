// The fleet as an overview: every service with what a DBA scans (engine and version, team, RPO, window end, last
// good backup, last drill against the RTO, replication, next run), sorted, filtered and searched; a row leads to
// the service's page, where its actions live, and a compact menu on the row holds the common ones.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   heading "Fleet"; button "Add service" (data-testid="add-service"; the empty state has its own
//   "Add your first service", data-testid="add-first-service"); button "Refresh" (data-testid="fleet-refresh");
//   the verdicts' time data-testid="fleet-generated" (data-loading); the search and filters in FleetFilters.tsx;
//   table "Services" (data-testid="fleet-table") in FleetTable.tsx with columns from fleetColumns.tsx; each
//   row's menu (serviceMenuItems.ts) holds "Back up…", "Test connection", "Edit…", "Remove…" and the links to
//   the service's tabs; empty list: data-testid="fleet-empty". Toolbar button "Back up"
//   (data-testid="backup-open", disabled until a PostgreSQL service exists) opens dialog "Back up".
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDateTime } from '../../format/dateTime';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { useFleetOverviewStore } from '../../stores/fleetOverviewStore';
import { useServicesStore } from '../../stores/servicesStore';
import { useServiceActions } from '../service/useServiceActions';
import { FleetFilters, NO_FILTERS } from './FleetFilters';
import type { FleetFilterValues } from './FleetFilters';
import { FleetTable } from './FleetTable';
import { filterChoices, fleetRows } from './fleetRows';
import type { FleetRow } from './fleetRows';
import { serviceMenuItems } from './serviceMenuItems';
import '../../styles/page.css';
import './FleetPage.css';

export function FleetPage() {
  useDocumentTitle('Fleet');
  const services = useServicesStore((s) => s.services);
  const loaded = useServicesStore((s) => s.loaded);
  const error = useServicesStore((s) => s.error);
  const verdicts = useFleetOverviewStore((s) => s.byId);
  const verdictsLoading = useFleetOverviewStore((s) => s.loading);
  const verdictsError = useFleetOverviewStore((s) => s.error);
  const generatedAt = useFleetOverviewStore((s) => s.generatedAt);
  const loadVerdicts = useFleetOverviewStore((s) => s.load);
  const actions = useServiceActions();
  const [filters, setFilters] = useState<FleetFilterValues>(NO_FILTERS);
  const [shown, setShown] = useState(0);

  // Asked when the page opens and again when services come or go; the rows show from services.list meanwhile.
  const serviceIds = services.map((v) => v.service.id).sort().join(',');
  useEffect(() => {
    if (serviceIds) void loadVerdicts();
  }, [serviceIds, loadVerdicts]);

  const rows = useMemo(() => fleetRows(services, verdicts), [services, verdicts]);
  const choices = useMemo(() => filterChoices(rows), [rows]);

  // The menu reads the latest actions through a ref, so the table's columns stay the same between renders.
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  const menuItems = useCallback(
    (row: FleetRow) =>
      serviceMenuItems(row.view, {
        backUp: (ids) => actionsRef.current.backUp(ids),
        test: (id) => actionsRef.current.test(id),
        edit: (view) => actionsRef.current.edit(view),
        remove: (view) => actionsRef.current.remove(view),
      }),
    [],
  );

  const addButton = (
    <Button variant="primary" onClick={actions.add} data-testid="add-service">
      Add service
    </Button>
  );
  const postgres = actions.postgresServices;

  return (
    <div className="page fleet-page">
      <div className="page__head">
        <div>
          <h1>Fleet</h1>
          <p className="page__lead" data-testid="fleet-generated" data-loading={verdictsLoading}>
            {verdictsLoading ? 'Asking every server for its state…' : generatedAt ? `State as of ${formatDateTime(generatedAt)}` : 'The databases Lifeboat protects, one per microservice.'}
          </p>
        </div>
        {services.length > 0 && (
          <div className="page__actions">
            <Button onClick={() => void loadVerdicts()} busy={verdictsLoading} data-testid="fleet-refresh">
              Refresh
            </Button>
            <Button
              // With a single PostgreSQL service there is nothing to choose: it comes ticked.
              onClick={() => actions.backUp(postgres.length === 1 ? postgres.map((v) => v.service.id) : [])}
              disabled={postgres.length === 0}
              title={postgres.length === 0 ? 'Add a PostgreSQL service first' : undefined}
              data-testid="backup-open"
            >
              Back up
            </Button>
            {addButton}
          </div>
        )}
      </div>

      <p className="visually-hidden" role="status">
        {actions.announcement}
      </p>
      {error && <ErrorNotice error={error} />}
      {verdictsError && <ErrorNotice error={verdictsError} testId="fleet-verdicts-error" />}
      {!loaded && !error && <p className="muted">Loading the fleet…</p>}
      {loaded && services.length === 0 && !error && (
        <EmptyState
          title="No services yet"
          testId="fleet-empty"
          action={
            <Button variant="primary" onClick={actions.add} data-testid="add-first-service">
              Add your first service
            </Button>
          }
        >
          Add the database of a microservice — PostgreSQL or SQL Server — and Lifeboat checks that it can back it up.
          You can paste a connection URI to fill in the details.
        </EmptyState>
      )}
      {services.length > 0 && (
        <>
          <FleetFilters values={filters} onChange={setFilters} teams={choices.teams} tags={choices.tags} shown={shown} total={rows.length} />
          <FleetTable rows={rows} filters={filters} menuItems={menuItems} testOf={actions.testOf} onDismissTest={actions.dismissTest} onShownChange={setShown} />
        </>
      )}
      {actions.dialogs}
    </div>
  );
}
