// Wizard step 3: how the service is known (id, name, owner, tags) and what it promises (RPO, RTO, retention).
import { TextField } from '../../components/Field';
import type { DraftErrors, WizardDraft } from './wizardDraft';

export interface IdentityStepProps {
  draft: WizardDraft;
  errors: DraftErrors;
  update(patch: Partial<WizardDraft>): void;
  /** Edit mode: the id names the service everywhere (repository folders, runbooks), so it stays fixed. */
  idLocked: boolean;
}

export function IdentityStep({ draft, errors, update, idLocked }: IdentityStepProps) {
  return (
    <>
      <div className="wizard__grid wizard__grid--even">
        <TextField
          label="Service id"
          value={draft.id}
          readOnly={idLocked}
          onChange={(e) => update({ id: e.target.value, idTouched: true })}
          error={errors.id}
          hint={idLocked ? 'The id cannot change once a service exists.' : 'Lower-case letters, digits, "-" and "_"; used in folder names.'}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="Display name"
          value={draft.name}
          onChange={(e) => update({ name: e.target.value, nameTouched: true })}
          error={errors.name}
          autoComplete="off"
        />
        <TextField
          label="Owner"
          optional
          hint="The team or person to call when it breaks."
          value={draft.owner}
          onChange={(e) => update({ owner: e.target.value })}
          error={errors.owner}
          autoComplete="off"
        />
        <TextField
          label="Tags"
          optional
          hint="Comma separated, e.g. payments, tier-1"
          value={draft.tags}
          onChange={(e) => update({ tags: e.target.value })}
          error={errors.tags}
          autoComplete="off"
        />
      </div>
      <fieldset className="wizard__policy">
        <legend className="field__label">Policy</legend>
        <div className="wizard__grid wizard__grid--four">
          <TextField
            label="RPO"
            optional
            hint="Most data you can lose, e.g. 15m"
            value={draft.rpo}
            onChange={(e) => update({ rpo: e.target.value })}
            error={errors.rpo}
            autoComplete="off"
          />
          <TextField
            label="RTO"
            optional
            hint="Longest a restore may take, e.g. 4h"
            value={draft.rto}
            onChange={(e) => update({ rto: e.target.value })}
            error={errors.rto}
            autoComplete="off"
          />
          <TextField
            label="Keep backups"
            optional
            hint="Keep the last N backups"
            inputMode="numeric"
            value={draft.keep}
            onChange={(e) => update({ keep: e.target.value })}
            error={errors.keep}
            autoComplete="off"
          />
          <TextField
            label="Keep days"
            optional
            hint="Keep backups this many days"
            inputMode="numeric"
            value={draft.days}
            onChange={(e) => update({ days: e.target.value })}
            error={errors.days}
            autoComplete="off"
          />
        </div>
      </fieldset>
    </>
  );
}
