// Finding a service, its repository and the repository's key: shared by every slice that reads backups.
import type { Service } from '../../shared/domain';
import type { FleetFile } from '../inventory/fleetFile';
import { noRepository, noSuchService, notPostgres } from '../inventory/fleetLookupErrors';
import { BackupRepository } from '../repository/backupRepository';
import type { StoreAccess } from '../repository/store/openRepositoryStore';
import { loadRepositoryKey } from '../repository/repositoryKeys';
import type { SecretStore } from '../secrets/secretStore';

export class RepositoryAccess {
  constructor(
    private readonly fleet: FleetFile,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  requireService(id: string): Service {
    const service = this.fleet.get(id);
    if (!service) throw noSuchService(id);
    return service;
  }

  requirePostgres(id: string): Service {
    const service = this.requireService(id);
    if (service.engine !== 'postgres') throw notPostgres(id);
    return service;
  }

  async repositoryFor(service?: Service): Promise<BackupRepository> {
    const location = service ? this.fleet.repositoryFor(service) : this.fleet.repository;
    if (!location) throw noRepository();
    return BackupRepository.open(location, this.storeAccess(location));
  }

  /** How to reach the store at location: its credentials' source as the fleet file names it, else the keychain. */
  storeAccess(location: string): StoreAccess {
    return { secrets: this.secrets, env: this.env, credentials: this.fleet.repositoryCredentials(location) };
  }

  async keyOf(repo: BackupRepository): Promise<Buffer | undefined> {
    const fingerprint = repo.info.encryption?.keyFingerprint;
    return fingerprint ? loadRepositoryKey(this.secrets, fingerprint, this.env) : undefined;
  }
}
