// Wizard step 1: the engine, and an optional connection URI / string that fills in the next step.
import { useState } from 'react';
import type { EngineKind } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import type { ParsedConnection } from '../../../../shared/contract';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ChoiceGroup, TextAreaField } from '../../components/Field';
import { passwordFromConnectionText } from './passwordFromConnectionText';

export interface EngineStepProps {
  engine: EngineKind;
  onEngine(engine: EngineKind): void;
  /** Receives the parsed connection and, when the text carried one, the password found in it. */
  onParsed(parsed: ParsedConnection, password: string | undefined): void;
}

const ENGINE_OPTIONS = [
  { value: 'postgres', label: 'PostgreSQL', description: 'pg_dump, pg_basebackup and WAL archiving' },
  { value: 'sqlserver', label: 'SQL Server', description: 'BACKUP / RESTORE run by the server' },
] as const;

export function EngineStep({ engine, onEngine, onParsed }: EngineStepProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError>();

  const fillIn = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const parsed = await appClient().call('services.parseConnection', { text: text.trim() });
      const password = parsed.hadPassword ? passwordFromConnectionText(text) : undefined;
      // The pasted text may hold a password in clear: it leaves the screen as soon as it has been read.
      setText('');
      onParsed(parsed, password);
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ChoiceGroup<EngineKind> legend="Engine" name="engine" value={engine} options={ENGINE_OPTIONS} onChange={onEngine} />
      <div className="wizard__paste">
        <TextAreaField
          label="Connection URI or connection string"
          optional
          hint="e.g. postgresql://app@db1.internal:5432/orders or Server=sql1,1433;Database=billing;User Id=backup. A password in it goes to the password field, never on screen."
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          data-testid="connection-string"
        />
        <div>
          <Button onClick={fillIn} busy={busy} disabled={!text.trim()}>
            Fill in from connection string
          </Button>
        </div>
        {error && <ErrorNotice error={error} />}
      </div>
    </>
  );
}
