// Finding a service, its repository and the repository's key: shared by every slice that reads backups.
import type { Service } from '../../shared/domain';
import type { FleetFile } from '../inventory/fleetFile';
import { noRepository, noSuchService, notPostgres } from '../inventory/fleetLookupErrors';
import { BackupRepository } from '../repository/backupRepository';
import type { StoreAccess } from '../repository/store/openRepositoryStore';
import type { RepositoryStore } from '../repository/store/repositoryStore';
import { StoreCache } from '../repository/store/storeCache';
import { loadRepositoryKey } from '../repository/repositoryKeys';
import type { SecretStore } from '../secrets/secretStore';

export class RepositoryAccess {
  /** Object stores opened once and shared by every caller (their clients and connections kept). */
  private readonly stores = new StoreCache();

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

  /** Every repository that keeps the service's backups, the one they are taken into first. */
  locationsFor(service: Service): string[] {
    return this.fleet.repositoriesFor(service);
  }

  /**
   * The repository a service's backups go to, its copies attached (policy.repositories). For reading, when
   * the first cannot be opened (unreachable, refused), the next copy that can is returned; a writer that
   * must reach the first (a new backup) says anyCopy: false.
   */
  async repositoryFor(service?: Service, options: { anyCopy?: boolean } = {}): Promise<BackupRepository> {
    const locations = service ? this.fleet.repositoriesFor(service) : this.fleet.repository ? [this.fleet.repository] : [];
    if (!locations.length) throw noRepository();
    let failure: unknown;
    for (const [i, location] of locations.entries()) {
      try {
        const repo = await this.repositoryAt(location);
        const others = locations.filter((_, j) => j !== i);
        repo.copies = await Promise.all(others.map(async (other) => repo.copyOn(await this.storeAt(other))));
        return repo;
      } catch (err) {
        failure ??= err;
        if (options.anyCopy === false) break;
      }
    }
    throw failure;
  }

  /** The repository at one location, on its shared store; close() leaves the store open for the others. */
  async repositoryAt(location: string): Promise<BackupRepository> {
    return BackupRepository.openOn(await this.storeAt(location));
  }

  /** The shared store at location (StoreCache.ts). */
  storeAt(location: string): Promise<RepositoryStore> {
    return this.stores.open(location, this.storeAccess(location));
  }

  /** The next open of location reads its credentials again: Lifeboat has just changed them. */
  forgetStore(location: string): void {
    this.stores.forget(location);
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
