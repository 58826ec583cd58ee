// The WAL archive of one service as PostgreSQL's archive_command and restore_command reach it: the fleet
// file's word on the service's repository, the repository's store and description and its key, nothing else
// (no job journal, no tool probes, no schedules, no connection to the server), so a call costs little more
// than moving one file. Nothing here loads the core or the full fleet schema; an object store's SDK loads
// only for a repository on one.
import { resolveAppPaths } from '../appPaths';
import { serviceRepository } from '../inventory/archiveViewCache';
import { readRepositoryInfo, type RepositoryInfo } from '../repository/repositoryInfo';
import { loadRepositoryKey } from '../repository/repositoryKeys';
import { openRepositoryStore } from '../repository/store/openRepositoryStore';
import { parseRepositoryLocation } from '../repository/store/parseRepositoryLocation';
import type { RepositoryStore } from '../repository/store/repositoryStore';
import { KeytarSecretStore } from '../secrets/keytarSecretStore';
import type { SecretStore } from '../secrets/secretStore';

export interface ServiceArchive {
  serviceId: string;
  repo: { store: RepositoryStore; info: RepositoryInfo };
  key: Buffer | undefined;
}

export interface OpenArchiveOptions {
  serviceId: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Default: the OS keychain, touched only when LIFEBOAT_KEY_FILE is not set or an object store's
   * credentials are kept there. */
  secrets?: SecretStore;
  /** The process does nothing else (wal-get, wal-push): blocking reads of small files. */
  blocking?: boolean;
}

export async function openServiceArchive(o: OpenArchiveOptions): Promise<ServiceArchive> {
  const env = o.env ?? process.env;
  const { location, credentials } = await serviceRepository(resolveAppPaths({ configPath: o.configPath }, env).configPath, o.serviceId, env);
  let secrets = o.secrets;
  const keychain = () => (secrets ??= new KeytarSecretStore());
  const store = await openRepositoryStore(parseRepositoryLocation(location), {
    credentials,
    // Only an object store asks (a folder repository has no credentials).
    get secrets() {
      return keychain();
    },
    env,
  });
  const info = await readRepositoryInfo(store, { blocking: o.blocking });
  const fingerprint = info.encryption?.keyFingerprint;
  const key = fingerprint ? await loadRepositoryKey(o.secrets ?? keychain(), fingerprint, env) : undefined;
  return { serviceId: o.serviceId, repo: { store, info }, key };
}
