// Finding a service, its repository and the repository's key: shared by every slice that reads backups.
import type { Service } from '../../shared/domain';
import type { FleetFile } from '../inventory/fleetFile';
import { LifeboatError } from '../lifeboatError';
import { BackupRepository } from '../repository/backupRepository';
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
    if (!service) throw new LifeboatError('NOT_FOUND', `No service with id "${id}".`, 'List the fleet to see the ids (lifeboat services list).');
    return service;
  }

  requirePostgres(id: string): Service {
    const service = this.requireService(id);
    if (service.engine !== 'postgres') throw new LifeboatError('INVALID_INPUT', `${id} is a SQL Server service.`, 'This action is for PostgreSQL services; SQL Server has its own backup and restore pages.');
    return service;
  }

  async repositoryFor(service?: Service): Promise<BackupRepository> {
    const path = service ? this.fleet.repositoryFor(service) : this.fleet.repository;
    if (!path) throw new LifeboatError('NOT_FOUND', 'No backup repository is configured.', 'Create one with "lifeboat repo init <path>" (or in Settings), or point to an existing one with "lifeboat repo use <path>".');
    return BackupRepository.open(path);
  }

  async keyOf(repo: BackupRepository): Promise<Buffer | undefined> {
    const fingerprint = repo.info.encryption?.keyFingerprint;
    return fingerprint ? loadRepositoryKey(this.secrets, fingerprint, this.env) : undefined;
  }
}
