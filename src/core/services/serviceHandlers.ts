// The services slice of the contract: the fleet inventory, passwords in the keychain, connection tests.
import type { Handlers } from '../../shared/contract';
import type { ConnectionReport, Service, ServiceView } from '../../shared/domain';
import type { Engine } from '../engines/engine';
import type { EventHub } from '../eventHub';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { ActivityLog } from '../logging/activityLog';
import type { FleetFile } from '../inventory/fleetFile';
import { parseConnectionText } from '../inventory/parseConnectionText';
import { resolvePassword } from '../secrets/resolvePassword';
import { passwordAccount, type SecretStore } from '../secrets/secretStore';
import type { ServiceStatusStore } from './serviceStatus';

export interface ServiceDeps {
  fleet: FleetFile;
  secrets: SecretStore;
  status: ServiceStatusStore;
  engines: Record<Service['engine'], Engine>;
  events: EventHub;
  log: ActivityLog;
  env: NodeJS.ProcessEnv;
}

type ServiceHandlers = Pick<
  Handlers,
  | 'services.list'
  | 'services.get'
  | 'services.add'
  | 'services.update'
  | 'services.remove'
  | 'services.test'
  | 'services.testDraft'
  | 'services.parseConnection'
  | 'secrets.setPassword'
  | 'secrets.clearPassword'
>;

export function serviceHandlers(deps: ServiceDeps): ServiceHandlers {
  const { fleet, secrets, status, engines, events, log } = deps;

  async function view(service: Service): Promise<ServiceView> {
    const lastTest = status.get(service.id);
    const health = !lastTest ? 'untested' : lastTest.error ? 'error' : 'ok';
    return { service, hasStoredPassword: await hasStoredPassword(service), health, lastTest };
  }

  async function hasStoredPassword(service: Service): Promise<boolean> {
    if (service.connection.password.kind !== 'keychain') return false;
    try {
      return (await secrets.get(passwordAccount(service.id))) !== undefined;
    } catch {
      return false; // The keychain being away is reported when a password is actually needed.
    }
  }

  function requireService(id: string): Service {
    const service = fleet.get(id);
    if (!service) throw new LifeboatError('NOT_FOUND', `No service with id "${id}".`, 'List the fleet to see the ids (lifeboat services list).');
    return service;
  }

  /** A password may only be kept in the keychain; typing one for another source is a mistake worth naming. */
  function checkPasswordSource(service: Service, password: string | undefined): void {
    if (password !== undefined && service.connection.password.kind !== 'keychain')
      throw new LifeboatError('INVALID_INPUT', `Service ${service.id} takes its password from "${service.connection.password.kind}", so a typed password cannot be stored.`, 'Choose "OS keychain" as the password source to store a password.');
  }

  async function runTest(service: Service, password: string | undefined): Promise<ConnectionReport> {
    const started = Date.now();
    try {
      const report = await engines[service.engine].testConnection(service.connection, { password });
      await log.write({ level: 'info', event: 'connection.test', serviceId: service.id, ms: Date.now() - started });
      return report;
    } catch (err) {
      await log.write({ level: 'warn', event: 'connection.test', serviceId: service.id, code: toWireError(err).code, ms: Date.now() - started });
      throw err;
    }
  }

  return {
    'services.list': async () => Promise.all(fleet.list().map(view)),
    'services.get': async ({ id }) => view(requireService(id)),

    'services.add': async ({ service, password }) => {
      checkPasswordSource(service, password);
      fleet.add(service);
      try {
        // The secret goes first: a fleet entry whose password failed to store would fail later, confusingly.
        if (password !== undefined) await secrets.set(passwordAccount(service.id), password);
        await fleet.save();
      } catch (err) {
        fleet.remove(service.id);
        if (password !== undefined) await secrets.delete(passwordAccount(service.id)).catch(() => false);
        throw err;
      }
      await log.write({ level: 'info', event: 'service.added', serviceId: service.id });
      events.publish('services.changed', { ids: [service.id] });
      return view(service);
    },

    'services.update': async ({ service, password }) => {
      const previous = requireService(service.id);
      checkPasswordSource(service, password);
      if (password !== undefined) await secrets.set(passwordAccount(service.id), password);
      fleet.update(service);
      try {
        await fleet.save();
      } catch (err) {
        fleet.update(previous);
        throw err;
      }
      // A changed connection makes the last test meaningless.
      if (JSON.stringify(previous.connection) !== JSON.stringify(service.connection) || password !== undefined) await status.delete(service.id);
      await log.write({ level: 'info', event: 'service.updated', serviceId: service.id });
      events.publish('services.changed', { ids: [service.id] });
      return view(service);
    },

    'services.remove': async ({ id }) => {
      const previous = requireService(id);
      fleet.remove(id);
      try {
        await fleet.save();
      } catch (err) {
        fleet.add(previous);
        throw err;
      }
      await secrets.delete(passwordAccount(id)).catch(() => false);
      await status.delete(id);
      await log.write({ level: 'info', event: 'service.removed', serviceId: id });
      events.publish('services.changed', { ids: [id] });
      return { removed: id };
    },

    'services.test': async ({ id }) => {
      const service = requireService(id);
      const at = new Date().toISOString();
      try {
        const report = await runTest(service, await resolvePassword(service, secrets, deps.env));
        await status.set(id, { at, report });
        return report;
      } catch (err) {
        await status.set(id, { at, error: toWireError(err) });
        throw err;
      } finally {
        events.publish('services.changed', { ids: [id] });
      }
    },

    'services.testDraft': async ({ engine, connection, password }) => {
      const draft: Service = { id: 'draft', name: 'draft', engine, connection, tags: [], policy: {} };
      // A typed password wins; otherwise the draft's own source (env, passfile) is honoured.
      const resolved = password ?? (connection.password.kind === 'keychain' ? undefined : await resolvePassword(draft, secrets, deps.env));
      return runTest(draft, resolved);
    },

    'services.parseConnection': async ({ text }) => {
      const parsed = parseConnectionText(text);
      return { engine: parsed.engine, connection: parsed.connection, hadPassword: parsed.password !== undefined, suggestedId: parsed.suggestedId };
    },

    'secrets.setPassword': async ({ serviceId, password }) => {
      const service = requireService(serviceId);
      checkPasswordSource(service, password);
      await secrets.set(passwordAccount(serviceId), password);
      await status.delete(serviceId);
      await log.write({ level: 'info', event: 'secret.set', serviceId });
      events.publish('services.changed', { ids: [serviceId] });
      return { serviceId, stored: true };
    },

    'secrets.clearPassword': async ({ serviceId }) => {
      requireService(serviceId);
      const cleared = await secrets.delete(passwordAccount(serviceId));
      await log.write({ level: 'info', event: 'secret.cleared', serviceId });
      events.publish('services.changed', { ids: [serviceId] });
      return { serviceId, cleared };
    },
  };
}
