// Wizard step 2: where the database is, how to sign in, and a Test connection button that tries it unsaved.
import type { EngineKind, TlsMode } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { ChoiceGroup, SelectField, TextField } from '../../components/Field';
import { ConnectionTestResult } from '../../components/ConnectionTestResult';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { bindDraftField } from './bindDraftField';
import { TLS_OPTIONS } from './wizardDraft';
import type { DraftErrors, PasswordSourceKind, WizardDraft } from './wizardDraft';

export interface ConnectionStepProps {
  draft: WizardDraft;
  errors: DraftErrors;
  update(patch: Partial<WizardDraft>): void;
  onDatabase(database: string): void;
  password: string;
  onPassword(password: string): void;
  /** Edit mode: a password is already in the keychain, so an empty box keeps it. */
  hasStoredPassword: boolean;
  test: ConnectionTestState;
  onTest(): void;
}

const TLS_LABEL: Record<EngineKind, Partial<Record<TlsMode, string>>> = {
  postgres: {
    disable: 'disable — no TLS',
    prefer: 'prefer — TLS if the server offers it',
    require: 'require — TLS, certificate not checked',
    'verify-ca': 'verify-ca — TLS, certificate signed by a trusted CA',
    'verify-full': 'verify-full — TLS, CA and host name checked',
  },
  sqlserver: {
    disable: 'disable — no encryption',
    require: 'require — encrypt, trust the server certificate',
    'verify-full': 'verify-full — encrypt and verify the certificate',
  },
};

function tlsOptions(engine: EngineKind, current: TlsMode) {
  const modes = TLS_OPTIONS[engine].includes(current) ? TLS_OPTIONS[engine] : [...TLS_OPTIONS[engine], current];
  return modes.map((m) => ({ value: m, label: TLS_LABEL[engine][m] ?? m }));
}

function passwordSources(engine: EngineKind) {
  return [
    { value: 'keychain', label: 'Store in OS keychain', description: 'Typed once here, kept by the operating system' },
    { value: 'env', label: 'Environment variable', description: 'Read when Lifeboat connects' },
    ...(engine === 'postgres'
      ? [{ value: 'passfile', label: 'PostgreSQL passfile (~/.pgpass)', description: 'libpq looks the password up' } as const]
      : []),
    { value: 'none', label: 'None', description: 'Trust, certificate or OS authentication' },
  ] as const satisfies readonly { value: PasswordSourceKind; label: string; description: string }[];
}

export function ConnectionStep(props: ConnectionStepProps) {
  const { draft, errors, update, onDatabase, password, onPassword, hasStoredPassword, test, onTest } = props;
  const isSqlServer = draft.engine === 'sqlserver';
  const bind = (field: Parameters<typeof bindDraftField>[3]) => bindDraftField(draft, errors, update, field);
  return (
    <>
      <div className="wizard__grid">
        <TextField label="Host" {...bind('host')} placeholder={isSqlServer ? 'sql1.internal' : 'db1.internal'} />
        <TextField label="Port" inputMode="numeric" {...bind('port')} />
        <TextField label="Database" {...bind('database')} onChange={(e) => onDatabase(e.target.value)} />
        <TextField label="User" {...bind('user')} />
        <SelectField
          label="TLS mode"
          value={draft.tls}
          options={tlsOptions(draft.engine, draft.tls)}
          onChange={(e) => update({ tls: e.target.value as TlsMode })}
          error={errors.tls}
        />
        {isSqlServer && (
          <TextField
            label="Instance name"
            optional
            hint="For a named instance (HOST\INSTANCE); leave empty for the default one."
            {...bind('instance')}
          />
        )}
      </div>

      <ChoiceGroup<PasswordSourceKind>
        legend="Password source"
        name="password-source"
        value={draft.passwordSource}
        options={passwordSources(draft.engine)}
        onChange={(passwordSource) => update({ passwordSource })}
        error={errors.passwordSource}
      />
      {draft.passwordSource === 'keychain' && (
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => onPassword(e.target.value)}
          error={errors.password}
          optional={hasStoredPassword}
          hint={
            hasStoredPassword
              ? 'A password is stored in the keychain; leave this empty to keep it.'
              : 'Stored only in the OS keychain, never in Lifeboat’s files.'
          }
        />
      )}
      {draft.passwordSource === 'env' && (
        <TextField label="Environment variable name" placeholder="ORDERS_DB_PASSWORD" {...bind('envVariable')} />
      )}
      {draft.passwordSource === 'passfile' && (
        <TextField label="Passfile path" optional hint="Leave empty for ~/.pgpass (or PGPASSFILE)." {...bind('passfilePath')} />
      )}

      <div className="wizard__test">
        <div>
          <Button onClick={onTest} busy={test.status === 'testing'}>
            Test connection
          </Button>
        </div>
        <ConnectionTestResult state={test} idleText="Test the connection before saving: Lifeboat checks the version and the privileges backups need." />
      </div>
    </>
  );
}
