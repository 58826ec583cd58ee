// The credentials part of the repository forms for S3 and Azure Blob: where they come from (typed here for the
// keychain, environment variables the fleet file names, or the cloud SDK's own chain) and the boxes for it.
// Secrets are password boxes, never filled from anything the core sent; the form empties them once sent.
import type { ChangeEvent } from 'react';
import { ChoiceGroup, TextField } from '../../components/Field';
import type { AzureSecretKind, CredentialField, CredentialSource, CredentialsDraft } from './repositoryCredentialsDraft';

export interface RepositoryCredentialFieldsProps {
  kind: 's3' | 'azure';
  /** Distinguishes this form's radio groups from the other form's. */
  name: string;
  draft: CredentialsDraft;
  errors: Partial<Record<CredentialField, string>>;
  /** Empty secret boxes keep what the keychain already holds for the location (repo use). */
  keychainOptional: boolean;
  onChange(draft: CredentialsDraft, changed: CredentialField | 'source' | 'azureSecret'): void;
}

const SECRET_HINT = "Sent once to this computer's keychain and cleared from this form; never shown again.";

export function RepositoryCredentialFields({ kind, name, draft, errors, keychainOptional, onChange }: RepositoryCredentialFieldsProps) {
  const sourceOptions: { value: CredentialSource; label: string; description: string }[] = [
    { value: 'keychain', label: 'Keychain', description: "Typed here once, kept in this computer's keychain." },
    { value: 'env', label: 'Environment variables', description: 'The fleet file names the variables; their values stay in the environment Lifeboat runs in.' },
    kind === 's3'
      ? { value: 'default', label: 'AWS default chain', description: 'AWS_PROFILE, ~/.aws, or the instance or pod role.' }
      : { value: 'default', label: 'Azure identity', description: 'A managed or workload identity, or az login.' },
  ];
  const box = (field: CredentialField) => ({
    value: draft[field],
    error: errors[field],
    autoComplete: 'off',
    spellCheck: false,
    autoCapitalize: 'off',
    onChange: (e: ChangeEvent<HTMLInputElement>) => onChange({ ...draft, [field]: e.target.value }, field),
  });
  const secret = (field: CredentialField) => ({ ...box(field), type: 'password', optional: keychainOptional });
  const keepHint = keychainOptional ? ' Leave empty to use what this computer’s keychain already holds for this location.' : '';
  const variable = (field: CredentialField, placeholder: string) => ({ ...box(field), className: 'mono', placeholder });

  return (
    <div className="repository__credentials">
      <ChoiceGroup<CredentialSource> legend="Credentials" name={`${name}-credentials`} value={draft.source} options={sourceOptions} onChange={(source) => onChange({ ...draft, source }, 'source')} />
      {kind === 'azure' && draft.source !== 'default' && (
        <ChoiceGroup<AzureSecretKind>
          legend="Azure credential"
          name={`${name}-azure-secret`}
          value={draft.azureSecret}
          options={[
            { value: 'account-key', label: 'Account key', description: 'Full access to the storage account.' },
            { value: 'sas', label: 'SAS token', description: 'Read, write, list and delete on the container; it expires.' },
          ]}
          onChange={(azureSecret) => onChange({ ...draft, azureSecret }, 'azureSecret')}
        />
      )}
      <div className="repository__fields">
        {kind === 's3' && draft.source === 'keychain' && (
          <>
            <TextField label="Access key ID" {...box('accessKeyId')} optional={keychainOptional} />
            <TextField label="Secret access key" hint={SECRET_HINT + keepHint} {...secret('secretAccessKey')} />
            <TextField label="Session token" {...secret('sessionToken')} optional hint="Only for temporary credentials (STS)." />
          </>
        )}
        {kind === 's3' && draft.source === 'env' && (
          <>
            <TextField label="Variable holding the access key ID" {...variable('accessKeyIdVariable', 'LIFEBOAT_S3_KEY_ID')} />
            <TextField label="Variable holding the secret access key" {...variable('secretAccessKeyVariable', 'LIFEBOAT_S3_SECRET')} />
            <TextField label="Variable holding the session token" {...variable('sessionTokenVariable', 'LIFEBOAT_S3_SESSION_TOKEN')} optional />
          </>
        )}
        {kind === 'azure' && draft.source === 'keychain' && draft.azureSecret === 'account-key' && (
          <TextField label="Storage account key" hint={SECRET_HINT + keepHint} {...secret('accountKey')} />
        )}
        {kind === 'azure' && draft.source === 'keychain' && draft.azureSecret === 'sas' && (
          <TextField label="Shared access signature" placeholder="sv=…&sig=…" hint={SECRET_HINT + keepHint} {...secret('sasToken')} />
        )}
        {kind === 'azure' && draft.source === 'env' && draft.azureSecret === 'account-key' && (
          <TextField label="Variable holding the account key" {...variable('accountKeyVariable', 'LIFEBOAT_AZURE_KEY')} />
        )}
        {kind === 'azure' && draft.source === 'env' && draft.azureSecret === 'sas' && (
          <TextField label="Variable holding the SAS token" {...variable('sasTokenVariable', 'LIFEBOAT_AZURE_SAS')} />
        )}
      </div>
      {draft.source === 'env' && (
        <p className="field__hint">Names only: Lifeboat reads the values when it opens the repository, here and wherever the fleet file is used.</p>
      )}
    </div>
  );
}
