// Reads a libpq connection URI (postgres:// or postgresql://) into a Lifeboat connection, with the password
// split off so the caller can store it in the keychain. Error messages never repeat the URI: it may hold one.
import { isIPv6 } from 'node:net';
import { connectionSchema, TLS_MODES, type Connection, type TlsMode } from '../../shared/domain';
import { LifeboatError } from '../lifeboatError';

export interface ParsedPostgresUri {
  connection: Connection;
  password?: string;
}

const DEFAULT_PORT = 5432;
const SCHEME = /^postgres(?:ql)?:\/\//i;
const FORMAT_HINT = 'The form is postgres://user:password@host:port/database?sslmode=require; percent-encode special characters (@ as %40, : as %3A, / as %2F).';

/** libpq query parameters that only tune the session or the client; Lifeboat sets its own. */
const IGNORED_PARAMETERS = new Set(['application_name', 'fallback_application_name', 'connect_timeout', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count']);

export function parsePostgresUri(text: string): ParsedPostgresUri {
  const uri = text.trim();
  if (!SCHEME.test(uri)) invalid('A PostgreSQL URI starts with postgres:// or postgresql://.');
  const rest = uri.replace(SCHEME, '');

  // Authority ends at the first "/" or "?"; userinfo ends at the last "@" in it, so an unencoded "@" in a
  // password still parses as the user meant.
  const authorityEnd = firstIndex(rest, ['/', '?']);
  const authority = rest.slice(0, authorityEnd);
  const afterAuthority = rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;

  const queryStart = afterAuthority.indexOf('?');
  const path = queryStart >= 0 ? afterAuthority.slice(0, queryStart) : afterAuthority;
  const query = queryStart >= 0 ? afterAuthority.slice(queryStart + 1) : '';

  const fields: { host?: string; port?: string; user?: string; password?: string; database?: string; sslmode?: string } = {};
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    fields.user = decode(colon >= 0 ? userInfo.slice(0, colon) : userInfo, 'the user name');
    if (colon >= 0) fields.password = decode(userInfo.slice(colon + 1), 'the password');
  }
  Object.assign(fields, splitHostPort(hostPort));
  if (path.length > 1) fields.database = decode(path.slice(1), 'the database name');

  // Query parameters win over the URI's parts, as in libpq.
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 0) invalid(`The query parameter "${safeName(pair)}" has no value.`);
    const name = decode(pair.slice(0, eq), 'a query parameter name');
    const value = decode(pair.slice(eq + 1), `the value of ${safeName(name)}`);
    switch (name) {
      case 'host':
      case 'port':
      case 'user':
      case 'password':
      case 'sslmode':
        fields[name] = value;
        break;
      case 'dbname':
        fields.database = value;
        break;
      default:
        if (!IGNORED_PARAMETERS.has(name))
          invalid(`The query parameter "${safeName(name)}" is not supported; Lifeboat understands sslmode, host, port, user, password and dbname.`);
    }
  }

  if (!fields.host) invalid('The URI names no host. Lifeboat connects over TCP: give a host name or address (unix sockets are not supported).');
  if (fields.host.startsWith('/')) invalid('Unix socket directories are not supported; give a host name or address.');
  if (!fields.user) invalid('The URI names no user; write it before the host, as in postgres://backup_user@host/database.');

  const parsed = connectionSchema.safeParse({
    host: fields.host,
    port: parsePort(fields.port),
    database: fields.database || fields.user,
    user: fields.user,
    tls: tlsMode(fields.sslmode),
    password: { kind: 'keychain' },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalid(`The ${String(issue?.path[0] ?? 'connection')} in the URI is not valid: ${issue?.message ?? 'unknown problem'}.`);
  }
  return fields.password === undefined || fields.password === ''
    ? { connection: parsed.data }
    : { connection: parsed.data, password: fields.password };
}

/** "[::1]:5433", "db.example.com:5433", "10.0.0.5" or "" (no host). Several hosts (libpq failover) are refused. */
function splitHostPort(hostPort: string): { host?: string; port?: string } {
  if (hostPort.includes(','))
    invalid('The URI lists several hosts; Lifeboat backs up one server per service: give the host to back up.');
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) invalid('An IPv6 address in brackets is missing its closing "]".');
    const host = hostPort.slice(1, close);
    if (!isIPv6(host)) invalid(`"${host}" in brackets is not an IPv6 address.`);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) invalid('After "]" only ":port" may follow.');
    return { host, ...(after ? { port: after.slice(1) } : {}) };
  }
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) invalid('An IPv6 address must be written in brackets, as in postgres://user@[::1]:5432/db.');
  const [host, port] = hostPort.split(':');
  return { ...(host ? { host: decode(host, 'the host') } : {}), ...(port !== undefined ? { port } : {}) };
}

function parsePort(port: string | undefined): number {
  if (port === undefined || port === '') return DEFAULT_PORT;
  const value = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(value >= 1 && value <= 65535)) invalid(`The port "${safeName(port)}" is not a number from 1 to 65535.`);
  return value;
}

/**
 * libpq's sslmode, with "allow" (plain first, TLS if the server insists) read as "prefer": both end up
 * in plain with node-postgres, and "prefer" carries the warning that says so.
 */
function tlsMode(sslmode: string | undefined): TlsMode {
  if (sslmode === undefined) return 'prefer';
  if (sslmode === 'allow') return 'prefer';
  if ((TLS_MODES as readonly string[]).includes(sslmode)) return sslmode as TlsMode;
  invalid(`sslmode "${safeName(sslmode)}" is not one of disable, allow, prefer, require, verify-ca, verify-full.`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Never echo the part: it may be the password.
    invalid(`${what[0]!.toUpperCase()}${what.slice(1)} has a malformed percent-escape (a "%" not followed by two hex digits).`);
  }
}

function firstIndex(text: string, chars: string[]): number {
  const found = chars.map((c) => text.indexOf(c)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : text.length;
}

/** Names and values from the URI, shortened, for messages; only ever called on parts that are not the password. */
function safeName(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function invalid(message: string): never {
  throw new LifeboatError('INVALID_INPUT', message, FORMAT_HINT);
}
