// The actions on a service, for the fleet's row menus and a service's overview alike: test the connection
// (the result kept per service), back up (the backup dialog with the services ticked), add or edit (the
// service wizard) and remove (after a confirmation); `dialogs` renders whichever is open.
//
// Names for end-to-end tests: the remove dialog is "Remove service <id>?" with buttons "Cancel" and
// "Remove service" (data-testid="remove-service-dialog"); the wizard and the backup dialog have their own.
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { useServicesStore } from '../../stores/servicesStore';
import { BackupWizard } from '../backups/BackupWizard';
import { ServiceWizard } from '../wizard/ServiceWizard';

type WizardState = { mode: 'closed' } | { mode: 'add' } | { mode: 'edit'; view: ServiceView };

const IDLE: ConnectionTestState = { status: 'idle' };

export interface ServiceActions {
  testOf(id: string): ConnectionTestState;
  test(id: string): Promise<void>;
  dismissTest(id: string): void;
  add(): void;
  edit(view: ServiceView): void;
  /** Opens the backup dialog with these services ticked. */
  backUp(ids: string[]): void;
  remove(view: ServiceView): void;
  /** The PostgreSQL services: those the backup dialog offers. */
  postgresServices: ServiceView[];
  /** What just happened, for a live region. */
  announcement: string;
  dialogs: ReactNode;
}

export function useServiceActions(options: { onRemoved?(view: ServiceView): void } = {}): ServiceActions {
  const services = useServicesStore((s) => s.services);
  const upsert = useServicesStore((s) => s.upsert);
  const drop = useServicesStore((s) => s.drop);
  const [wizard, setWizard] = useState<WizardState>({ mode: 'closed' });
  const [removing, setRemoving] = useState<ServiceView>();
  const [backingUp, setBackingUp] = useState<string[]>();
  const [tests, setTests] = useState<Record<string, ConnectionTestState>>({});
  const [announcement, setAnnouncement] = useState('');
  const postgresServices = useMemo(() => services.filter((v) => v.service.engine === 'postgres'), [services]);

  const setTest = (id: string, state: ConnectionTestState) => setTests((t) => ({ ...t, [id]: state }));

  const test = async (id: string) => {
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
    options.onRemoved?.(view);
  };

  const dialogs = (
    <>
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
    </>
  );

  return {
    testOf: (id) => tests[id] ?? IDLE,
    test,
    dismissTest: (id) => setTest(id, IDLE),
    add: () => setWizard({ mode: 'add' }),
    edit: (view) => setWizard({ mode: 'edit', view }),
    backUp: setBackingUp,
    remove: setRemoving,
    postgresServices,
    announcement,
    dialogs,
  };
}
