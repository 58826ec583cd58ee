// Settings › Backup repository: what the repository is (kind of storage, location, format, encryption, whether
// its key is in this computer's keychain), a form to import a missing key, and the forms that create or adopt a
// repository on a folder, S3 or Azure Blob (RepositoryForm).
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Backup repository" (data-testid="repository-section"); facts data-testid="repository-info" with
//   data-testid="repository-storage" reading "Folder", "S3" or "Azure Blob", data-testid="repository-location"
//   and the key state data-testid="repository-key-state" reading "In this computer's keychain" or "Not in this
//   computer's keychain"; key form: password box "Repository key" and button "Import key" (data-testid="import-key");
//   no repository, or after "Change repository" (aria-expanded): form "Create a repository" and form "Use an
//   existing repository", each with radio group "Storage" (Folder, S3, Azure Blob); Folder: textbox "Repository
//   folder" (create) or "Existing repository path" (use); S3: "Bucket", "Prefix", "Endpoint", "Region", checkbox
//   "Path-style addressing"; Azure Blob: "Storage account", "Container", "Prefix", "Endpoint"; both: textbox
//   "Location" (data-testid="create-repository-location" / "use-repository-location"), radio group "Credentials"
//   (Keychain, Environment variables, AWS default chain / Azure identity), Azure's radio group "Azure credential"
//   (Account key, SAS token), textbox "Access key ID", password boxes "Secret access key", "Session token", "Storage
//   account key", "Shared access signature", or textboxes "Variable holding the ..."; create only: checkbox
//   "Encrypt backups (recommended)" (checked); buttons "Create repository" (data-testid="create-repository") and
//   "Use repository" (data-testid="use-repository"); outcomes are status messages
//   (data-testid="repository-message"), errors alerts (data-testid="create-repository-error" / "use-repository-error").
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { RepositoryView } from '../../../../shared/backups';
import { fieldErrorsFor } from '../../client/fieldErrors';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatUtc } from '../../format/dateTime';
import { STORAGE_LABEL } from '../../format/repositoryLocation';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { RepositoryForm } from './RepositoryForm';
import { useOneFieldForm } from './useOneFieldForm';

export function RepositorySection() {
  const info = useRepositoryStore((s) => s.info);
  const loaded = useRepositoryStore((s) => s.loaded);
  const error = useRepositoryStore((s) => s.error);
  const load = useRepositoryStore((s) => s.load);
  const [changing, setChanging] = useState(false);
  const [message, setMessage] = useState<ReactNode>(null);
  const formsId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  const settled = (text: ReactNode) => {
    setMessage(text);
    setChanging(false);
  };

  return (
    <section className="panel repository" aria-labelledby="settings-repository" data-testid="repository-section">
      <h2 id="settings-repository">Backup repository</h2>
      <p className="repository__lead">
        The repository key stays in this computer's keychain; run <code>lifeboat repo key export</code> (CLI) to print it for
        your team's vault — this window never shows it.
      </p>
      {/* Always rendered, so the live region exists before a message lands in it. */}
      <p className={message ? 'repository__message' : 'visually-hidden'} role="status" data-testid="repository-message">
        {message}
      </p>
      {error && <ErrorNotice error={error} />}
      {!loaded && !error && <p className="muted">Looking up the backup repository…</p>}
      {info && <RepositoryFacts info={info} onImported={() => setMessage('Key imported: backups of this repository can be read and written here.')} />}
      {info && (
        <div>
          <Button size="sm" aria-expanded={changing} aria-controls={changing ? formsId : undefined} onClick={() => setChanging(!changing)}>
            Change repository
          </Button>
        </div>
      )}
      {loaded && info === null && (
        <p>No backup repository yet. Backups need one: a folder on a local disk or a mounted share, an S3 bucket, or an Azure Blob container.</p>
      )}
      {loaded && (info === null || changing) && (
        <div id={formsId} className="repository__forms">
          <RepositoryForm purpose="create" onDone={(view) => settled(createdMessage(view))} />
          <RepositoryForm purpose="use" onDone={(view) => settled(<>Now using <span className="mono">{view.path}</span> ({STORAGE_LABEL[view.storage]}).</>)} />
        </div>
      )}
    </section>
  );
}

function createdMessage(view: RepositoryView): ReactNode {
  const path = (
    <>
      <span className="mono">{view.path}</span> ({STORAGE_LABEL[view.storage]})
    </>
  );
  return view.encrypted ? (
    <>
      Created {path}. Export its key now and keep it in your team's vault: <code>lifeboat repo key export</code>.
    </>
  ) : (
    <>Created {path}, without encryption.</>
  );
}

const UNENCRYPTED_PLACE: Record<RepositoryView['storage'], string> = { folder: 'folder', s3: 'bucket', azure: 'container' };

function RepositoryFacts({ info, onImported }: { info: RepositoryView; onImported(): void }) {
  return (
    <>
      <dl className="settings__info" data-testid="repository-info">
        <dt>Storage</dt>
        <dd data-testid="repository-storage">{STORAGE_LABEL[info.storage]}</dd>
        <dt>Location</dt>
        <dd className="mono" data-testid="repository-location">
          {info.path}
        </dd>
        <dt>Format</dt>
        <dd>Version {info.format}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={info.createdAt} title={formatUtc(info.createdAt)}>
            {formatDateTime(info.createdAt)}
          </time>
        </dd>
        <dt>Encryption</dt>
        <dd>
          {info.encrypted ? (
            <StatusBadge tone="ok">Encrypted (AES-256-GCM)</StatusBadge>
          ) : (
            <StatusBadge tone="warn">Not encrypted</StatusBadge>
          )}
        </dd>
        {info.encrypted && (
          <>
            <dt>Key fingerprint</dt>
            <dd className="mono">{info.keyFingerprint ?? '—'}</dd>
            <dt>Key</dt>
            <dd data-testid="repository-key-state">
              {info.keyAvailable ? (
                <StatusBadge tone="ok">In this computer's keychain</StatusBadge>
              ) : (
                <StatusBadge tone="error">Not in this computer's keychain</StatusBadge>
              )}
            </dd>
          </>
        )}
      </dl>
      {!info.encrypted && (
        <p className="repository__warning">
          <StatusBadge tone="warn">Warning</StatusBadge> Anyone who can read this {UNENCRYPTED_PLACE[info.storage]} can read the backups in it.
        </p>
      )}
      {info.encrypted && !info.keyAvailable && <ImportKeyForm fingerprint={info.keyFingerprint} onImported={onImported} />}
    </>
  );
}

function ImportKeyForm({ fingerprint, onImported }: { fingerprint?: string; onImported(): void }) {
  const importKey = useRepositoryStore((s) => s.importKey);
  // The key lives in the form's state only while it is typed; it is cleared once imported.
  const form = useOneFieldForm({
    check: (key) =>
      !key ? 'Required.' : fieldErrorsFor('repo.importKey', { key }).key ? 'That is not a repository key: paste it exactly as “lifeboat repo key export” printed it.' : undefined,
    run: async (key) => {
      await importKey(key);
      onImported();
    },
  });

  return (
    <form className="repository__key" onSubmit={form.onSubmit} noValidate>
      <div className="repository__key-warning" role="alert">
        <StatusBadge tone="error">Key missing</StatusBadge>
        <p>
          This repository is encrypted and its key{fingerprint ? <> (fingerprint <span className="mono">{fingerprint}</span>)</> : null} is
          not in this computer's keychain: backups can be neither taken nor restored here. Paste the key from your team's vault.
        </p>
      </div>
      <TextField
        label="Repository key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        hint="Base64, as “lifeboat repo key export” printed it. It goes straight to the keychain and is never shown."
        {...form.field}
      />
      <div>
        <Button type="submit" variant="primary" busy={form.busy} data-testid="import-key">
          Import key
        </Button>
      </div>
      {form.error && <ErrorNotice error={form.error} testId="import-key-error" />}
    </form>
  );
}
