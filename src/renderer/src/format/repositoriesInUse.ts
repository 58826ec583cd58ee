// The repositories a fleet keeps backups in, read from its services' policies (the fleet repository, a
// service's own `repository`, and every entry of `policy.repositories`), and a service's repositories turned
// back into its policy. Settings lists them; a service's repositories form offers them.
import type { Policy, Service } from '../../../shared/domain';
import { readLocation, type StorageKind } from './repositoryLocation';

export interface RepositoryUse {
  serviceId: string;
  /** first: backups are taken into it; copy: they are copied into it afterwards. */
  role: 'first' | 'copy';
}

export interface RepositoryInUse {
  location: string;
  storage: StorageKind;
  isFleetRepository: boolean;
  uses: RepositoryUse[];
}

export function storageOf(location: string): StorageKind {
  return readLocation(location)?.kind ?? 'folder';
}

/** A service's repositories as the core reads them (fleetFile.repositoriesFor): the first one first. */
export function repositoriesOf(service: Pick<Service, 'policy'>, fleetRepository: string | undefined): string[] {
  const { repositories, repository } = service.policy;
  if (repositories?.length) return repositories;
  const first = repository ?? fleetRepository;
  return first ? [first] : [];
}

/**
 * Every repository in use or known here, the fleet's first, then in the order the services name them; extra
 * locations (repositories created for copies that no service names yet) come last, with no uses.
 */
export function repositoriesInUse(services: readonly Pick<Service, 'id' | 'engine' | 'policy'>[], fleetRepository: string | undefined, extra: readonly string[] = []): RepositoryInUse[] {
  const found = new Map<string, RepositoryInUse>();
  const entry = (location: string) => {
    let e = found.get(location);
    if (!e) {
      e = { location, storage: storageOf(location), isFleetRepository: location === fleetRepository, uses: [] };
      found.set(location, e);
    }
    return e;
  };
  if (fleetRepository) entry(fleetRepository);
  for (const s of services) {
    // SQL Server services keep their backups where SQL Server writes them, and engines' services in the engine.
    if (s.engine !== 'postgres' || (s.policy.engine && s.policy.engine !== 'lifeboat')) continue;
    repositoriesOf(s, fleetRepository).forEach((location, i) => entry(location).uses.push({ serviceId: s.id, role: i === 0 ? 'first' : 'copy' }));
  }
  for (const location of extra) entry(location);
  return [...found.values()];
}

/**
 * The policy that keeps a service's backups in these repositories (first, then copies): one repository is
 * written as `repository` (or nothing, when it is the fleet's), several as `repositories`.
 */
export function policyWithRepositories(policy: Policy, locations: readonly string[], fleetRepository: string | undefined): Policy {
  const { repository: _repository, repositories: _repositories, ...rest } = policy;
  const chosen = [...new Set(locations.map((l) => l.trim()).filter(Boolean))];
  if (chosen.length > 1) return { ...rest, repositories: chosen };
  if (chosen.length === 1 && chosen[0] !== fleetRepository) return { ...rest, repository: chosen[0] };
  return rest;
}
