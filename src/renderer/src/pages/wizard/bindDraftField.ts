// The props that tie a text box to one draft field: its value, its change handler and its error.
import type { ChangeEvent } from 'react';
import type { DraftErrors, WizardDraft } from './wizardDraft';

type TextDraftField = { [K in keyof WizardDraft]: WizardDraft[K] extends string ? K : never }[keyof WizardDraft];

export function bindDraftField(
  draft: WizardDraft,
  errors: DraftErrors,
  update: (patch: Partial<WizardDraft>) => void,
  field: TextDraftField,
  extra: Partial<WizardDraft> = {},
) {
  return {
    value: draft[field],
    onChange: (e: ChangeEvent<HTMLInputElement>) => update({ [field]: e.target.value, ...extra }),
    error: errors[field],
    autoComplete: 'off',
    spellCheck: false,
  };
}
