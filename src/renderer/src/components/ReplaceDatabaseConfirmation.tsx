// The typed-confirmation rule for replacing an existing database, shared by every dialog that writes one:
// the "Replace database" button works only when the exact name has been typed.
// Test ids: "<testIdPrefix>-confirm-name" (the text field) and "<testIdPrefix>-replace" (the button).
import type { ReactNode } from 'react';
import { replaceConfirmed } from '../pages/backups/restoreOutcome';
import { Button } from './Button';
import { TextField } from './Field';

interface Props {
  name: string;
  typed: string;
  onTyped(value: string): void;
  busy: boolean;
  onReplace(): void;
  hint: ReactNode;
  testIdPrefix: string;
  className: string;
}

export function ReplaceDatabaseConfirmation({ name, typed, onTyped, busy, onReplace, hint, testIdPrefix, className }: Props) {
  const confirmed = replaceConfirmed(typed, name);
  return (
    <div className={className}>
      <TextField
        label={
          <>
            Type <span className="mono">{name}</span> to replace it
          </>
        }
        hint={hint}
        value={typed}
        onChange={(e) => onTyped(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        data-testid={`${testIdPrefix}-confirm-name`}
        onKeyDown={(e) => {
          // Enter in this box must not submit the surrounding form (which would be refused again).
          if (e.key === 'Enter') {
            e.preventDefault();
            if (confirmed) onReplace();
          }
        }}
      />
      <div>
        <Button variant="danger" disabled={!confirmed} busy={busy} onClick={onReplace} data-testid={`${testIdPrefix}-replace`}>
          Replace database
        </Button>
      </div>
    </div>
  );
}
