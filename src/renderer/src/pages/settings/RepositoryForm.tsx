// Settings › the form that creates a repository, or points the fleet at an existing one, on a folder, S3 or
// Azure Blob. For an object store the location is built from its fields and shown (or typed or pasted whole,
// which fills the fields); its credentials are secrets for the keychain, sent once and then cleared from the
// form, or the names of environment variables. The core judges the location; its errors show code and hint.
// Once the fleet has a repository, the create form can make one "for copies" (policy.repositories): it takes
// the fleet repository's key and does not replace it.
import { useId, useState } from 'react';
import type { ChangeEvent, Dispatch, FormEvent, SetStateAction } from 'react';
import type { RepositoryView } from '../../../../shared/backups';
import type { WireError } from '../../../../shared/errors';
import type { RepositoryCredentialsInput } from '../../../../shared/repositoryCredentials';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckboxField, ChoiceGroup, TextField } from '../../components/Field';
import {
  EMPTY_AZURE,
  EMPTY_S3,
  STORAGE_LABEL,
  azureLocation,
  effectivePathStyle,
  readLocation,
  s3Location,
  type AzureFields,
  type S3Fields,
  type StorageKind,
} from '../../format/repositoryLocation';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { RepositoryCredentialFields } from './RepositoryCredentialFields';
import { EMPTY_CREDENTIALS, credentialsInput, withoutSecrets, type CredentialField } from './repositoryCredentialsDraft';

type Purpose = 'create' | 'use';

const COPY: Record<Purpose, { heading: string; folderLabel: string; folderRequired: string; button: string; testId: string }> = {
  create: { heading: 'Create a repository', folderLabel: 'Repository folder', folderRequired: 'Required: the folder that will hold the repository.', button: 'Create repository', testId: 'create-repository' },
  use: { heading: 'Use an existing repository', folderLabel: 'Existing repository path', folderRequired: 'Required: the folder that holds lifeboat-repo.json.', button: 'Use repository', testId: 'use-repository' },
};

const STORAGE_OPTIONS: { value: StorageKind; label: string; description: string }[] = [
  { value: 'folder', label: STORAGE_LABEL.folder, description: 'A local disk or a mounted share.' },
  { value: 's3', label: STORAGE_LABEL.s3, description: 'AWS, MinIO, Ceph or R2.' },
  { value: 'azure', label: STORAGE_LABEL.azure, description: 'Block blobs in a storage account.' },
];

type FieldName = 'folder' | 'location' | keyof S3Fields | keyof AzureFields | CredentialField;
type FieldErrors = Partial<Record<FieldName, string>>;
const CREDENTIAL_FIELDS = Object.keys(withoutSecrets(EMPTY_CREDENTIALS)).filter((k) => k !== 'source' && k !== 'azureSecret') as CredentialField[];

export interface RepositoryFormProps {
  purpose: Purpose;
  /** The fleet's repository, when there is one: create may then make a repository for its copies. */
  fleetRepository?: RepositoryView;
  /** Start with "for copies" ticked (the form was opened to add a copy's repository). */
  forCopiesAtFirst?: boolean;
  onDone(view: RepositoryView, forCopies: boolean): void;
}

export function RepositoryForm({ purpose, fleetRepository, forCopiesAtFirst = false, onDone }: RepositoryFormProps) {
  const createRepository = useRepositoryStore((s) => s.create);
  const createForCopies = useRepositoryStore((s) => s.createForCopies);
  const useRepository = useRepositoryStore((s) => s.use);
  const copy = COPY[purpose];
  const headingId = useId();
  const name = useId();
  const [kind, setKind] = useState<StorageKind>('folder');
  const [folder, setFolder] = useState('');
  const [s3, setS3] = useState<S3Fields>(EMPTY_S3);
  const [azure, setAzure] = useState<AzureFields>(EMPTY_AZURE);
  /** The location as typed or pasted whole; undefined while it is built from the fields. */
  const [typed, setTyped] = useState<string>();
  const [credentials, setCredentials] = useState(EMPTY_CREDENTIALS);
  const [encrypt, setEncrypt] = useState(true);
  const [forCopiesTicked, setForCopies] = useState(forCopiesAtFirst);
  const forCopies = purpose === 'create' && fleetRepository !== undefined && forCopiesTicked;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();

  const built = kind === 's3' ? (Object.values(s3).some((v) => typeof v === 'string' && v.trim()) ? s3Location(s3) : '') : Object.values(azure).some((v) => v.trim()) ? azureLocation(azure) : '';
  const location = kind === 'folder' ? folder.trim() : (typed ?? built).trim();

  const clearError = (...fields: FieldName[]) =>
    setErrors((e) => {
      const next = { ...e };
      for (const f of fields) delete next[f];
      return next;
    });

  /** Props for a box of an object store's location: editing it rebuilds the location from the fields. */
  const boxOf = <F extends S3Fields | AzureFields>(fields: F, setFields: Dispatch<SetStateAction<F>>, field: keyof F & FieldName) => ({
    value: String(fields[field] ?? ''),
    error: errors[field],
    autoComplete: 'off',
    spellCheck: false,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.target.value;
      setFields((f) => ({ ...f, [field]: value }));
      setTyped(undefined);
      clearError(field, 'location');
    },
  });
  const s3Field = (field: Exclude<keyof S3Fields, 'pathStyle'>) => boxOf(s3, setS3, field);
  const azureField = (field: keyof AzureFields) => boxOf(azure, setAzure, field);

  /** A whole location typed or pasted: its fields follow it, and its scheme picks the kind of storage. */
  const typeLocation = (text: string) => {
    setTyped(text);
    const read = readLocation(text);
    if (read?.kind === 's3') {
      setKind('s3');
      setS3(read.fields);
    } else if (read?.kind === 'azure') {
      setKind('azure');
      setAzure(read.fields);
    }
    setErrors({});
  };

  const check = (): { errors: FieldErrors; credentials?: RepositoryCredentialsInput } => {
    if (kind === 'folder') {
      const other = readLocation(location)?.kind ?? 'folder';
      if (other !== 'folder') return { errors: { folder: `That location is on ${STORAGE_LABEL[other]}: choose ${STORAGE_LABEL[other]} under Storage, then give its credentials.` } };
      return { errors: location ? {} : { folder: copy.folderRequired } };
    }
    const read = readLocation(location);
    const found: FieldErrors = {};
    if (read?.kind !== kind) found.location = kind === 's3' ? 'Expected s3://bucket/prefix, with endpoint, region and path-style as parameters.' : 'Expected azure://account/container/prefix, with the endpoint as a parameter.';
    else if (read.kind === 's3' && !read.fields.bucket) found.bucket = 'Required.';
    else if (read.kind === 'azure') {
      if (!read.fields.account) found.account = 'Required.';
      if (!read.fields.container) found.container = 'Required.';
    }
    const outcome = credentialsInput(kind, credentials, purpose === 'use');
    return { errors: { ...found, ...outcome.errors }, credentials: outcome.credentials };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const view =
        purpose === 'use'
          ? await useRepository(location, checked.credentials)
          : forCopies
            ? await createForCopies(location, checked.credentials)
            : await createRepository(location, encrypt, checked.credentials);
      setFolder('');
      setTyped(undefined);
      onDone(view, forCopies);
    } catch (err) {
      setError(toWireError(err));
    } finally {
      // Sent once: a secret does not wait in the form for a second try, whatever the answer was.
      setCredentials(withoutSecrets);
      setBusy(false);
    }
  };

  return (
    <form className="repository__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{copy.heading}</h3>
      {purpose === 'use' && <p className="muted">On a fresh install, or a second computer: point Lifeboat at the repository your team already has.</p>}
      <ChoiceGroup<StorageKind>
        legend="Storage"
        name={`${name}-storage`}
        value={kind}
        options={STORAGE_OPTIONS}
        onChange={(next) => {
          setKind(next);
          setTyped(undefined);
          setErrors({});
        }}
      />
      {kind === 'folder' && (
        <TextField
          label={copy.folderLabel}
          placeholder="/mnt/backups/lifeboat"
          hint={purpose === 'create' ? 'A local folder or a mounted share; an empty folder, or one that does not exist yet.' : undefined}
          autoComplete="off"
          spellCheck={false}
          value={folder}
          error={errors.folder}
          onChange={(e) => {
            setFolder(e.target.value);
            clearError('folder');
          }}
        />
      )}
      {kind === 's3' && (
        <div className="repository__fields">
          <TextField label="Bucket" placeholder="my-backups" {...s3Field('bucket')} />
          <TextField label="Prefix" optional placeholder="lifeboat/prod" hint="The folder inside the bucket." {...s3Field('prefix')} />
          <TextField label="Endpoint" optional placeholder="https://minio.internal:9000" hint="Empty for AWS; the address of MinIO, Ceph or R2." {...s3Field('endpoint')} />
          <TextField label="Region" optional placeholder="us-east-1" hint="Empty for the SDK's default; auto for R2." {...s3Field('region')} />
          <CheckboxField
            className="repository__fields-wide"
            label="Path-style addressing"
            hint="Buckets addressed as https://host/bucket: what MinIO and Ceph usually need. On by default when an endpoint is given."
            checked={effectivePathStyle(s3)}
            onChange={(e) => {
              const pathStyle = e.target.checked;
              setS3((f) => ({ ...f, pathStyle }));
              setTyped(undefined);
            }}
          />
        </div>
      )}
      {kind === 'azure' && (
        <div className="repository__fields">
          <TextField label="Storage account" placeholder="mystorageaccount" {...azureField('account')} />
          <TextField label="Container" placeholder="backups" hint="It must exist already." {...azureField('container')} />
          <TextField label="Prefix" optional placeholder="lifeboat/prod" hint="The folder inside the container." {...azureField('prefix')} />
          <TextField label="Endpoint" optional placeholder="https://mystorageaccount.blob.core.windows.net" hint="Empty for Azure's public cloud; give it for Azurite or a sovereign cloud." {...azureField('endpoint')} />
        </div>
      )}
      {kind !== 'folder' && (
        <TextField
          label="Location"
          className="mono"
          placeholder={kind === 's3' ? 's3://my-backups/lifeboat?endpoint=https://minio.internal:9000' : 'azure://mystorageaccount/backups/lifeboat'}
          hint="Built from the fields above, as lifeboat repo init takes it; or type or paste a whole location. It holds no secret."
          autoComplete="off"
          spellCheck={false}
          value={typed ?? built}
          error={errors.location}
          onChange={(e) => typeLocation(e.target.value)}
          data-testid={`${copy.testId}-location`}
        />
      )}
      {kind !== 'folder' && (
        <RepositoryCredentialFields
          kind={kind}
          name={name}
          draft={credentials}
          errors={errors}
          keychainOptional={purpose === 'use'}
          onChange={(draft, changed) => {
            setCredentials(draft);
            // Another source shows other boxes: their old errors go with them.
            if (changed === 'source' || changed === 'azureSecret') clearError(...CREDENTIAL_FIELDS);
            else clearError(changed);
          }}
        />
      )}
      {purpose === 'create' && fleetRepository && (
        <CheckboxField
          label="For copies of the fleet repository's backups"
          liveHint
          hint={
            forCopies ? (
              <>
                A second place for the backups of the services that list it under their repositories. It shares the key of{' '}
                <span className="mono">{fleetRepository.path}</span>
                {fleetRepository.encrypted ? '' : ' (which is not encrypted, so neither is this one)'}: a backup is copied byte for byte, so one
                key opens both. The fleet keeps its repository.
              </>
            ) : (
              'Unticked, the new repository gets its own key and becomes the fleet’s repository.'
            )
          }
          checked={forCopiesTicked}
          onChange={(e) => setForCopies(e.target.checked)}
        />
      )}
      {purpose === 'create' && !forCopies && (
        <CheckboxField
          label="Encrypt backups (recommended)"
          liveHint
          hint={
            encrypt
              ? 'AES-256-GCM with a new key kept in this computer’s keychain. Export the key for your vault once the repository exists.'
              : `Without encryption, anyone who can read the ${kind === 'folder' ? 'folder or the share' : kind === 's3' ? 'bucket' : 'container'} can read your data.`
          }
          checked={encrypt}
          onChange={(e) => setEncrypt(e.target.checked)}
        />
      )}
      <div>
        <Button type="submit" variant={purpose === 'create' ? 'primary' : 'secondary'} busy={busy} data-testid={copy.testId}>
          {copy.button}
        </Button>
      </div>
      {error && <ErrorNotice error={error} testId={`${copy.testId}-error`} />}
    </form>
  );
}
