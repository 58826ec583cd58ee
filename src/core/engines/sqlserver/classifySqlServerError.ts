// Turns what mssql/tedious throw into a LifeboatError with a code and a hint a DBA can act on. Pure: the
// engine passes in what it learned around the failure (login messages, the database's state).
import type { Connection } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';
import { serverAddress } from './sqlServerPoolConfig';

/** An ERROR token the server sent; during login tedious keeps only the last one's text, so the engine
 * collects them all from the connection's errorMessage events. */
export interface SqlServerMessage {
  number: number;
  state: number;
  class: number;
  message: string;
}

export interface SqlServerErrorContext {
  connection: Pick<Connection, 'host' | 'port' | 'instance' | 'database' | 'user' | 'tls'>;
  serverMessages?: readonly SqlServerMessage[];
  /** After 4060, from sys.databases: 'missing', a state_desc such as 'ONLINE' or 'RESTORING', or undefined
   * when it could not be looked up. */
  databaseState?: string;
  timeoutMs?: number;
  /** The caller gave up (AbortSignal): whatever the driver says, the answer is CANCELLED. */
  cancelled?: boolean;
  /** Scrubbed from any driver text that reaches a message. */
  password?: string;
}

/** Everything an mssql/tedious error carries, gathered through originalError, cause and AggregateError. */
interface ErrorFacts {
  codes: Set<string>;
  numbers: Map<number, SqlServerMessage>;
  texts: string[];
  lifeboat?: LifeboatError;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$|HOSTNAME_MISMATCH)/;
const TLS_TEXT = /certificate|self[- ]signed|\bSSL\b|\bTLS\b|handshake/i;
const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ESOCKET'];

export function classifySqlServerError(error: unknown, context: SqlServerErrorContext): LifeboatError {
  const facts = gatherFacts(error);
  const { host, port, instance, database, user, tls } = context.connection;
  const where = serverAddress(context.connection);
  // Once the caller gave up, whatever the driver says next is a consequence of that.
  if (context.cancelled || facts.codes.has('ECANCEL') || facts.codes.has('ABORT_ERR')) {
    return new LifeboatError('CANCELLED', `The connection test of ${where} was cancelled.`, 'Nothing was changed on the server; start the test again when ready.', { cause: error });
  }
  if (facts.lifeboat) return facts.lifeboat;
  for (const m of context.serverMessages ?? []) if (!facts.numbers.has(m.number)) facts.numbers.set(m.number, m);

  const scrub = (text: string) => scrubPassword(text, context.password);
  const serverText = (n: number) => scrub(facts.numbers.get(n)?.message ?? '');
  const has = (n: number) => facts.numbers.has(n);
  const code = (c: string) => facts.codes.has(c);
  const grantHint = `Lifeboat's login needs, in database '${database}', db_backupoperator (or db_owner) for backups and db_datareader for reading: ALTER ROLE db_backupoperator ADD MEMBER [${user}]; ALTER ROLE db_datareader ADD MEMBER [${user}];`;

  if (has(4060)) return cannotOpenDatabase(context, where, error);

  if (has(18456) || has(18452) || has(18470) || has(18486) || has(18487) || has(18488)) {
    return loginRejected(facts, user, where, error);
  }

  for (const n of [916, 229, 230, 262, 297, 300]) {
    if (has(n)) {
      return new LifeboatError('PERMISSION_DENIED', `SQL Server at ${where} refused: ${serverText(n)} (error ${n})`, grantHint, { cause: error });
    }
  }

  if (code('EENCRYPT')) {
    return new LifeboatError(
      'TLS',
      `SQL Server at ${where} requires encryption, and the TLS mode '${tls}' turns it off.`,
      "Set the service's TLS mode to 'verify-full' (encrypt and check the certificate) or 'require' (encrypt without checking it).",
      { cause: error },
    );
  }

  if ([...facts.codes].some((c) => TLS_CODE.test(c)) || facts.texts.some((t) => TLS_TEXT.test(t))) {
    const detail = facts.texts.find((t) => TLS_TEXT.test(t)) ?? [...facts.codes].find((c) => TLS_CODE.test(c)) ?? '';
    return new LifeboatError(
      'TLS',
      `The encrypted connection to ${where} failed: ${scrub(detail)}`,
      tls === 'verify-full' || tls === 'verify-ca'
        ? `TLS mode '${tls}' needs a server certificate this machine trusts, issued for '${host}'. Install the issuing CA on this machine or connect with the name on the certificate; 'require' encrypts without checking the certificate.`
        : "Check the server's certificate configuration (SQL Server Configuration Manager, Protocols, Certificate) and that it allows TLS 1.2 or later.",
      { cause: error },
    );
  }

  if (code('ETIMEOUT')) {
    const within = context.timeoutMs ? ` within ${context.timeoutMs < 1000 ? `${context.timeoutMs} ms` : `${Math.round(context.timeoutMs / 1000)} s`}` : '';
    return new LifeboatError(
      'TIMEOUT',
      `SQL Server at ${where} did not answer${within}.`,
      `Check that ${where} is the right address and that no firewall silently drops the traffic to port ${instance ? '(the instance port) and UDP 1434' : port}; a heavily loaded server can also be slow to accept logins.`,
      { cause: error },
    );
  }

  if (code('EINSTLOOKUP')) {
    return new LifeboatError(
      'UNREACHABLE',
      `Could not learn the port of instance '${instance ?? ''}' on ${host}: SQL Server Browser did not answer.`,
      `Start the SQL Server Browser service on ${host} and allow UDP 1434 through the firewall, or give the service the instance's TCP port instead of its name.`,
      { cause: error },
    );
  }

  if (code('ENOTFOUND') || code('EAI_AGAIN')) {
    return new LifeboatError(
      'UNREACHABLE',
      `The host name '${host}' was not found (DNS).`,
      'Check the spelling of the host name, or use its IP address.',
      { cause: error },
    );
  }

  if (NETWORK_CODES.some(code)) {
    const reason = code('ECONNREFUSED') ? 'connection refused' : code('ECONNRESET') ? 'connection reset' : 'network error';
    return new LifeboatError(
      'UNREACHABLE',
      `Cannot reach SQL Server at ${where} (${reason}).`,
      `Check the host and port (SQL Server's default is 1433), that TCP/IP is enabled for the instance in SQL Server Configuration Manager, and that the firewall allows ${port}/tcp. For a named instance the SQL Server Browser service must run (UDP 1434), or give the instance's static port instead of its name.`,
      { cause: error },
    );
  }

  if (code('ELOGIN')) return loginRejected(facts, user, where, error);

  const text = scrub(facts.texts[0] ?? String(error));
  return new LifeboatError('INTERNAL', `SQL Server at ${where}: ${text}`, 'An unexpected answer from the SQL Server driver; the log file has the details.', { cause: error });
}

function cannotOpenDatabase(context: SqlServerErrorContext, where: string, error: unknown): LifeboatError {
  const { database, user } = context.connection;
  const state = context.databaseState;
  const createUser = `USE [${database}]; CREATE USER [${user}] FOR LOGIN [${user}];`;
  if (state === 'missing') {
    return new LifeboatError(
      'NOT_FOUND',
      `Database '${database}' does not exist on ${where}.`,
      "Check the database name in the service's connection (SELECT name FROM sys.databases lists them); on a case-sensitive server the case must match too.",
      { cause: error },
    );
  }
  if (state === 'ONLINE') {
    return new LifeboatError(
      'PERMISSION_DENIED',
      `Login '${user}' has no access to database '${database}' on ${where}.`,
      `Map the login to a user in that database (${createUser}), then give it what backups need: db_backupoperator and db_datareader.`,
      { cause: error },
    );
  }
  if (state) {
    return new LifeboatError(
      'UNREACHABLE',
      `Database '${database}' on ${where} is ${state} and cannot be opened.`,
      state === 'RESTORING'
        ? 'A RESTORING database is a restore in progress or a log-shipping/availability-group secondary: connect to the primary, or wait for the restore to finish.'
        : `Bring it back (e.g. ALTER DATABASE [${database}] SET ONLINE) or point the service at a replica that is online.`,
      { cause: error },
    );
  }
  return new LifeboatError(
    'NOT_FOUND',
    `Cannot open database '${database}' on ${where}: it does not exist, is not online, or login '${user}' has no user in it.`,
    `Check the database name and state (SELECT name, state_desc FROM sys.databases); if it is there and ONLINE, map the login to a user in it: ${createUser}`,
    { cause: error },
  );
}

function loginRejected(facts: ErrorFacts, user: string, where: string, error: unknown): LifeboatError {
  const specific: Array<[number, string, string]> = [
    [18470, `Login '${user}' is disabled on ${where}.`, `Enable it: ALTER LOGIN [${user}] ENABLE;`],
    [18486, `Login '${user}' is locked out on ${where} after too many failed attempts.`, `Unlock it with a new password: ALTER LOGIN [${user}] WITH PASSWORD = '...' UNLOCK;`],
    [18487, `The password of login '${user}' has expired.`, `Set a new one: ALTER LOGIN [${user}] WITH PASSWORD = '...'; then store it in Lifeboat.`],
    [18488, `The password of login '${user}' must be changed before it can be used.`, `Set a new one: ALTER LOGIN [${user}] WITH PASSWORD = '...'; then store it in Lifeboat.`],
    [18452, `${where} accepts only Windows logins, not the SQL login '${user}'.`, 'Enable "SQL Server and Windows Authentication mode" (server properties, Security) and restart the SQL Server service.'],
  ];
  for (const [number, message, hint] of specific) {
    if (facts.numbers.has(number)) return new LifeboatError('AUTH_FAILED', message, hint, { cause: error });
  }
  return new LifeboatError(
    'AUTH_FAILED',
    `SQL Server at ${where} rejected the login '${user}' (error 18456).`,
    'Check the user name and password. SQL Server tells clients only "Login failed"; its error log gives the reason by state: 8 wrong password, 5 unknown login, 58 SQL logins not allowed (enable "SQL Server and Windows Authentication mode" and restart).',
    { cause: error },
  );
}

function gatherFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { codes: new Set(), numbers: new Map(), texts: [] };
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 8) return;
    seen.add(value);
    if (value instanceof LifeboatError) {
      facts.lifeboat ??= value;
      return;
    }
    const v = value as Record<string, unknown>;
    if (typeof v.code === 'string') facts.codes.add(v.code);
    if (typeof v.number === 'number' && !facts.numbers.has(v.number)) {
      facts.numbers.set(v.number, {
        number: v.number,
        state: typeof v.state === 'number' ? v.state : 0,
        class: typeof v.class === 'number' ? v.class : 0,
        message: typeof v.message === 'string' ? v.message : '',
      });
    }
    if (typeof v.message === 'string' && v.message) facts.texts.push(v.message);
    visit(v.originalError, depth + 1);
    visit(v.cause, depth + 1);
    for (const list of [v.errors, v.precedingErrors]) {
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
  };
  visit(error, 0);
  return facts;
}

/** Driver messages never hold the password, but a message that reaches a DBA's screen must not either. */
function scrubPassword(text: string, password: string | undefined): string {
  return password && password.length >= 4 ? text.split(password).join('***') : text;
}
