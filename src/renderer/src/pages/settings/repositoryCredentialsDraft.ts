// The credentials of an object-store repository as the Settings form holds them while they are typed, and
// what repo.init / repo.use receive: a secret for the keychain (sent once, then cleared from the form), the
// names of environment variables (kept in the fleet file), or the cloud SDK's own chain.
import type { RepositoryCredentialsInput } from '../../../../shared/repositoryCredentials';

export type CredentialSource = 'keychain' | 'env' | 'default';
export type AzureSecretKind = 'account-key' | 'sas';

export interface CredentialsDraft {
  source: CredentialSource;
  azureSecret: AzureSecretKind;
  // Secrets: only in this draft, only until sent.
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountKey: string;
  sasToken: string;
  // Names of environment variables.
  accessKeyIdVariable: string;
  secretAccessKeyVariable: string;
  sessionTokenVariable: string;
  accountKeyVariable: string;
  sasTokenVariable: string;
}

export type CredentialField = Exclude<keyof CredentialsDraft, 'source' | 'azureSecret'>;

export const EMPTY_CREDENTIALS: CredentialsDraft = {
  source: 'keychain',
  azureSecret: 'account-key',
  accessKeyId: '',
  secretAccessKey: '',
  sessionToken: '',
  accountKey: '',
  sasToken: '',
  accessKeyIdVariable: '',
  secretAccessKeyVariable: '',
  sessionTokenVariable: '',
  accountKeyVariable: '',
  sasTokenVariable: '',
};

/** The draft with every secret emptied (after a call, whatever its outcome). */
export function withoutSecrets(draft: CredentialsDraft): CredentialsDraft {
  return { ...draft, accessKeyId: '', secretAccessKey: '', sessionToken: '', accountKey: '', sasToken: '' };
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_A_VARIABLE = 'Expected an environment variable name such as LIFEBOAT_S3_SECRET.';

export interface CredentialsOutcome {
  credentials?: RepositoryCredentialsInput;
  errors: Partial<Record<CredentialField, string>>;
}

/**
 * What to send for an s3 or azure repository. keychainOptional: empty secret boxes send nothing, so the core
 * uses what the keychain already holds for that location (repo.use on a computer that has them).
 */
export function credentialsInput(kind: 's3' | 'azure', draft: CredentialsDraft, keychainOptional: boolean): CredentialsOutcome {
  const errors: CredentialsOutcome['errors'] = {};
  const required = (field: CredentialField, message = 'Required.') => {
    if (!draft[field].trim()) errors[field] = message;
    return draft[field].trim();
  };
  const variable = (field: CredentialField, optional = false) => {
    const name = draft[field].trim();
    if (!name) {
      if (!optional) errors[field] = 'Required: the name of the variable, not its value.';
    } else if (!VARIABLE.test(name)) errors[field] = NOT_A_VARIABLE;
    return name;
  };

  if (draft.source === 'default') return { credentials: { source: { kind: 'default' } }, errors };
  if (draft.source === 'env') {
    if (kind === 's3') {
      const accessKeyIdVariable = variable('accessKeyIdVariable');
      const secretAccessKeyVariable = variable('secretAccessKeyVariable');
      const sessionTokenVariable = variable('sessionTokenVariable', true);
      return { errors, credentials: { source: { kind: 'env', accessKeyIdVariable, secretAccessKeyVariable, ...(sessionTokenVariable ? { sessionTokenVariable } : {}) } } };
    }
    if (draft.azureSecret === 'sas') return { errors, credentials: { source: { kind: 'env', sasTokenVariable: variable('sasTokenVariable') } } };
    return { errors, credentials: { source: { kind: 'env', accountKeyVariable: variable('accountKeyVariable') } } };
  }

  // Secrets are sent exactly as typed (a key's trailing "=" matters); only surrounding blanks go.
  if (kind === 's3') {
    if (keychainOptional && !draft.accessKeyId.trim() && !draft.secretAccessKey.trim() && !draft.sessionToken.trim()) return { errors };
    const accessKeyId = required('accessKeyId');
    const secretAccessKey = required('secretAccessKey');
    const sessionToken = draft.sessionToken.trim();
    return { errors, credentials: { keychain: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } };
  }
  if (draft.azureSecret === 'sas') {
    if (keychainOptional && !draft.sasToken.trim()) return { errors };
    return { errors, credentials: { keychain: { sasToken: required('sasToken').replace(/^\?/, '') } } };
  }
  if (keychainOptional && !draft.accountKey.trim()) return { errors };
  return { errors, credentials: { keychain: { accountKey: required('accountKey') } } };
}
