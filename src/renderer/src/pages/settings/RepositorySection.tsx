// Settings › Backup repository: what the repository is (kind of storage, location, format, encryption, whether
// its key is in this computer's keychain), a form to import a missing key, and the forms that create or adopt a
// repository on a folder, S3 or Azure Blob (RepositoryForm), one of them for copies (policy.repositories); and
// the repositories the fleet's services keep backups in, with what each service uses it for.
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
//   With a repository: button "Add a repository for copies" (aria-expanded) opens form "Create a repository" with
//   checkbox "For copies of the fleet repository's backups" ticked (the same checkbox, unticked, after "Change
//   repository"); list "Repositories in use" (data-testid="repositories-in-use"), one item per location
//   (data-testid="repository-in-use" with data-location) reading its storage, location and its services' uses.
import { useEffect, useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { RepositoryView } from '../../../../shared/backups';
import { fieldErrorsFor } from '../../client/fieldErrors';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatUtc } from '../../format/dateTime';
import { repositoriesInUse, type RepositoryInUse } from '../../format/repositoriesInUse';
import { STORAGE_LABEL } from '../../format/repositoryLocation';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { useServicesStore } from '../../stores/servicesStore';
import { RepositoryForm } from './RepositoryForm';
import { useOneFieldForm } from './useOneFieldForm';

export function RepositorySection() {
  const info = useRepositoryStore((s) => s.info);
  const loaded = useRepositoryStore((s) => s.loaded);
  const error = useRepositoryStore((s) => s.error);
  const load = useRepositoryStore((s) => s.load);
  /** Which forms are open: those that replace the fleet repository, or the one that adds a copy's. */
  const [changing, setChanging] = useState<'replace' | 'copies' | false>(false);
  const [message, setMessage] = useState<ReactNode>(null);
  const formsId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (which: 'replace' | 'copies') => setChanging(changing === which ? false : which);

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
      {info && <RepositoriesInUse fleetRepository={info.path} />}
      {info && (
        <div className="repository__actions">
          <Button size="sm" aria-expanded={changing === 'replace'} aria-controls={changing === 'replace' ? formsId : undefined} onClick={() => toggle('replace')}>
            Change repository
          </Button>
          <Button size="sm" aria-expanded={changing === 'copies'} aria-controls={changing === 'copies' ? formsId : undefined} onClick={() => toggle('copies')}>
            Add a repository for copies
          </Button>
        </div>
      )}
      {loaded && info === null && (
        <p>No backup repository yet. Backups need one: a folder on a local disk or a mounted share, an S3 bucket, or an Azure Blob container.</p>
      )}
      {loaded && (info === null || changing) && (
        <div id={formsId} className="repository__forms">
          {/* Keyed by purpose: opening the other button starts the form afresh with its own tick. */}
          <RepositoryForm
            key={changing || 'first'}
            purpose="create"
            fleetRepository={info ?? undefined}
            forCopiesAtFirst={changing === 'copies'}
            onDone={(view, forCopies) => settled(forCopies ? copiesCreatedMessage(view) : createdMessage(view))}
          />
          {changing !== 'copies' && (
            <RepositoryForm purpose="use" onDone={(view) => settled(<>Now using <span className="mono">{view.path}</span> ({STORAGE_LABEL[view.storage]}).</>)} />
          )}
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

function copiesCreatedMessage(view: RepositoryView): ReactNode {
  return (
    <>
      Created <span className="mono">{view.path}</span> ({STORAGE_LABEL[view.storage]}) for copies, with the fleet repository's key. List it
      under a service's repositories (its Settings tab) to have its backups copied there.
    </>
  );
}

const ROLE_WORD = { first: 'backups taken here', copy: 'copies' } as const;

/** Where the fleet's services keep their backups: the fleet repository, services' own, and their copies. */
function RepositoriesInUse({ fleetRepository }: { fleetRepository: string }) {
  const services = useServicesStore((s) => s.services);
  const created = useRepositoryStore((s) => s.copies);
  // Those the fleet file keeps (created here or by the CLI before), and those created in this window since.
  const recorded = useRepositoryStore((s) => s.info?.createdForCopies);
  const list = useMemo(
    () => repositoriesInUse(services.map((v) => v.service), fleetRepository, [...new Set([...(recorded ?? []), ...created.map((c) => c.path)])]),
    [services, fleetRepository, created, recorded],
  );
  // The fleet repository alone is already described above.
  if (list.length < 2) return null;
  return (
    <div className="repository__in-use">
      <h3 id="repositories-in-use">Repositories in use</h3>
      <ul className="plain-list repository__in-use-list" aria-labelledby="repositories-in-use" data-testid="repositories-in-use">
        {list.map((r) => (
          <li key={r.location} data-testid="repository-in-use" data-location={r.location}>
            <StatusBadge tone="info">{STORAGE_LABEL[r.storage]}</StatusBadge> <span className="mono">{r.location}</span>
            <span className="muted"> · {usesText(r)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function usesText(r: RepositoryInUse): string {
  const uses = r.uses.map((u) => `${u.serviceId} (${ROLE_WORD[u.role]})`).join(', ');
  if (r.isFleetRepository) return uses ? `the fleet repository; ${uses}` : 'the fleet repository; no service yet';
  return uses || 'created for copies; no service lists it yet';
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
