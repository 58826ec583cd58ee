// Wizard step 3, for PostgreSQL: who backs the service up. Lifeboat by default; or pgBackRest or Barman, which
// the team already runs, with the service's stanza or server, found from the engine's own listing (Detect).
import { useState } from 'react';
import type { BackupEngine } from '../../../../shared/domain';
import type { DetectedEngineEntry } from '../../../../shared/engineContract';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ChoiceGroup, TextField } from '../../components/Field';
import { bindDraftField } from './bindDraftField';
import type { DraftErrors, WizardDraft } from './wizardDraft';

const ENGINE_CHOICES = [
  { value: 'lifeboat', label: 'Lifeboat', description: "pg_basebackup, pg_dump and WAL into Lifeboat's repository" },
  { value: 'pgbackrest', label: 'pgBackRest', description: 'a stanza the team already runs: Lifeboat reads, drives and restores through it' },
  { value: 'barman', label: 'Barman', description: 'a Barman server the team already runs' },
] as const;

export interface BackupEngineFieldsProps {
  draft: WizardDraft;
  errors: DraftErrors;
  update(patch: Partial<WizardDraft>): void;
}

export function BackupEngineFields({ draft, errors, update }: BackupEngineFieldsProps) {
  const [found, setFound] = useState<DetectedEngineEntry[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();
  const bind = (field: Parameters<typeof bindDraftField>[3]) => bindDraftField(draft, errors, update, field);
  const engine = draft.backupEngine;
  const isPgBackRest = engine === 'pgbackrest';
  const nameLabel = isPgBackRest ? 'Stanza' : 'Barman server';

  const detect = async () => {
    if (engine === 'lifeboat') return;
    setBusy(true);
    setError(undefined);
    setFound(undefined);
    try {
      setFound(await appClient().call('engines.detect', { engine, ...(draft.engineConfig.trim() ? { config: draft.engineConfig.trim() } : {}), ...(draft.engineOsUser.trim() ? { osUser: draft.engineOsUser.trim() } : {}) }));
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="wizard__policy" data-testid="backup-engine">
      <legend className="field__label">Backed up by</legend>
      <ChoiceGroup<BackupEngine> legend="Backup engine" name="backup-engine" value={engine} options={ENGINE_CHOICES} onChange={(v) => (setFound(undefined), update({ backupEngine: v }))} error={errors.backupEngine} />
      {engine !== 'lifeboat' && (
        <>
          <div className="wizard__grid wizard__grid--even">
            <TextField label={nameLabel} {...bind('engineName')} hint={isPgBackRest ? 'The stanza in pgBackRest\'s config, e.g. main' : 'The server section in Barman\'s config, e.g. pg'} />
            <TextField label="Config file" optional {...bind('engineConfig')} hint={isPgBackRest ? 'Default /etc/pgbackrest/pgbackrest.conf' : 'Default /etc/barman.conf'} />
            {isPgBackRest && <TextField label="Repository number" optional inputMode="numeric" {...bind('engineRepo')} hint="pgBackRest's --repo, when the stanza has several" />}
            <TextField label="Run as account" optional {...bind('engineOsUser')} hint={isPgBackRest ? 'The owner of the repository, usually postgres' : 'Barman\'s account, usually barman'} />
          </div>
          <div>
            <Button onClick={detect} busy={busy}>
              Detect {isPgBackRest ? 'stanzas' : 'servers'}
            </Button>
          </div>
          {error && <ErrorNotice error={error} />}
          {found && (
            <ul className="plain-list" aria-label={isPgBackRest ? 'Stanzas found' : 'Servers found'} data-testid="detected-engine-entries">
              {found.length === 0 && <li>None found{draft.engineConfig.trim() ? ` in ${draft.engineConfig.trim()}` : ''}.</li>}
              {found.map((f) => (
                <li key={f.name}>
                  <Button onClick={() => update({ engineName: f.name })}>
                    Use {f.name}
                  </Button>{' '}
                  {f.status}
                  {f.backups === undefined ? '' : `, ${f.backups} backup${f.backups === 1 ? '' : 's'}`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </fieldset>
  );
}
