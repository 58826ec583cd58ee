// The store for a repository location: the one place that knows which implementations exist. The object
// store modules (and their SDKs, several MB) load only when a repository on them is opened, so
// archive_command and restore_command on a folder repository never pay for them.
import type { SecretStore } from '../../secrets/secretStore';
import type { AzureBlobStoreOptions } from './azureBlobStore';
import type { RepositoryLocation } from './parseRepositoryLocation';
import { LifeboatError } from '../../lifeboatError';
import { PosixStore } from './posixStore';
import type { RepositoryStore } from './repositoryStore';
import type { S3StoreOptions } from './s3Store';
import { resolveAzureCredentials, resolveS3Credentials, type StoreCredentialSource } from './storeCredentials';

export interface StoreAccess {
  /** Where the object store's credentials come from; the keychain when the fleet file says nothing. */
  credentials?: StoreCredentialSource;
  /** The keychain; only an object store whose credentials are kept there asks for it. */
  secrets?: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** Part sizes, retries and timeouts; the defaults suit backups over the Internet. */
  s3?: Omit<S3StoreOptions, 'credentials' | 'credentialsFrom'>;
  azure?: Omit<AzureBlobStoreOptions, 'credentials' | 'credentialsFrom'>;
}

export async function openRepositoryStore(location: RepositoryLocation, access: StoreAccess = {}): Promise<RepositoryStore> {
  const source = access.credentials ?? { kind: 'keychain' };
  const secrets = access.secrets ?? noKeychain;
  switch (location.kind) {
    case 'posix':
      return new PosixStore(location);
    case 's3': {
      const resolved = await resolveS3Credentials(location, source, secrets, access.env);
      const { S3Store } = await import('./s3Store');
      return new S3Store(location, { ...access.s3, credentials: resolved.credentials, credentialsFrom: resolved.from });
    }
    case 'azure': {
      const resolved = await resolveAzureCredentials(location, source, secrets, access.env);
      const { AzureBlobStore } = await import('./azureBlobStore');
      return AzureBlobStore.open(location, { ...access.azure, credentials: resolved.credentials, credentialsFrom: resolved.from });
    }
  }
}

/** Where no keychain was given (a test, a tool that reads a folder repository): saying so beats "no entry". */
const noKeychain: SecretStore = {
  backend: 'none',
  get: () => Promise.reject(new LifeboatError('AUTH_FAILED', 'No keychain is available here for the object store\'s credentials.', 'Name environment variables for them under repositoryCredentials in the fleet file.')),
  set: () => Promise.reject(new LifeboatError('AUTH_FAILED', 'No keychain is available here.', 'Run this where the OS keychain is unlocked.')),
  delete: async () => false,
};
