// The credential flags of `lifeboat repo init|use` for an object-store repository, turned into what the core
// keeps: environment variable names (into the fleet file), the SDK's own chain, or a secret read from standard
// input (into the keychain). A secret never comes from a flag: flags land in shell history and `ps`.
import { LifeboatError } from '../../core/lifeboatError';
import type { RepositoryCredentialsInput } from '../../shared/repositoryCredentials';
import { BACKUP_USAGE } from './commandUsage';

export const REPOSITORY_CREDENTIAL_FLAGS = {
  'access-key-id-env': { type: 'string' },
  'secret-access-key-env': { type: 'string' },
  'session-token-env': { type: 'string' },
  'account-key-env': { type: 'string' },
  'sas-token-env': { type: 'string' },
  'sdk-credentials': { type: 'boolean' },
  'credentials-stdin': { type: 'boolean' },
} as const;

type Flags = Partial<Record<'access-key-id-env' | 'secret-access-key-env' | 'session-token-env' | 'account-key-env' | 'sas-token-env', string> & Record<'sdk-credentials' | 'credentials-stdin', boolean>>;

function conflicting(): LifeboatError {
  return new LifeboatError('INVALID_INPUT', 'Give one source of credentials.', `Use --access-key-id-env/--secret-access-key-env (S3), --account-key-env or --sas-token-env (Azure), --sdk-credentials, or --credentials-stdin.\nUsage:\n${BACKUP_USAGE}`);
}

export async function repositoryCredentialsFrom(location: string, flags: Flags, stdin: () => Promise<string>): Promise<RepositoryCredentialsInput | undefined> {
  const chosen = [flags['access-key-id-env'] || flags['secret-access-key-env'], flags['account-key-env'], flags['sas-token-env'], flags['sdk-credentials'], flags['credentials-stdin']].filter(Boolean);
  if (chosen.length > 1) throw conflicting();
  if (flags['access-key-id-env'] || flags['secret-access-key-env']) {
    if (!flags['access-key-id-env'] || !flags['secret-access-key-env'])
      throw new LifeboatError('INVALID_INPUT', 'An S3 access key needs both variables named.', 'Give --access-key-id-env VAR and --secret-access-key-env VAR.');
    return { source: { kind: 'env', accessKeyIdVariable: flags['access-key-id-env'], secretAccessKeyVariable: flags['secret-access-key-env'], sessionTokenVariable: flags['session-token-env'] } };
  }
  if (flags['account-key-env']) return { source: { kind: 'env', accountKeyVariable: flags['account-key-env'] } };
  if (flags['sas-token-env']) return { source: { kind: 'env', sasTokenVariable: flags['sas-token-env'] } };
  if (flags['sdk-credentials']) return { source: { kind: 'default' } };
  if (!flags['credentials-stdin']) return undefined;
  const lines = (await stdin()).split('\n').map((l) => l.trim()).filter(Boolean);
  if (location.startsWith('s3://')) {
    const [accessKeyId, secretAccessKey, sessionToken] = lines;
    if (!accessKeyId || !secretAccessKey) throw new LifeboatError('INVALID_INPUT', 'An S3 access key is two lines on standard input: the access key id, then the secret.', 'printf "%s\\n%s\\n" "$ID" "$SECRET" | lifeboat repo init s3://bucket/prefix --credentials-stdin');
    return { keychain: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
  }
  const [secret] = lines;
  if (!secret) throw new LifeboatError('INVALID_INPUT', 'An Azure credential is one line on standard input: the account key, or a SAS token (sv=...).', 'printf "%s\\n" "$KEY" | lifeboat repo init azure://account/container/prefix --credentials-stdin');
  const sas = secret.replace(/^\?/, '');
  return /(^|&)sv=/.test(sas) ? { keychain: { sasToken: sas } } : { keychain: { accountKey: secret } };
}
