// The WAL archive of one service as PostgreSQL's archive_command and restore_command reach it: the fleet
// file's word on the service's repository, the repository's description and its key, nothing else (no
// job journal, no tool probes, no schedules, no connection to the server), so a call costs little more
// than moving one file. Nothing here loads the core or the full fleet schema.
import { resolveAppPaths } from '../appPaths';
import { serviceRepositoryPath } from '../inventory/archiveViewCache';
import { readRepositoryInfo, type RepositoryInfo } from '../repository/repositoryInfo';
import { loadRepositoryKey } from '../repository/repositoryKeys';
import { KeytarSecretStore } from '../secrets/keytarSecretStore';
import type { SecretStore } from '../secrets/secretStore';

export interface ServiceArchive {
  serviceId: string;
  repo: { root: string; info: RepositoryInfo };
  key: Buffer | undefined;
}

export interface OpenArchiveOptions {
  serviceId: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Default: the OS keychain, touched only when LIFEBOAT_KEY_FILE is not set. */
  secrets?: SecretStore;
}

export async function openServiceArchive(o: OpenArchiveOptions): Promise<ServiceArchive> {
  const env = o.env ?? process.env;
  const repo = await readRepositoryInfo(await serviceRepositoryPath(resolveAppPaths({ configPath: o.configPath }, env).configPath, o.serviceId, env));
  const fingerprint = repo.info.encryption?.keyFingerprint;
  const key = fingerprint ? await loadRepositoryKey(o.secrets ?? new KeytarSecretStore(), fingerprint, env) : undefined;
  return { serviceId: o.serviceId, repo, key };
}
