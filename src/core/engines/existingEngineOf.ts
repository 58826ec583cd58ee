// The engine that backs a service up when it is not Lifeboat: pgBackRest or Barman, at the coordinates the
// service's policy names; undefined for Lifeboat's own repository.
import { backupEngineOf, type Service } from '../../shared/domain';
import { barmanEngine } from './barman/barmanEngine';
import type { ExistingEngine } from './existingEngine';
import { pgBackRestEngine } from './pgbackrest/pgBackRestEngine';

export function existingEngineOf(service: Service): ExistingEngine | undefined {
  switch (backupEngineOf(service)) {
    case 'pgbackrest':
      return pgBackRestEngine(service.policy.pgbackrest!);
    case 'barman':
      return barmanEngine(service.policy.barman!);
    case 'lifeboat':
      return undefined;
  }
}
