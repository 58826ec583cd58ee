// The store for a location: the one place that knows the implementations, loading the object-store SDKs only
// for object-store locations, with credentials from where the fleet file says.
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/core/lifeboatError';
import { openRepositoryStore } from '../../src/core/repository/store/openRepositoryStore';
import { parseRepositoryLocation } from '../../src/core/repository/store/parseRepositoryLocation';
import type { SecretStore } from '../../src/core/secrets/secretStore';

const noSecrets: SecretStore = { backend: 'test', get: async () => undefined, set: async () => undefined, delete: async () => false };

describe('openRepositoryStore', () => {
  it('opens each kind of location as its store, named as the DBA typed it', async () => {
    const posix = await openRepositoryStore(parseRepositoryLocation('/srv/lifeboat'), { secrets: noSecrets });
    expect([posix.constructor.name, posix.name]).toEqual(['PosixStore', '/srv/lifeboat']);
    const s3 = await openRepositoryStore(parseRepositoryLocation('s3://my-backups/lb?region=eu-west-1'), { secrets: noSecrets, credentials: { kind: 'env', accessKeyIdVariable: 'K', secretAccessKeyVariable: 'S' }, env: { K: 'AK', S: 'SK' } });
    expect([s3.constructor.name, s3.name]).toEqual(['S3Store', 's3://my-backups/lb?region=eu-west-1']);
    const azure = await openRepositoryStore(parseRepositoryLocation('azure://mystorage/backups/lb'), { secrets: noSecrets, credentials: { kind: 'env', sasTokenVariable: 'SAS' }, env: { SAS: 'sv=2024-01-01&sig=x' } });
    expect([azure.constructor.name, azure.name]).toEqual(['AzureBlobStore', 'azure://mystorage/backups/lb']);
    await Promise.all([posix.close(), s3.close(), azure.close()]);
  });

  it('asks the keychain by default, and says which entry is missing', async () => {
    const missing = await openRepositoryStore(parseRepositoryLocation('s3://my-backups/lb'), { secrets: noSecrets }).catch((e: LifeboatError) => e);
    expect(missing).toBeInstanceOf(LifeboatError);
    expect((missing as LifeboatError).code).toBe('NOT_FOUND');
    expect((missing as LifeboatError).message).toContain('repository-credentials/s3://my-backups/lb');
  });
});
