// Wizard step 3: how the service is known (id, name, owner, tags), what it promises (RPO, RTO, retention) and,
// for PostgreSQL, who backs it up.
import { TextField } from '../../components/Field';
import { bindDraftField } from './bindDraftField';
import { BackupEngineFields } from './BackupEngineFields';
import type { DraftErrors, WizardDraft } from './wizardDraft';

export interface IdentityStepProps {
  draft: WizardDraft;
  errors: DraftErrors;
  update(patch: Partial<WizardDraft>): void;
  /** Edit mode: the id names the service everywhere (repository folders, runbooks), so it stays fixed. */
  idLocked: boolean;
}

export function IdentityStep({ draft, errors, update, idLocked }: IdentityStepProps) {
  const bind = (field: Parameters<typeof bindDraftField>[3], extra?: Partial<WizardDraft>) => bindDraftField(draft, errors, update, field, extra);
  return (
    <>
      <div className="wizard__grid wizard__grid--even">
        <TextField
          label="Service id"
          {...bind('id', { idTouched: true })}
          readOnly={idLocked}
          hint={idLocked ? 'The id cannot change once a service exists.' : 'Lower-case letters, digits, "-" and "_"; used in folder names.'}
        />
        <TextField label="Display name" {...bind('name', { nameTouched: true })} spellCheck />
        <TextField label="Owner" optional hint="The team or person to call when it breaks." {...bind('owner')} />
        <TextField label="Tags" optional hint="Comma separated, e.g. payments, tier-1" {...bind('tags')} />
      </div>
      <fieldset className="wizard__policy">
        <legend className="field__label">Policy</legend>
        <div className="wizard__grid wizard__grid--four">
          <TextField label="RPO" optional hint="Most data you can lose, e.g. 15m" {...bind('rpo')} />
          <TextField label="RTO" optional hint="Longest a restore may take, e.g. 4h" {...bind('rto')} />
          <TextField label="Keep backups" optional hint="Keep the last N backups" inputMode="numeric" {...bind('keep')} />
          <TextField label="Keep days" optional hint="Keep backups this many days" inputMode="numeric" {...bind('days')} />
        </div>
      </fieldset>
      {draft.engine === 'postgres' && <BackupEngineFields draft={draft} errors={errors} update={update} />}
    </>
  );
}
