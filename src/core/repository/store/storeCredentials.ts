// Where an object store's credentials come from, and the credentials themselves. The fleet file keeps only
// the source (like a service's password source): the keychain entry of the repository, the names of
// environment variables, or the cloud SDK's own default chain (instance roles, workload identity, az login,
// ~/.aws). The values exist only in memory, for the store that uses them; no message ever shows one.
import { LifeboatError } from '../../lifeboatError';
import type { SecretStore } from '../../secrets/secretStore';
import { formatRepositoryLocation, type AzureBlobLocation, type S3Location } from './parseRepositoryLocation';

/** What the fleet file says about a repository's credentials (never a secret). */
export type StoreCredentialSource =
  /** The keychain entry repositoryCredentialAccount(location), holding JSON (see below). */
  | { kind: 'keychain' }
  /** S3: an access key in two (or three) environment variables, named here. */
  | { kind: 'env'; accessKeyIdVariable: string; secretAccessKeyVariable: string; sessionTokenVariable?: string }
  /** Azure: the storage account key, or a SAS token, in an environment variable named here. */
  | { kind: 'env'; accountKeyVariable: string }
  | { kind: 'env'; sasTokenVariable: string }
  /**
   * The SDK's own chain. S3: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, SSO, web identity
   * (EKS), ECS and EC2 roles. Azure: DefaultAzureCredential (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET,
   * workload identity, managed identity, az login).
   */
  | { kind: 'default' };

export type S3Credentials =
  | { kind: 'access-key'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'default' };

export type AzureCredentials = { kind: 'account-key'; accountKey: string } | { kind: 'sas'; sasToken: string } | { kind: 'default' };

/** Credentials for one store, with a description of where they came from for hints ("never the value"). */
export interface ResolvedCredentials<C> {
  credentials: C;
  /** e.g. "the environment variables LB_S3_KEY_ID and LB_S3_SECRET", "the keychain entry repository-credentials/s3://..." */
  from: string;
}

/**
 * The keychain account of a repository's credentials: one per location, endpoint included (a bucket of the
 * same name on MinIO and on AWS are different repositories). Its value is JSON: {"accessKeyId",
 * "secretAccessKey", "sessionToken"?} for S3; {"accountKey"} or {"sasToken"} for Azure.
 */
export function repositoryCredentialAccount(location: S3Location | AzureBlobLocation): string {
  return `repository-credentials/${formatRepositoryLocation(location)}`;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fromEnv(env: NodeJS.ProcessEnv, variable: string, what: string, name: string): string {
  if (!VARIABLE.test(variable)) throw new LifeboatError('CONFIG_INVALID', `"${variable}" is not an environment variable name (${what} of ${name}).`, 'Name a variable such as LIFEBOAT_S3_SECRET in the fleet file.');
  const value = env[variable];
  if (value === undefined || value === '')
    throw new LifeboatError('CONFIG_INVALID', `The environment variable ${variable} (${what} of ${name}) is not set.`, `Set ${variable} in the environment Lifeboat runs in (the agent's service unit, archive_command's environment), or choose another credential source.`);
  return value;
}

async function fromKeychain(secrets: SecretStore, account: string, name: string): Promise<Record<string, unknown>> {
  const stored = await secrets.get(account);
  if (!stored)
    throw new LifeboatError('NOT_FOUND', `The credentials of ${name} are not in this computer's keychain (${account}).`, 'Store them with the repository (lifeboat repo use <location> asks for them), or name environment variables in the fleet file instead.');
  try {
    const parsed: unknown = JSON.parse(stored);
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // Reported below without the value.
  }
  throw new LifeboatError('CONFIG_INVALID', `The keychain entry ${account} does not hold credentials Lifeboat can read.`, 'Store them again with the repository.');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function resolveS3Credentials(location: S3Location, source: StoreCredentialSource, secrets: SecretStore, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedCredentials<S3Credentials>> {
  const name = formatRepositoryLocation(location);
  switch (source.kind) {
    case 'default':
      return { credentials: { kind: 'default' }, from: "the AWS SDK's default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws, instance or pod role)" };
    case 'keychain': {
      const account = repositoryCredentialAccount(location);
      const stored = await fromKeychain(secrets, account, name);
      const accessKeyId = text(stored.accessKeyId);
      const secretAccessKey = text(stored.secretAccessKey);
      if (!accessKeyId || !secretAccessKey) throw new LifeboatError('CONFIG_INVALID', `The keychain entry ${account} has no S3 access key.`, 'Store the access key id and secret again with the repository.');
      return { credentials: { kind: 'access-key', accessKeyId, secretAccessKey, sessionToken: text(stored.sessionToken) }, from: `the keychain entry ${account}` };
    }
    case 'env': {
      if (!('accessKeyIdVariable' in source)) throw new LifeboatError('CONFIG_INVALID', `${name} is an S3 repository; its environment credentials are an access key id and a secret.`, 'Name accessKeyIdVariable and secretAccessKeyVariable in the fleet file.');
      const names = [source.accessKeyIdVariable, source.secretAccessKeyVariable, source.sessionTokenVariable].filter(Boolean);
      return {
        credentials: {
          kind: 'access-key',
          accessKeyId: fromEnv(env, source.accessKeyIdVariable, 'the access key id', name),
          secretAccessKey: fromEnv(env, source.secretAccessKeyVariable, 'the secret access key', name),
          sessionToken: source.sessionTokenVariable ? fromEnv(env, source.sessionTokenVariable, 'the session token', name) : undefined,
        },
        from: `the environment variables ${names.join(', ')}`,
      };
    }
  }
}

export async function resolveAzureCredentials(location: AzureBlobLocation, source: StoreCredentialSource, secrets: SecretStore, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedCredentials<AzureCredentials>> {
  const name = formatRepositoryLocation(location);
  switch (source.kind) {
    case 'default':
      return { credentials: { kind: 'default' }, from: 'DefaultAzureCredential (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, managed or workload identity, az login)' };
    case 'keychain': {
      const account = repositoryCredentialAccount(location);
      const stored = await fromKeychain(secrets, account, name);
      const accountKey = text(stored.accountKey);
      const sasToken = text(stored.sasToken);
      if (accountKey) return { credentials: { kind: 'account-key', accountKey }, from: `the keychain entry ${account} (account key)` };
      if (sasToken) return { credentials: { kind: 'sas', sasToken }, from: `the keychain entry ${account} (SAS token)` };
      throw new LifeboatError('CONFIG_INVALID', `The keychain entry ${account} has neither an account key nor a SAS token.`, 'Store one of them again with the repository.');
    }
    case 'env':
      if ('accountKeyVariable' in source) return { credentials: { kind: 'account-key', accountKey: fromEnv(env, source.accountKeyVariable, 'the account key', name) }, from: `the environment variable ${source.accountKeyVariable} (account key)` };
      if ('sasTokenVariable' in source) return { credentials: { kind: 'sas', sasToken: fromEnv(env, source.sasTokenVariable, 'the SAS token', name) }, from: `the environment variable ${source.sasTokenVariable} (SAS token)` };
      throw new LifeboatError('CONFIG_INVALID', `${name} is an Azure repository; its environment credential is an account key or a SAS token.`, 'Name accountKeyVariable or sasTokenVariable in the fleet file.');
  }
}

