// What a DBA may type as a repository location, and what Lifeboat refuses to keep in the fleet file.
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/core/lifeboatError';
import { formatRepositoryLocation, parseRepositoryLocation, type RepositoryLocation } from '../../src/core/repository/store/parseRepositoryLocation';
import { repositoryCredentialAccount, resolveAzureCredentials, resolveS3Credentials } from '../../src/core/repository/store/storeCredentials';
import type { SecretStore } from '../../src/core/secrets/secretStore';

function refusal(text: string): LifeboatError {
  try {
    parseRepositoryLocation(text, '/home/dba');
  } catch (err) {
    if (err instanceof LifeboatError) return err;
    throw err;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseRepositoryLocation', () => {
  it('reads a folder, relative to the working folder, or as a file: URL', () => {
    expect(parseRepositoryLocation('/mnt/backups/lifeboat/', '/x')).toEqual({ kind: 'posix', path: '/mnt/backups/lifeboat' });
    expect(parseRepositoryLocation('backups', '/home/dba')).toEqual({ kind: 'posix', path: '/home/dba/backups' });
    expect(parseRepositoryLocation('file:///srv/lifeboat', '/x')).toEqual({ kind: 'posix', path: '/srv/lifeboat' });
  });

  it('reads S3 on AWS (virtual-hosted) and on a server of its own (path style by default)', () => {
    expect(parseRepositoryLocation('s3://my-backups/lifeboat/prod')).toEqual({ kind: 's3', bucket: 'my-backups', prefix: 'lifeboat/prod/', endpoint: undefined, region: undefined, forcePathStyle: false });
    expect(parseRepositoryLocation('s3://my-backups?region=eu-west-1')).toEqual({ kind: 's3', bucket: 'my-backups', prefix: '', endpoint: undefined, region: 'eu-west-1', forcePathStyle: false });
    expect(parseRepositoryLocation('s3://my-backups/lb/?endpoint=https://minio.internal:9000')).toMatchObject({ endpoint: 'https://minio.internal:9000', prefix: 'lb/', forcePathStyle: true });
    expect(parseRepositoryLocation('s3://my-backups?endpoint=https://acc.r2.cloudflarestorage.com&region=auto&path-style=false')).toMatchObject({ region: 'auto', forcePathStyle: false });
  });

  it('reads Azure Blob with the default endpoint, or Azurite and sovereign clouds through endpoint=', () => {
    expect(parseRepositoryLocation('azure://mystorage/backups/lifeboat')).toEqual({ kind: 'azure', account: 'mystorage', container: 'backups', prefix: 'lifeboat/', endpoint: 'https://mystorage.blob.core.windows.net' });
    expect(parseRepositoryLocation('azure://devstoreaccount1/backups?endpoint=http://127.0.0.1:10000/devstoreaccount1')).toEqual({ kind: 'azure', account: 'devstoreaccount1', container: 'backups', prefix: '', endpoint: 'http://127.0.0.1:10000/devstoreaccount1' });
  });

  it('prints a location so that it reads back the same', () => {
    const texts = ['/srv/lifeboat', 's3://my-backups', 's3://my-backups/lb/prod?region=eu-west-1', 's3://my-backups/lb?endpoint=http://127.0.0.1:9000', 's3://b-1/x?endpoint=https://ceph.internal&path-style=false', 'azure://mystorage/backups/lb', 'azure://devstoreaccount1/backups?endpoint=http://127.0.0.1:10000/devstoreaccount1'];
    for (const text of texts) {
      const location: RepositoryLocation = parseRepositoryLocation(text);
      expect(parseRepositoryLocation(formatRepositoryLocation(location))).toEqual(location);
    }
    expect(formatRepositoryLocation(parseRepositoryLocation('s3://my-backups/lb/prod/'))).toBe('s3://my-backups/lb/prod');
    expect(formatRepositoryLocation(parseRepositoryLocation('azure://mystorage/backups/'))).toBe('azure://mystorage/backups');
  });

  it('refuses a location that carries a secret, and never repeats the secret', () => {
    for (const text of ['s3://AKIAEXAMPLE:hunter2@my-backups/lb', 'azure://mystorage/backups?sv=2024-01-01&sig=hunter2', 's3://my-backups?X-Amz-Signature=hunter2', 's3://my-backups?secretAccessKey=hunter2', 'azure://mystorage/backups?accountKey=hunter2']) {
      const refused = refusal(text);
      expect(refused.code).toBe('INVALID_INPUT');
      expect(refused.hint).toContain('keychain');
      expect(`${refused.message} ${refused.hint}`).not.toContain('hunter2');
    }
  });

  it('refuses what no store could hold, naming the rule', () => {
    expect(refusal('s3://B/x').message).toContain('bucket name');
    expect(refusal('s3://my-backups/a//b').message).toContain('prefix');
    expect(refusal('s3://my-backups/../x').code).toBe('INVALID_INPUT');
    expect(refusal('s3://my-backups?endpoint=ftp://x').message).toContain('http');
    expect(refusal('s3://my-backups?storage-class=GLACIER').message).toContain('unknown parameters');
    expect(refusal('azure://My_Account/backups').message).toContain('storage account');
    expect(refusal('azure://mystorage').message).toContain('no container');
    expect(refusal('azure://mystorage/a--b').message).toContain('container name');
    expect(refusal('gs://bucket/x').message).toContain('gs://');
    expect(refusal('  ').code).toBe('INVALID_INPUT');
  });
});

describe('store credentials', () => {
  const keychain = (values: Record<string, string>): SecretStore => ({ backend: 'test', get: async (a) => values[a], set: async () => undefined, delete: async () => false });
  const s3 = parseRepositoryLocation('s3://my-backups/lb?endpoint=https://minio.internal:9000');
  const azure = parseRepositoryLocation('azure://mystorage/backups/lb');
  if (s3.kind !== 's3' || azure.kind !== 'azure') throw new Error('fixture');

  it('reads an access key from the keychain entry of the location, endpoint included', async () => {
    expect(repositoryCredentialAccount(s3)).toBe('repository-credentials/s3://my-backups/lb?endpoint=https://minio.internal:9000');
    const resolved = await resolveS3Credentials(s3, { kind: 'keychain' }, keychain({ [repositoryCredentialAccount(s3)]: JSON.stringify({ accessKeyId: 'AK', secretAccessKey: 'SK' }) }));
    expect(resolved.credentials).toEqual({ kind: 'access-key', accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: undefined });
    expect(resolved.from).toContain('keychain entry repository-credentials/s3://my-backups/lb');
    expect(((await resolveS3Credentials(s3, { kind: 'keychain' }, keychain({})).catch((e: LifeboatError) => e)) as LifeboatError).code).toBe('NOT_FOUND');
  });

  it('reads named environment variables, and says which one is missing without a value', async () => {
    const source = { kind: 'env' as const, accessKeyIdVariable: 'LB_KEY', secretAccessKeyVariable: 'LB_SECRET' };
    const resolved = await resolveS3Credentials(s3, source, keychain({}), { LB_KEY: 'AK', LB_SECRET: 'SK' });
    expect(resolved).toEqual({ credentials: { kind: 'access-key', accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: undefined }, from: 'the environment variables LB_KEY, LB_SECRET' });
    const missing = (await resolveS3Credentials(s3, source, keychain({}), { LB_KEY: 'AK' }).catch((e: LifeboatError) => e)) as LifeboatError;
    expect(missing.code).toBe('CONFIG_INVALID');
    expect(missing.message).toContain('LB_SECRET');
    expect(`${missing.message} ${missing.hint}`).not.toContain('AK');
    expect((await resolveAzureCredentials(azure, { kind: 'env', sasTokenVariable: 'LB_SAS' }, keychain({}), { LB_SAS: 'sv=x&sig=y' })).credentials).toEqual({ kind: 'sas', sasToken: 'sv=x&sig=y' });
    expect((await resolveAzureCredentials(azure, { kind: 'keychain' }, keychain({ [repositoryCredentialAccount(azure)]: '{"accountKey":"k=="}' }))).credentials).toEqual({ kind: 'account-key', accountKey: 'k==' });
  });

  it("leaves the SDK's own chain to the SDK", async () => {
    expect((await resolveS3Credentials(s3, { kind: 'default' }, keychain({}))).credentials).toEqual({ kind: 'default' });
    expect((await resolveAzureCredentials(azure, { kind: 'default' }, keychain({}))).from).toContain('DefaultAzureCredential');
  });
});
