// The fleet: every service with its engine, version, owner, tags and health, and the actions on each.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   heading "Fleet"; button "Add service" (data-testid="add-service"; the empty state has its own
//   "Add your first service", data-testid="add-first-service"); table "Services" (data-testid="fleet-table")
//   with one row per service (data-testid="service-row-<id>") whose row header holds the display name and the id;
//   per row buttons "Test connection", "Edit", "Remove" (data-testid test-service-<id>, edit-service-<id>,
//   remove-service-<id>); health badge data-testid="health-<id>" reading "OK", "Error <CODE>" or "Untested";
//   a row's test result is region "Connection test result for <id>" (data-testid="connection-test-result-<id>");
//   the remove dialog is "Remove service <id>?" with buttons "Cancel" and "Remove service"
//   (data-testid="remove-service-dialog"); empty list: data-testid="fleet-empty".
//   Backups: toolbar button "Back up" (data-testid="backup-open", disabled until a PostgreSQL service exists)
//   opens dialog "Back up" (see ../backups/BackupWizard.tsx); PostgreSQL rows also have button "Back up"
//   (data-testid="backup-service-<id>", opens the dialog with that service ticked) and link "Backups"
//   (data-testid="backups-service-<id>", to #/service/<id>/backups) and link "Recovery"
//   (data-testid="recovery-service-<id>", to #/service/<id>/recovery, see ../recovery/RecoveryPage.tsx).
//   Replication: column "Replication" with data-testid="replication-health-<id>" (data-health healthy, lagging,
//   broken, unknown, none) and per row link "Replication" (data-testid="replication-service-<id>", to
//   #/service/<id>/replication, see ../replication/ReplicationPage.tsx).
import { useEffect, useMemo, useState } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useReplicationOverviewStore } from '../../stores/replicationOverviewStore';
import { useServicesStore } from '../../stores/servicesStore';
import { BackupWizard } from '../backups/BackupWizard';
import { ServiceWizard } from '../wizard/ServiceWizard';
import { FleetTable } from './FleetTable';
import '../../styles/page.css';
import '../../styles/table.css';
import './FleetPage.css';

type WizardState = { mode: 'closed' } | { mode: 'add' } | { mode: 'edit'; view: ServiceView };

const IDLE: ConnectionTestState = { status: 'idle' };

export function FleetPage() {
  const services = useServicesStore((s) => s.services);
  const loaded = useServicesStore((s) => s.loaded);
  const error = useServicesStore((s) => s.error);
  const upsert = useServicesStore((s) => s.upsert);
  const drop = useServicesStore((s) => s.drop);
  const [wizard, setWizard] = useState<WizardState>({ mode: 'closed' });
  const [removing, setRemoving] = useState<ServiceView>();
  const [tests, setTests] = useState<Record<string, ConnectionTestState>>({});
  const [announcement, setAnnouncement] = useState('');
  /** The backup dialog, with the services ticked when it opened; undefined while closed. */
  const [backingUp, setBackingUp] = useState<string[]>();
  const postgresServices = useMemo(() => services.filter((v) => v.service.engine === 'postgres'), [services]);

  // Replication health per row: loaded when the fleet opens and again when the set of services changes.
  const serviceIds = services.map((v) => v.service.id).sort().join(',');
  useEffect(() => useReplicationOverviewStore.getState().start(), []);
  useEffect(() => {
    if (serviceIds) void useReplicationOverviewStore.getState().load();
  }, [serviceIds]);

  const setTest = (id: string, state: ConnectionTestState) => setTests((t) => ({ ...t, [id]: state }));

  const testService = async (id: string) => {
    setTest(id, { status: 'testing' });
    try {
      const report = await appClient().call('services.test', { id });
      setTest(id, { status: 'ok', report });
    } catch (err) {
      setTest(id, { status: 'error', error: toWireError(err) });
    }
  };

  const remove = async (view: ServiceView) => {
    const id = view.service.id;
    await appClient().call('services.remove', { id });
    drop(id);
    setTests(({ [id]: _gone, ...rest }) => rest);
    setAnnouncement(`Removed ${view.service.name} (${id}).`);
  };

  const addButton = (
    <Button variant="primary" onClick={() => setWizard({ mode: 'add' })} data-testid="add-service">
      Add service
    </Button>
  );

  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Fleet</h1>
          <p className="page__lead">The databases Lifeboat protects, one per microservice.</p>
        </div>
        {services.length > 0 && (
          <div className="page__actions">
            <Button
              // With a single PostgreSQL service there is nothing to choose: it comes ticked.
              onClick={() => setBackingUp(postgresServices.length === 1 ? postgresServices.map((v) => v.service.id) : [])}
              disabled={postgresServices.length === 0}
              title={postgresServices.length === 0 ? 'Add a PostgreSQL service first' : undefined}
              data-testid="backup-open"
            >
              Back up
            </Button>
            {addButton}
          </div>
        )}
      </div>

      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {error && <ErrorNotice error={error} />}
      {!loaded && !error && <p className="muted">Loading the fleet…</p>}
      {loaded && services.length === 0 && !error && (
        <EmptyState
          title="No services yet"
          testId="fleet-empty"
          action={
            <Button variant="primary" onClick={() => setWizard({ mode: 'add' })} data-testid="add-first-service">
              Add your first service
            </Button>
          }
        >
          Add the database of a microservice — PostgreSQL or SQL Server — and Lifeboat checks that it can back it up.
          You can paste a connection URI to fill in the details.
        </EmptyState>
      )}
      {services.length > 0 && (
        <FleetTable
          services={services}
          testOf={(id) => tests[id] ?? IDLE}
          onTest={(id) => void testService(id)}
          onEdit={(view) => setWizard({ mode: 'edit', view })}
          onRemove={setRemoving}
          onDismissTest={(id) => setTest(id, IDLE)}
          onBackUp={(id) => setBackingUp([id])}
        />
      )}

      {wizard.mode !== 'closed' && (
        <ServiceWizard
          editing={wizard.mode === 'edit' ? wizard.view : undefined}
          onClose={() => setWizard({ mode: 'closed' })}
          onSaved={(view) => {
            upsert(view);
            setAnnouncement(`Saved ${view.service.name} (${view.service.id}).`);
          }}
        />
      )}
      {backingUp && (
        <BackupWizard
          services={postgresServices}
          preselected={backingUp}
          onClose={() => setBackingUp(undefined)}
          onStarted={(jobs) => setAnnouncement(`Started ${jobs.length === 1 ? 'a backup' : `${jobs.length} backups`}; the jobs panel shows the progress.`)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove service ${removing.service.id}?`}
          confirmLabel="Remove service"
          testId="remove-service-dialog"
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(undefined)}
        >
          <p>
            <strong>{removing.service.name}</strong> leaves the fleet and its stored password leaves the keychain. Backups
            already in the repository stay where they are.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
