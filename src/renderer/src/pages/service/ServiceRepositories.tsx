// A service's repositories (policy.repositories): where its backups are taken (the first) and where they are
// copied afterwards (read back and checked), WAL stored in each. Read on the Settings tab; "Edit repositories"
// turns the list into boxes offering the repositories the fleet knows, saved through services.update.
//
// Names for end-to-end tests: region "Repositories" (data-testid="settings-repositories"), its list
// data-testid="service-repositories" with items data-testid="service-repository" (data-location, data-role
// first|copy); button "Edit repositories" (aria-expanded); form "Repositories of <id>" with textboxes "First
// repository", "Copy 1", "Copy 2", "Copy 3", buttons "Add a copy", "Remove copy <n>", "Save repositories"
// (data-testid="save-repositories"), "Cancel"; the outcome is a status (data-testid="repositories-message"),
// an error an alert (data-testid="repositories-error").
import { useEffect, useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { policyWithRepositories, repositoriesInUse, repositoriesOf, storageOf } from '../../format/repositoriesInUse';
import { STORAGE_LABEL } from '../../format/repositoryLocation';
import { useRepositoryStore } from '../../stores/repositoryStore';
import { useServicesStore } from '../../stores/servicesStore';
import './ServiceRepositories.css';

/** policy.repositories holds at most four: the first and three copies. */
const MAX_REPOSITORIES = 4;

export function ServiceRepositories({ view }: { view: ServiceView }) {
  const { service } = view;
  const fleetRepository = useRepositoryStore((s) => s.info?.path);
  const repositoryLoaded = useRepositoryStore((s) => s.loaded);
  const loadRepository = useRepositoryStore((s) => s.load);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState('');
  const headingId = useId();
  const formId = useId();

  useEffect(() => {
    if (!repositoryLoaded) void loadRepository();
  }, [repositoryLoaded, loadRepository]);

  const current = repositoriesOf(service, fleetRepository);

  return (
    <section className="panel" aria-labelledby={headingId} data-testid="settings-repositories">
      <h2 id={headingId}>Repositories</h2>
      <p className={message ? 'service-repositories__message' : 'visually-hidden'} role="status" data-testid="repositories-message">
        {message}
      </p>
      {current.length === 0 ? (
        <p className="muted">No repository yet: create one in Settings.</p>
      ) : (
        <ol className="plain-list service-repositories__list" data-testid="service-repositories">
          {current.map((location, i) => (
            <li key={location} data-testid="service-repository" data-location={location} data-role={i === 0 ? 'first' : 'copy'}>
              <StatusBadge tone="info">{STORAGE_LABEL[storageOf(location)]}</StatusBadge> <span className="mono">{location}</span>
              <span className="muted">
                {' · '}
                {i === 0 ? 'backups are taken here' : 'a copy of every backup and WAL segment'}
                {location === fleetRepository && ' (the fleet repository)'}
              </span>
            </li>
          ))}
        </ol>
      )}
      {current.length === 1 && !editing && <p className="muted">One copy only: list a second repository, ideally on other storage, for 3-2-1.</p>}
      <div>
        <Button size="sm" aria-expanded={editing} aria-controls={editing ? formId : undefined} onClick={() => (setEditing(!editing), setMessage(''))}>
          Edit repositories
        </Button>
      </div>
      {editing && (
        <RepositoriesForm
          id={formId}
          view={view}
          fleetRepository={fleetRepository}
          initial={current}
          onCancel={() => setEditing(false)}
          onSaved={(text) => {
            setMessage(text);
            setEditing(false);
          }}
        />
      )}
    </section>
  );
}

interface RepositoriesFormProps {
  id: string;
  view: ServiceView;
  fleetRepository?: string;
  initial: string[];
  onCancel(): void;
  onSaved(message: string): void;
}

function RepositoriesForm({ id, view, fleetRepository, initial, onCancel, onSaved }: RepositoriesFormProps) {
  const { service } = view;
  const services = useServicesStore((s) => s.services);
  const upsert = useServicesStore((s) => s.upsert);
  const created = useRepositoryStore((s) => s.copies);
  const [rows, setRows] = useState<string[]>(() => (initial.length ? initial : ['']));
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();
  const listId = useId();
  const headingId = useId();

  const known = useMemo(
    () => repositoriesInUse(services.map((v) => v.service), fleetRepository, created.map((c) => c.path)).map((r) => r.location),
    [services, fleetRepository, created],
  );

  const setRow = (index: number, value: string) => {
    setRows((r) => r.map((v, i) => (i === index ? value : v)));
    setErrors((e) => {
      const { [index]: _gone, ...rest } = e;
      return rest;
    });
  };

  const check = (): Record<number, string> => {
    const found: Record<number, string> = {};
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      const location = row.trim();
      if (!location) {
        if (i === 0 && rows.length > 1) found[i] = 'Required: the repository backups are taken into.';
        else if (i > 0) found[i] = 'Give a location, or remove this copy.';
      } else if (seen.has(location)) found[i] = 'Listed already: each copy goes to another repository.';
      seen.add(location);
    });
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await appClient().call('services.update', {
        service: { ...service, policy: policyWithRepositories(service.policy, rows, fleetRepository) },
      });
      upsert(saved);
      const chosen = repositoriesOf(saved.service, fleetRepository);
      onSaved(
        chosen.length > 1
          ? `Saved: backups of ${service.id} are taken into ${chosen[0]} and copied into ${chosen.slice(1).join(', ')}.`
          : `Saved: backups of ${service.id} are kept in ${chosen[0] ?? 'the fleet repository'} only.`,
      );
    } catch (err) {
      setError(toWireError(err));
      setBusy(false);
    }
  };

  return (
    <form id={id} className="service-repositories__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        Repositories of {service.id}
      </h3>
      <p className="muted">
        Backups are taken into the first repository, then copied into each copy and read back there; every WAL segment is stored in all of
        them. A copy’s repository shares the first one’s key: create it in Settings with “Add a repository for copies”.
      </p>
      <datalist id={listId}>
        {known.map((location) => (
          <option key={location} value={location} />
        ))}
      </datalist>
      {rows.map((row, i) => (
        <div key={i} className="service-repositories__row">
          <TextField
            label={i === 0 ? 'First repository' : `Copy ${i}`}
            className="mono"
            list={listId}
            autoComplete="off"
            spellCheck={false}
            placeholder={i === 0 ? (fleetRepository ?? '/mnt/backups/lifeboat') : 'azure://account/container/prefix or /mnt/offsite/lifeboat'}
            hint={row.trim() ? STORAGE_LABEL[storageOf(row)] : undefined}
            value={row}
            error={errors[i]}
            onChange={(e) => setRow(i, e.target.value)}
          />
          {i > 0 && (
            <Button size="sm" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
              Remove copy {i}
            </Button>
          )}
        </div>
      ))}
      <div className="service-repositories__buttons">
        <Button size="sm" disabled={rows.length >= MAX_REPOSITORIES} onClick={() => setRows((r) => [...r, ''])}>
          Add a copy
        </Button>
        <span className="service-repositories__spacer" />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy} data-testid="save-repositories">
          Save repositories
        </Button>
      </div>
      {error && <ErrorNotice error={error} testId="repositories-error" />}
    </form>
  );
}
