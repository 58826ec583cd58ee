// The refusals of a service lookup, said the same way by the core (RepositoryAccess) and by the archive
// doors (fleetArchiveView), which read the fleet file without loading the core.
import { LifeboatError } from '../lifeboatError';

export function noSuchService(id: string): LifeboatError {
  return new LifeboatError('NOT_FOUND', `No service with id "${id}".`, 'List the fleet to see the ids (lifeboat services list).');
}

export function notPostgres(id: string): LifeboatError {
  return new LifeboatError('INVALID_INPUT', `${id} is a SQL Server service.`, 'This action is for PostgreSQL services; SQL Server has its own backup and restore pages.');
}

export function noRepository(): LifeboatError {
  return new LifeboatError('NOT_FOUND', 'No backup repository is configured.', 'Create one with "lifeboat repo init <path>" (or in Settings), or point to an existing one with "lifeboat repo use <path>".');
}
