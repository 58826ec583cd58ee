// The Add / Edit service wizard: engine, connection (with an unsaved Test connection), then identity and policy.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   dialog "Add service" or "Edit service <id>" (data-testid="service-wizard"), step list "Wizard steps"
//   step 1: radios "PostgreSQL" / "SQL Server" in group "Engine"; textbox "Connection URI or connection string"
//           (data-testid="connection-string"); button "Fill in from connection string"
//   step 2: textboxes "Host", "Port", "Database", "User", "Instance name" (SQL Server only); combobox "TLS mode";
//           radios in group "Password source": "Store in OS keychain", "Environment variable",
//           "PostgreSQL passfile (~/.pgpass)" (PostgreSQL only), "None"; then "Password" (type=password),
//           "Environment variable name" or "Passfile path"; button "Test connection";
//           region "Connection test result" (data-testid="connection-test-result", data-status=idle|testing|ok|error)
//           holding "PostgreSQL 15.18" (data-testid="server-version") or the error code (e.g. AUTH_FAILED) and hint
//   step 3: textboxes "Service id", "Display name", "Owner", "Tags", "RPO", "RTO", "Keep backups", "Keep days";
//           PostgreSQL: radios "Lifeboat" / "pgBackRest" / "Barman" in group "Backup engine", then "Stanza" or
//           "Barman server", "Config file", "Repository number" (pgBackRest), "Run as account"; button
//           "Detect stanzas" / "Detect servers" listing "Use <name>" buttons (data-testid="detected-engine-entries")
//   footer: buttons "Cancel", "Back", "Next", "Save service"; field errors are each field's description;
//           a save error is an alert (data-testid="save-error")
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ParsedConnection } from '../../../../shared/contract';
import type { EngineKind, ServiceView } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { fieldErrorsFor } from '../../client/fieldErrors';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ConnectionStep } from './ConnectionStep';
import { EngineStep } from './EngineStep';
import { IdentityStep } from './IdentityStep';
import {
  STEP_FIELDS,
  connectionFromDraft,
  draftErrors,
  draftFromService,
  emptyDraft,
  firstStepWithError,
  serviceFromDraft,
  withDatabase,
  withEngine,
  withParsedConnection,
} from './wizardDraft';
import type { DraftErrors, DraftField, WizardDraft } from './wizardDraft';
import './ServiceWizard.css';

export interface ServiceWizardProps {
  /** The service to edit; absent to add a new one. */
  editing?: ServiceView;
  onClose(): void;
  onSaved(view: ServiceView): void;
}

const STEPS = ['Engine', 'Connection', 'Identity and policy'] as const;
const CONNECTION_FIELDS = new Set<string>(STEP_FIELDS[1]);

export function ServiceWizard({ editing, onClose, onSaved }: ServiceWizardProps) {
  const formId = useId();
  const [step, setStep] = useState(editing ? 1 : 0);
  const [draft, setDraft] = useState<WizardDraft>(() => (editing ? draftFromService(editing.service) : emptyDraft()));
  // The password lives here only: never in a store, never logged, cleared once saved.
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<DraftErrors>({});
  const [test, setTest] = useState<ConnectionTestState>({ status: 'idle' });
  const [notice, setNotice] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<WireError>();
  const testAbort = useRef<AbortController | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const shownStep = useRef(step);
  // Bumped each time validation stops the DBA, so the first invalid field gets the focus.
  const [blocked, setBlocked] = useState(0);

  // Closing the wizard cancels a test still running (the door aborts it on the other side).
  useEffect(() => () => testAbort.current?.abort(), []);

  // Moving to another step puts the focus on its heading, so a screen reader says where the DBA is.
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    stepHeading.current?.focus();
  }, [step]);

  useEffect(() => {
    if (blocked) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [blocked]);

  const block = (found: DraftErrors) => {
    setErrors(found);
    setBlocked((n) => n + 1);
  };

  const clearErrors = (fields: string[]) =>
    setErrors((e) => {
      if (!fields.some((f) => f in e)) return e;
      const next = { ...e };
      for (const f of fields) delete next[f as DraftField];
      return next;
    });

  /** A changed connection makes the last test result stale. */
  const invalidateTest = () => {
    testAbort.current?.abort();
    testAbort.current = null;
    setTest({ status: 'idle' });
  };

  const update = (patch: Partial<WizardDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    const fields = Object.keys(patch);
    clearErrors(fields);
    if (fields.some((f) => CONNECTION_FIELDS.has(f))) invalidateTest();
  };

  const onEngine = (engine: EngineKind) => {
    setDraft((d) => withEngine(d, engine));
    invalidateTest();
  };

  const onDatabase = (database: string) => {
    setDraft((d) => withDatabase(d, database));
    clearErrors(['database', 'id', 'name']);
    invalidateTest();
  };

  const onPassword = (value: string) => {
    setPassword(value);
    clearErrors(['password']);
    invalidateTest();
  };

  const onParsed = (parsed: ParsedConnection, found: string | undefined) => {
    setDraft((d) => withParsedConnection(d, parsed));
    if (found) setPassword(found);
    setErrors({});
    invalidateTest();
    setNotice(
      parsed.hadPassword
        ? found
          ? 'Filled in from the connection string. Its password is in the Password field (hidden).'
          : 'Filled in from the connection string. It had a password: type it in the Password field.'
        : 'Filled in from the connection string.',
    );
    setStep(1);
  };

  const passwordToSend = () => (draft.passwordSource === 'keychain' && password ? password : undefined);

  const connectionErrors = (): DraftErrors => {
    const pw = passwordToSend();
    return draftErrors(
      fieldErrorsFor('services.testDraft', {
        engine: draft.engine,
        connection: connectionFromDraft(draft),
        ...(pw ? { password: pw } : {}),
      }),
    );
  };

  const runTest = async () => {
    const found = connectionErrors();
    if (Object.keys(found).length) {
      block(found);
      return;
    }
    testAbort.current?.abort();
    const controller = new AbortController();
    testAbort.current = controller;
    setTest({ status: 'testing' });
    const pw = passwordToSend();
    try {
      const report = await appClient().call(
        'services.testDraft',
        { engine: draft.engine, connection: connectionFromDraft(draft), ...(pw ? { password: pw } : {}) },
        { signal: controller.signal },
      );
      if (!controller.signal.aborted) setTest({ status: 'ok', report });
    } catch (err) {
      if (!controller.signal.aborted) setTest({ status: 'error', error: toWireError(err) });
    }
  };

  const save = async () => {
    const pw = passwordToSend();
    const input = { service: serviceFromDraft(draft, editing?.service), ...(pw ? { password: pw } : {}) };
    const found = draftErrors(fieldErrorsFor('services.add', input));
    if (Object.keys(found).length) {
      setStep(firstStepWithError(found) ?? step);
      block(found);
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const view = editing ? await appClient().call('services.update', input) : await appClient().call('services.add', input);
      setPassword('');
      onSaved(view);
      onClose();
    } catch (err) {
      const error = toWireError(err);
      setSaveError(error);
      if (error.code === 'CONFLICT') {
        setErrors((e) => ({ ...e, id: error.message }));
        setStep(2);
      }
      setSaving(false);
    }
  };

  const next = () => {
    if (step === 1) {
      const found = connectionErrors();
      if (Object.keys(found).length) {
        block(found);
        return;
      }
    }
    setStep((s) => Math.min(s + 1, STEPS.length - 1));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (step < STEPS.length - 1) next();
    else void save();
  };

  const isLast = step === STEPS.length - 1;
  const errorCount = Object.keys(errors).length;

  return (
    <Dialog
      title={editing ? `Edit service ${editing.service.id}` : 'Add service'}
      onClose={onClose}
      size="lg"
      testId="service-wizard"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <span className="wizard__spacer" />
          {step > 0 && <Button onClick={() => setStep(step - 1)}>Back</Button>}
          {isLast ? (
            <Button type="submit" form={formId} variant="primary" busy={saving}>
              Save service
            </Button>
          ) : (
            <Button type="submit" form={formId} variant="primary">
              Next
            </Button>
          )}
        </>
      }
    >
      <ol className="plain-list wizard__steps" aria-label="Wizard steps">
        {STEPS.map((name, i) => (
          <li key={name} className={`wizard__step${i === step ? ' wizard__step--current' : ''}${i < step ? ' wizard__step--done' : ''}`} aria-current={i === step ? 'step' : undefined}>
            <span className="wizard__step-number" aria-hidden="true">
              {i < step ? '✓' : i + 1}
            </span>
            {name}
          </li>
        ))}
      </ol>

      <form ref={formRef} id={formId} className="wizard__form" onSubmit={onSubmit} noValidate>
        <h3 ref={stepHeading} tabIndex={-1} className="wizard__step-title">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h3>
        {notice && step === 1 && (
          <p className="wizard__notice" role="status">
            {notice}
          </p>
        )}
        {errorCount > 0 && (
          <p className="wizard__error-summary" role="alert">
            {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
          </p>
        )}
        {step === 0 && <EngineStep engine={draft.engine} onEngine={onEngine} onParsed={onParsed} />}
        {step === 1 && (
          <ConnectionStep
            draft={draft}
            errors={errors}
            update={update}
            onDatabase={onDatabase}
            password={password}
            onPassword={onPassword}
            hasStoredPassword={editing?.hasStoredPassword ?? false}
            test={test}
            onTest={() => void runTest()}
          />
        )}
        {step === 2 && <IdentityStep draft={draft} errors={errors} update={update} idLocked={Boolean(editing)} />}
        {saveError && <ErrorNotice error={saveError} testId="save-error" />}
      </form>
    </Dialog>
  );
}
