// Turns what pg, Node's sockets and TLS throw while connecting to PostgreSQL into a LifeboatError with a
// code and a hint. Messages name host, port, database and user, never the password.
import type { TlsMode } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';

export interface ConnectionAttempt {
  host: string;
  port: number;
  database: string;
  user: string;
  tls: TlsMode;
  timeoutMs: number;
  /** False when no password was given and the driver looked in the passfile itself; true if left out. */
  passwordGiven?: boolean;
}

/** Node's codes for a certificate chain it cannot trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

export function classifyPostgresError(err: unknown, attempt: ConnectionAttempt): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const where = endpoint(attempt);
  const fail = (kind: LifeboatError['code'], text: string, hint: string) => new LifeboatError(kind, text, hint, { cause: err });

  if (code && isSqlState(code)) return classifySqlState(code, message, attempt, fail);

  if (/client password must be a string|password must be a string/i.test(message))
    return fail(
      'AUTH_FAILED',
      `The server at ${where} asked for a password for role "${attempt.user}", and Lifeboat has none for it.`,
      'Store the password for this service, or add a line host:port:database:user:password to the passfile ' +
        '(PGPASSFILE or ~/.pgpass, which must be chmod 0600).',
    );

  if (/does not support SSL connections/i.test(message))
    return fail(
      'TLS',
      `The server at ${where} does not accept TLS connections (ssl is off there), and TLS mode "${attempt.tls}" requires TLS.`,
      'Turn on ssl in the server\'s postgresql.conf with a certificate, or choose TLS mode "disable" if plain connections are acceptable on this network.',
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return fail(
      'TLS',
      `The certificate of the server at ${where} is not issued for the name "${attempt.host}".`,
      'Connect with a host name the certificate lists, or use TLS mode "verify-ca", which checks the issuer but not the name.',
    );
  if (code && UNTRUSTED_CERTIFICATE.has(code))
    return fail(
      'TLS',
      `The certificate of the server at ${where} is not signed by an authority this machine trusts (${code}).`,
      'Put the certificate of the authority that signed it in ~/.postgresql/root.crt (or point PGSSLROOTCERT at it), ' +
        'or choose TLS mode "require", which encrypts without checking the certificate.',
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return fail(
      'TLS',
      `The certificate of the server at ${where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}.`,
      'Renew the server certificate, and check the clocks of this machine and the server.',
    );
  if ((code && /^(ERR_TLS_|ERR_SSL_|EPROTO$)/.test(code)) || /error establishing an SSL connection/i.test(message))
    return fail('TLS', `TLS with the server at ${where} failed: ${message}`, 'Check the server\'s ssl settings and the TLS mode of this service.');

  switch (code) {
    case 'ECONNREFUSED':
      return fail(
        'UNREACHABLE',
        `Nothing accepts connections at ${where}.`,
        `Check that PostgreSQL runs on ${where}, that listen_addresses in its postgresql.conf includes an address this ` +
          `machine can reach (the default is localhost only), and that no firewall blocks port ${attempt.port}.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(
        'UNREACHABLE',
        `The host name "${attempt.host}" cannot be resolved.`,
        'Check the spelling and this machine\'s DNS settings; an IP address works too.',
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return fail(
        'UNREACHABLE',
        `There is no network route to ${where}.`,
        'Check the address, a VPN this machine needs, and firewalls between here and the server.',
      );
    case 'ECONNRESET':
      return fail('UNREACHABLE', `The server at ${where} reset the connection.`, resetHint(attempt));
    case 'ETIMEDOUT':
      return timeout(attempt, fail);
  }
  if (/timeout expired|Query read timeout|timed out/i.test(message)) return timeout(attempt, fail);
  if (/Connection terminated/i.test(message))
    return fail('UNREACHABLE', `The server at ${where} closed the connection before it was ready.`, resetHint(attempt));

  return fail(
    'INTERNAL',
    `Connecting to ${where} failed: ${message}`,
    'An error Lifeboat does not recognise; the server log at the same moment usually says more.',
  );
}

type Fail = (kind: LifeboatError['code'], text: string, hint: string) => LifeboatError;

function classifySqlState(sqlState: string, message: string, attempt: ConnectionAttempt, fail: Fail): LifeboatError {
  const where = endpoint(attempt);
  const { user, database } = attempt;
  switch (sqlState) {
    case '28P01':
      return fail(
        'AUTH_FAILED',
        `Password authentication failed for role "${user}" at ${where}.`,
        attempt.passwordGiven !== false
          ? 'Check the password stored for this service. If it is right, compare the method in the server\'s pg_hba.conf ' +
              'with how the role\'s password was stored: a password saved as md5 cannot log in where pg_hba.conf says scram-sha-256.'
          : 'Lifeboat had no password for this service, so the passfile (PGPASSFILE or ~/.pgpass) was used: check that a ' +
              `line matches ${attempt.host}:${attempt.port}:${database}:${user} and holds the right password, or store the password.`,
      );
    case '28000':
      if (/no pg_hba\.conf entry/i.test(message)) {
        const tlsHint =
          /no encryption/i.test(message) && (attempt.tls === 'disable' || attempt.tls === 'prefer')
            ? ' The server may accept this host only over TLS (a hostssl line): try TLS mode "require".'
            : '';
        return fail(
          'AUTH_FAILED',
          `The server at ${where} has no pg_hba.conf line that lets role "${user}" connect to database "${database}" from this machine: ${message}`,
          `Add a line such as "host ${database} ${user} <this machine's address>/32 scram-sha-256" to pg_hba.conf on the ` +
            `server and reload it (SELECT pg_reload_conf()).${tlsHint}`,
        );
      }
      if (/role .* does not exist/i.test(message))
        return fail(
          'AUTH_FAILED',
          `Role "${user}" does not exist on the server at ${where}.`,
          'Check the user name of this service, or create the role (CREATE ROLE ... LOGIN PASSWORD ...).',
        );
      if (/not permitted to log in/i.test(message))
        return fail('AUTH_FAILED', `Role "${user}" may not log in at ${where}.`, `Give it LOGIN: ALTER ROLE ${user} LOGIN.`);
      return fail(
        'AUTH_FAILED',
        `The server at ${where} refused role "${user}": ${message}`,
        'pg_hba.conf on the server decides how this machine must authenticate; check the line that matches this host, database and user.',
      );
    case '3D000':
      return fail(
        'NOT_FOUND',
        `Database "${database}" does not exist on the server at ${where}.`,
        'Check the database name of this service (psql -l lists the databases), or create the database.',
      );
    case '42501':
      return fail(
        'PERMISSION_DENIED',
        `Role "${user}" is not allowed this at ${where}: ${message}`,
        /permission denied for database/i.test(message)
          ? `Grant it: GRANT CONNECT ON DATABASE ${database} TO ${user};`
          : 'Grant the privilege named in the message, or use a role that has it.',
      );
    case '57P03':
      return fail(
        'UNREACHABLE',
        `The server at ${where} is not accepting connections right now: ${message}`,
        'It is starting up, shutting down, or in recovery without hot_standby. Try again in a moment; if it persists, the server log says why.',
      );
    case '53300':
      return fail(
        'UNREACHABLE',
        `The server at ${where} has no free connection slot: ${message}`,
        'max_connections is reached. Try again later, close idle connections, or raise max_connections (or reserve slots for backups with a connection pooler).',
      );
    case '57014':
      return timeout(attempt, fail);
    default:
      return fail(
        'INTERNAL',
        `The server at ${where} answered with an error: ${message} (SQLSTATE ${sqlState}).`,
        'The server log at the same moment says more.',
      );
  }
}

function timeout(attempt: ConnectionAttempt, fail: Fail): LifeboatError {
  const where = endpoint(attempt);
  return fail(
    'TIMEOUT',
    `No answer from ${where} within ${Math.round(attempt.timeoutMs / 100) / 10} s.`,
    'A firewall that drops packets silently looks like this. Check the host, the port and the network path; a server under heavy load may also be slow to answer.',
  );
}

function resetHint(attempt: ConnectionAttempt): string {
  return `Check that ${endpoint(attempt)} is a PostgreSQL server (not another service on that port); a proxy or pooler in between, or the server's own log, may say why it hung up.`;
}

function endpoint(attempt: ConnectionAttempt): string {
  return attempt.host.includes(':') ? `[${attempt.host}]:${attempt.port}` : `${attempt.host}:${attempt.port}`;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLSTATEs are five digits or upper-case letters; Node's error codes start with E or ERR_ and are longer. */
function isSqlState(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code) && !/^E[A-Z]{4}$/.test(code);
}
