// The wizard's form state as strings, and its conversion to the contract's service and connection inputs.
import type { ParsedConnection } from '../../../../shared/contract';
import { TLS_MODES } from '../../../../shared/domain';
import type { BackupEngine, EngineKind, PasswordSource, Service, ServiceInput, TlsMode } from '../../../../shared/domain';
import type { FieldErrors } from '../../client/fieldErrors';
import { DEFAULT_PORT } from '../../format/engineLabel';
import { suggestServiceId } from './suggestServiceId';

export type PasswordSourceKind = PasswordSource['kind'];

/** Everything the wizard edits except the password, which lives only in the wizard component's state. */
export interface WizardDraft {
  engine: EngineKind;
  host: string;
  port: string;
  database: string;
  user: string;
  tls: TlsMode;
  instance: string;
  passwordSource: PasswordSourceKind;
  envVariable: string;
  passfilePath: string;
  id: string;
  name: string;
  owner: string;
  tags: string;
  rpo: string;
  rto: string;
  keep: string;
  days: string;
  /** Who backs a PostgreSQL service up, and where the service lives in that engine (pgBackRest's stanza,
   * config file, repository number; Barman's server and config file; the account that runs either). */
  backupEngine: BackupEngine;
  engineName: string;
  engineConfig: string;
  engineRepo: string;
  engineOsUser: string;
  /** Once the DBA typed an id or a name, the wizard stops suggesting one from the database. */
  idTouched: boolean;
  nameTouched: boolean;
}

export type DraftField = Exclude<keyof WizardDraft, 'idTouched' | 'nameTouched'> | 'password';

/** TLS modes that mean something for each engine (SQL Server: off, encrypt, encrypt and verify). */
export const TLS_OPTIONS: Record<EngineKind, readonly TlsMode[]> = {
  postgres: TLS_MODES,
  sqlserver: ['disable', 'require', 'verify-full'],
};
const DEFAULT_TLS: Record<EngineKind, TlsMode> = { postgres: 'prefer', sqlserver: 'require' };

export function emptyDraft(engine: EngineKind = 'postgres'): WizardDraft {
  return {
    engine,
    host: '',
    port: String(DEFAULT_PORT[engine]),
    database: '',
    user: '',
    tls: DEFAULT_TLS[engine],
    instance: '',
    passwordSource: 'keychain',
    envVariable: '',
    passfilePath: '',
    id: '',
    name: '',
    owner: '',
    tags: '',
    rpo: '',
    rto: '',
    keep: '',
    days: '',
    backupEngine: 'lifeboat',
    engineName: '',
    engineConfig: '',
    engineRepo: '',
    engineOsUser: '',
    idTouched: false,
    nameTouched: false,
  };
}

export function draftFromService(service: Service): WizardDraft {
  const c = service.connection;
  const p = service.policy;
  return {
    engine: service.engine,
    host: c.host,
    port: String(c.port),
    database: c.database,
    user: c.user,
    tls: c.tls,
    instance: c.instance ?? '',
    passwordSource: c.password.kind,
    envVariable: c.password.kind === 'env' ? c.password.variable : '',
    passfilePath: c.password.kind === 'passfile' ? (c.password.path ?? '') : '',
    id: service.id,
    name: service.name,
    owner: service.owner ?? '',
    tags: service.tags.join(', '),
    rpo: p.rpo ?? '',
    rto: p.rto ?? '',
    keep: p.retention?.keep === undefined ? '' : String(p.retention.keep),
    days: p.retention?.days === undefined ? '' : String(p.retention.days),
    backupEngine: p.engine ?? 'lifeboat',
    engineName: p.pgbackrest?.stanza ?? p.barman?.server ?? '',
    engineConfig: p.pgbackrest?.config ?? p.barman?.config ?? '',
    engineRepo: p.pgbackrest?.repo === undefined ? '' : String(p.pgbackrest.repo),
    engineOsUser: p.pgbackrest?.osUser ?? p.barman?.osUser ?? '',
    idTouched: true,
    nameTouched: true,
  };
}

/** Switching engine moves the port and TLS mode to the new engine's defaults unless the DBA changed them. */
export function withEngine(draft: WizardDraft, engine: EngineKind): WizardDraft {
  if (engine === draft.engine) return draft;
  const portWasDefault = draft.port === '' || draft.port === String(DEFAULT_PORT[draft.engine]);
  return {
    ...draft,
    engine,
    port: portWasDefault ? String(DEFAULT_PORT[engine]) : draft.port,
    tls: TLS_OPTIONS[engine].includes(draft.tls) && draft.tls !== DEFAULT_TLS[draft.engine] ? draft.tls : DEFAULT_TLS[engine],
    passwordSource: engine === 'sqlserver' && draft.passwordSource === 'passfile' ? 'keychain' : draft.passwordSource,
  };
}

/** Typing the database name keeps suggesting an id and a display name until the DBA sets their own. */
export function withDatabase(draft: WizardDraft, database: string): WizardDraft {
  return {
    ...draft,
    database,
    id: draft.idTouched ? draft.id : suggestServiceId(database),
    name: draft.nameTouched ? draft.name : database,
  };
}

/** Prefills from services.parseConnection; the password, if any, is the caller's business. */
export function withParsedConnection(draft: WizardDraft, parsed: ParsedConnection): WizardDraft {
  const c = parsed.connection;
  const next = withDatabase(
    {
      ...withEngine(draft, parsed.engine),
      host: c.host,
      port: String(c.port),
      user: c.user,
      tls: TLS_OPTIONS[parsed.engine].includes(c.tls) ? c.tls : DEFAULT_TLS[parsed.engine],
      instance: c.instance ?? '',
      passwordSource: parsed.hadPassword ? 'keychain' : c.password.kind,
      envVariable: c.password.kind === 'env' ? c.password.variable : draft.envVariable,
      passfilePath: c.password.kind === 'passfile' ? (c.password.path ?? '') : draft.passfilePath,
    },
    c.database,
  );
  if (parsed.suggestedId && !draft.idTouched) next.id = parsed.suggestedId;
  return next;
}

function passwordSourceOf(draft: WizardDraft): PasswordSource {
  switch (draft.passwordSource) {
    case 'env':
      return { kind: 'env', variable: draft.envVariable.trim() };
    case 'passfile':
      return draft.passfilePath.trim() ? { kind: 'passfile', path: draft.passfilePath.trim() } : { kind: 'passfile' };
    case 'none':
      return { kind: 'none' };
    default:
      return { kind: 'keychain' };
  }
}

/** A port the schema will reject with a clear message when the text is not a whole number. */
function portOf(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

function optionalInt(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function connectionFromDraft(draft: WizardDraft): ServiceInput['connection'] {
  const instance = draft.instance.trim();
  return {
    host: draft.host.trim(),
    port: portOf(draft.port),
    database: draft.database.trim(),
    user: draft.user.trim(),
    tls: draft.tls,
    ...(draft.engine === 'sqlserver' && instance ? { instance } : {}),
    password: passwordSourceOf(draft),
  };
}

/** The policy's engine and its coordinates; a Lifeboat service carries none. */
function backupEnginePolicy(draft: WizardDraft): ServiceInput['policy'] {
  if (draft.engine !== 'postgres' || draft.backupEngine === 'lifeboat') return {};
  const config = draft.engineConfig.trim() || undefined;
  const osUser = draft.engineOsUser.trim() || undefined;
  if (draft.backupEngine === 'pgbackrest') return { engine: 'pgbackrest', pgbackrest: { stanza: draft.engineName.trim(), config, repo: optionalInt(draft.engineRepo), osUser } };
  return { engine: 'barman', barman: { server: draft.engineName.trim(), config, osUser } };
}

/**
 * The service to save; what the wizard does not edit (team, contacts, the policy's repositories, schedules,
 * drill checks, replication thresholds, SQL Server settings) is kept from `base`: services.update replaces
 * the whole service.
 */
export function serviceFromDraft(draft: WizardDraft, base?: Service): ServiceInput {
  const keep = optionalInt(draft.keep);
  const days = optionalInt(draft.days);
  const retention = keep === undefined && days === undefined ? undefined : { keep, days };
  const owner = draft.owner.trim();
  const { owner: _owner, tags: _tags, policy: basePolicy, ...kept } = base ?? { policy: {} };
  const { rpo: _rpo, rto: _rto, retention: _retention, engine: _engine, pgbackrest: _pgbackrest, barman: _barman, ...keptPolicy } = basePolicy;
  return {
    ...kept,
    id: draft.id.trim(),
    name: draft.name.trim(),
    ...(owner ? { owner } : {}),
    engine: draft.engine,
    connection: connectionFromDraft(draft),
    tags: draft.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    policy: {
      ...keptPolicy,
      ...(draft.rpo.trim() ? { rpo: draft.rpo.trim() } : {}),
      ...(draft.rto.trim() ? { rto: draft.rto.trim() } : {}),
      ...(retention ? { retention } : {}),
      ...backupEnginePolicy(draft),
    },
  };
}

/** Schema paths (after "service." or at the top of testDraft's input) -> the wizard field that shows them. */
const FIELD_OF_PATH: [RegExp, DraftField][] = [
  [/^connection\.host$/, 'host'],
  [/^connection\.port$/, 'port'],
  [/^connection\.database$/, 'database'],
  [/^connection\.user$/, 'user'],
  [/^connection\.tls$/, 'tls'],
  [/^connection\.instance$/, 'instance'],
  [/^connection\.password\.variable$/, 'envVariable'],
  [/^connection\.password\.path$/, 'passfilePath'],
  [/^connection\.password/, 'passwordSource'],
  [/^id$/, 'id'],
  [/^name$/, 'name'],
  [/^owner$/, 'owner'],
  [/^tags(\.|$)/, 'tags'],
  [/^policy\.rpo$/, 'rpo'],
  [/^policy\.rto$/, 'rto'],
  [/^policy\.retention\.keep$/, 'keep'],
  [/^policy\.retention\.days$/, 'days'],
  [/^policy\.(pgbackrest\.stanza|barman\.server|pgbackrest|barman)$/, 'engineName'],
  [/^policy\.(pgbackrest|barman)\.config$/, 'engineConfig'],
  [/^policy\.pgbackrest\.repo$/, 'engineRepo'],
  [/^policy\.(pgbackrest|barman)\.osUser$/, 'engineOsUser'],
  [/^engine$/, 'engine'],
  [/^password$/, 'password'],
];

const FRIENDLIER: Partial<Record<DraftField, (message: string) => string>> = {
  port: (m) => (m === 'Required.' ? m : 'A port number from 1 to 65535.'),
  keep: () => 'A whole number of backups, 1 or more.',
  days: () => 'A whole number of days, 1 or more.',
  password: (m) => (m === 'Required.' ? m : 'At most 1024 characters.'),
};

export type DraftErrors = Partial<Record<DraftField, string>>;

export function draftErrors(errors: FieldErrors): DraftErrors {
  const result: DraftErrors = {};
  for (const [rawPath, message] of Object.entries(errors)) {
    const path = rawPath.replace(/^service\./, '');
    const match = FIELD_OF_PATH.find(([pattern]) => pattern.test(path));
    const field = match?.[1];
    if (!field || result[field]) continue;
    result[field] = FRIENDLIER[field]?.(message) ?? message;
  }
  return result;
}

export const STEP_FIELDS: readonly (readonly DraftField[])[] = [
  ['engine'],
  ['host', 'port', 'database', 'user', 'tls', 'instance', 'passwordSource', 'envVariable', 'passfilePath', 'password'],
  ['id', 'name', 'owner', 'tags', 'rpo', 'rto', 'keep', 'days', 'backupEngine', 'engineName', 'engineConfig', 'engineRepo', 'engineOsUser'],
];

/** The first step (0-based) that shows one of these errors, so Save can take the DBA there. */
export function firstStepWithError(errors: DraftErrors): number | undefined {
  const index = STEP_FIELDS.findIndex((fields) => fields.some((f) => errors[f]));
  return index < 0 ? undefined : index;
}
