// `lifeboat services list|add|remove|test`: the fleet inventory from a terminal or a script.
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { dispatchCall } from '../../core/doorDispatch';
import { LifeboatError } from '../../core/lifeboatError';
import { parseConnectionText } from '../../core/inventory/parseConnectionText';
import type { ConnectionReport, PasswordSource, ServiceInput, ServiceView } from '../../shared/domain';
import type { DetectedEngineEntry } from '../../shared/engineContract';
import type { Output } from './cliOutput';
import { table } from './cliOutput';
import { SERVICES_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';

export async function servicesCommand(core: Core, args: string[], out: Output, stdin: () => Promise<string>): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      return call(core, out, 'services.list', {}, (views: ServiceView[]) => renderList(views));
    case 'add':
      return add(core, rest, out, stdin);
    case 'remove':
      return call(core, out, 'services.remove', { id: requireId(rest) }, (r: { removed: string }) => `Removed ${r.removed} from the fleet (and its stored password).`);
    case 'test':
      return call(core, out, 'services.test', { id: requireId(rest) }, (r: ConnectionReport) => renderReport(requireId(rest), r));
    case 'detect':
      return detect(core, rest, out);
    default:
      throw new LifeboatError('INVALID_INPUT', `Unknown services command: ${sub ?? '(none)'}`, `Usage:\n${SERVICES_USAGE}`);
  }
}

async function call<T>(core: Core, out: Output, method: string, input: unknown, human: (value: T) => string): Promise<number> {
  const outcome = await dispatchCall(core, method, input);
  if (!outcome.ok) return out.error(outcome.error);
  out.result(outcome.value, () => human(outcome.value as T));
  return 0;
}

function requireId(args: string[]): string {
  const id = args.find((a) => !a.startsWith('-'));
  if (!id) throw new LifeboatError('INVALID_INPUT', 'A service id is required.', 'Pass the id, e.g. "lifeboat services test orders".');
  return id;
}

async function add(core: Core, args: string[], out: Output, stdin: () => Promise<string>): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      id: { type: 'string' },
      uri: { type: 'string' },
      name: { type: 'string' },
      owner: { type: 'string' },
      tag: { type: 'string', multiple: true },
      'password-env': { type: 'string' },
      passfile: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'no-password': { type: 'boolean' },
      json: { type: 'boolean' },
      ...ENGINE_OPTIONS,
    },
    allowNegative: false,
  });
  if (!values.uri) throw new LifeboatError('INVALID_INPUT', '--uri is required.', 'Pass a PostgreSQL URI (postgres://user@host:port/db) or a SQL Server connection string.');
  const parsed = parseConnectionText(values.uri);
  const id = values.id ?? parsed.suggestedId;
  if (!id) throw new LifeboatError('INVALID_INPUT', '--id is required.', 'Choose a short id such as "orders".');

  let password: string | undefined = parsed.password;
  let source: PasswordSource = { kind: 'keychain' };
  if (values['password-env']) source = { kind: 'env', variable: values['password-env'] };
  else if (values.passfile !== undefined) source = values.passfile ? { kind: 'passfile', path: values.passfile } : { kind: 'passfile' };
  else if (values['no-password']) source = { kind: 'none' };
  else if (values['password-stdin']) password = (await stdin()).replace(/\r?\n$/, '');
  if (source.kind !== 'keychain' && password !== undefined)
    throw new LifeboatError('INVALID_INPUT', 'The connection text carries a password, but the password source is not the keychain.', 'Remove the password from the URI, or drop --password-env/--passfile/--no-password.');

  const service: ServiceInput = {
    id,
    name: values.name ?? id,
    owner: values.owner,
    engine: parsed.engine,
    connection: { ...parsed.connection, password: source },
    tags: values.tag ?? [],
    policy: backupEnginePolicy(values),
  };
  return call(core, out, 'services.add', { service, ...(password !== undefined ? { password } : {}) }, (v: ServiceView) =>
    `Added ${v.service.id} (${engineName(v.service.engine)} ${v.service.connection.host}:${v.service.connection.port}/${v.service.connection.database}).` +
    (password !== undefined ? ' Its password is in the OS keychain.' : '') +
    `\nNext: lifeboat services test ${v.service.id}`,
  );
}

/** The options that name the engine a service is backed up by, spelled as in the policy. */
const ENGINE_OPTIONS = {
  'backup-engine': { type: 'string' },
  stanza: { type: 'string' },
  'pgbackrest-config': { type: 'string' },
  'pgbackrest-repo': { type: 'string' },
  'barman-server': { type: 'string' },
  'barman-config': { type: 'string' },
  'engine-os-user': { type: 'string' },
} as const;

type EngineValues = { [K in keyof typeof ENGINE_OPTIONS]?: string };

function backupEnginePolicy(v: EngineValues): ServiceInput['policy'] {
  switch (v['backup-engine']) {
    case undefined:
    case 'lifeboat':
      return {};
    case 'pgbackrest':
      if (!v.stanza) throw new LifeboatError('INVALID_INPUT', '--stanza is required with --backup-engine pgbackrest.', 'Find it with: lifeboat services detect pgbackrest [--pgbackrest-config FILE]');
      return { engine: 'pgbackrest', pgbackrest: { stanza: v.stanza, config: v['pgbackrest-config'], repo: v['pgbackrest-repo'] ? Number(v['pgbackrest-repo']) : undefined, osUser: v['engine-os-user'] } };
    case 'barman':
      if (!v['barman-server']) throw new LifeboatError('INVALID_INPUT', '--barman-server is required with --backup-engine barman.', 'Find it with: lifeboat services detect barman [--barman-config FILE]');
      return { engine: 'barman', barman: { server: v['barman-server'], config: v['barman-config'], osUser: v['engine-os-user'] } };
    default:
      throw new LifeboatError('INVALID_INPUT', `Unknown backup engine: ${v['backup-engine']}`, 'Use lifeboat (the default), pgbackrest or barman.');
  }
}

async function detect(core: Core, args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...ENGINE_OPTIONS, json: { type: 'boolean' } }, allowPositionals: true });
  const engine = positionals[0];
  if (engine !== 'pgbackrest' && engine !== 'barman') throw new LifeboatError('INVALID_INPUT', 'Name the engine: pgbackrest or barman.', `Usage:\n${SERVICES_USAGE}`);
  const config = engine === 'pgbackrest' ? values['pgbackrest-config'] : values['barman-config'];
  return call(core, out, 'engines.detect', { engine, config, osUser: values['engine-os-user'] }, (found: DetectedEngineEntry[]) =>
    found.length
      ? table([engine === 'pgbackrest' ? 'STANZA' : 'SERVER', 'STATUS', 'BACKUPS'], found.map((f) => [f.name, f.status, f.backups === undefined ? '-' : String(f.backups)]))
      : `${engine} knows no ${engine === 'pgbackrest' ? 'stanza' : 'server'}${config ? ` in ${config}` : ''}.`,
  );
}

function engineName(engine: string): string {
  return engine === 'postgres' ? 'PostgreSQL' : 'SQL Server';
}

function renderList(views: ServiceView[]): string {
  if (!views.length) return 'The fleet is empty. Add a service: lifeboat services add --id orders --uri postgres://user@host:5432/orders';
  return table(
    ['ID', 'NAME', 'ENGINE', 'VERSION', 'ENDPOINT', 'OWNER', 'STATUS'],
    views.map((v) => [
      v.service.id,
      v.service.name,
      engineName(v.service.engine) + (v.service.policy.engine && v.service.policy.engine !== 'lifeboat' ? ` (${v.service.policy.engine})` : ''),
      v.lastTest?.report?.serverVersion ?? '-',
      `${v.service.connection.host}:${v.service.connection.port}/${v.service.connection.database}`,
      v.service.owner ?? '-',
      v.health === 'error' ? `error ${v.lastTest?.error?.code ?? ''}`.trim() : v.health,
    ]),
  );
}

function renderReport(id: string, r: ConnectionReport): string {
  const mark = (state: string) => (state === 'ok' ? 'ok' : state === 'missing' ? 'MISSING' : 'unknown');
  return [
    `${id}: connected as ${r.currentUser} in ${r.latencyMs} ms`,
    `server:   ${engineName(r.engine)} ${r.serverVersion}${r.edition ? ` (${r.edition})` : ''}`,
    `physical backup: ${mark(r.privileges.physicalBackup.state)} - ${r.privileges.physicalBackup.detail}`,
    `logical backup:  ${mark(r.privileges.logicalBackup.state)} - ${r.privileges.logicalBackup.detail}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => servicesCommand(core, r.args, r.out, r.readStdin));
}
