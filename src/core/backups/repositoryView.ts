// How the doors see a repository: where it is, on what kind of storage, and whether its key is here.
import type { RepositoryView } from '../../shared/backups';
import type { BackupRepository } from '../repository/backupRepository';
import { keyAccount } from '../repository/repositoryKeys';
import type { SecretStore } from '../secrets/secretStore';

export async function repositoryView(repo: BackupRepository, secrets: SecretStore): Promise<RepositoryView> {
  const fingerprint = repo.info.encryption?.keyFingerprint;
  const keyAvailable = fingerprint ? await secrets.get(keyAccount(fingerprint)).then((k) => k !== undefined, () => false) : true;
  const kind = repo.store.location.kind;
  return { path: repo.root, storage: kind === 'posix' ? 'folder' : kind, format: repo.info.format, createdAt: repo.info.createdAt, encrypted: !!fingerprint, keyFingerprint: fingerprint, keyAvailable };
}
