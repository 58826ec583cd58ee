// Reads the SQL Server connection string a DBA pastes (ADO.NET or ODBC style:
// "Server=tcp:db1,1433;Database=orders;User Id=backup;Password=...;Encrypt=True") into a Lifeboat
// connection and, separately, the password, which never goes into the inventory.
import { type Connection, connectionSchema, type TlsMode } from '../../shared/domain';
import { LifeboatError } from '../lifeboatError';

export interface ParsedSqlServerConnectionString {
  connection: Connection;
  password?: string;
}

type Setting = 'server' | 'database' | 'user' | 'password' | 'encrypt' | 'trust' | 'integrated' | 'authentication';

/** Keywords and their synonyms, as SqlClient and the ODBC driver accept them (matched case-insensitively). */
const KEYWORDS: Record<string, Setting> = {
  server: 'server',
  'data source': 'server',
  address: 'server',
  addr: 'server',
  'network address': 'server',
  database: 'database',
  'initial catalog': 'database',
  'user id': 'user',
  userid: 'user',
  uid: 'user',
  user: 'user',
  password: 'password',
  pwd: 'password',
  encrypt: 'encrypt',
  trustservercertificate: 'trust',
  'trust server certificate': 'trust',
  'integrated security': 'integrated',
  trusted_connection: 'integrated',
  authentication: 'authentication',
};

/** Valid keywords that change nothing Lifeboat does (pooling, timeouts, names shown in sys.dm_exec_sessions). */
const IGNORED = new Set([
  'application name', 'app', 'applicationintent', 'application intent', 'async', 'asynchronous processing',
  'column encryption setting', 'command timeout', 'connect retry count', 'connectretrycount',
  'connect retry interval', 'connectretryinterval', 'connect timeout', 'connection timeout', 'timeout',
  'connection lifetime', 'load balance timeout', 'current language', 'language', 'driver', 'enlist',
  'failover partner', 'host name in certificate', 'hostnameincertificate', 'ip address preference',
  'ipaddresspreference', 'max pool size', 'min pool size', 'multiple active result sets',
  'multipleactiveresultsets', 'mars_connection', 'multi subnet failover', 'multisubnetfailover',
  'network library', 'network', 'net', 'packet size', 'persist security info', 'persistsecurityinfo',
  'pool blocking period', 'poolblockingperiod', 'pooling', 'replication', 'server certificate',
  'servercertificate', 'server spn', 'serverspn', 'transaction binding', 'transparent network ip resolution',
  'transparentnetworkipresolution', 'type system version', 'workstation id', 'wsid',
]);

interface Pair {
  /** The keyword as written, for messages. */
  key: string;
  setting: Setting | 'ignored';
  value: string;
}

/** The modern drivers' default (Microsoft.Data.SqlClient 4+, ODBC Driver 18): encrypt unless told otherwise. */
const DEFAULT_ENCRYPT = true;
const DEFAULT_PORT = 1433;

export function parseSqlServerConnectionString(text: string): ParsedSqlServerConnectionString {
  const values = new Map<Setting, Pair>();
  // Later keywords win, as in SqlClient; synonyms count as the same keyword.
  for (const pair of splitPairs(text)) if (pair.setting !== 'ignored') values.set(pair.setting, pair);

  const integrated = values.get('integrated');
  if (integrated && parseBoolean(integrated, ['sspi'])) {
    throw invalid(
      `'${integrated.key}' asks for Windows authentication, which Lifeboat does not use.`,
      'Connect with a SQL Server login: remove Integrated Security and give User Id and Password.',
    );
  }
  const authentication = values.get('authentication');
  if (authentication && !/^sql\s*password$/i.test(authentication.value)) {
    throw invalid(
      `'${authentication.key}=${authentication.value}' is not supported: Lifeboat connects with SQL Server logins.`,
      "Remove the Authentication keyword (or write 'SqlPassword') and give User Id and Password.",
    );
  }

  const server = values.get('server');
  if (!server || !server.value) throw invalid('The connection string names no server.', 'Add Server=host or Server=tcp:host,port (Data Source is the same).');
  const { host, port, instance } = parseServer(server);
  const database = required(values, 'database', 'The connection string names no database.', 'Add Database=name (Initial Catalog is the same): Lifeboat backs up one database per service.');
  const user = required(values, 'user', 'The connection string names no user.', 'Add User Id=login (UID is the same) for the SQL Server login Lifeboat should use.');

  const parsed = connectionSchema.safeParse({ host, port, instance, database: database.value, user: user.value, tls: tlsMode(values) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const key = field === 'database' ? database.key : field === 'user' ? user.key : server.key;
    throw invalid(`'${key}' is not valid: ${issue?.message ?? 'invalid value'}.`, 'Correct that keyword in the connection string.');
  }
  const password = values.get('password')?.value;
  return password === undefined ? { connection: parsed.data } : { connection: parsed.data, password };
}

/** "Server" forms: host, host,port, host\instance, tcp:host,port, (local), . and [IPv6]. */
function parseServer(pair: Pair): { host: string; port: number; instance?: string } {
  let rest = pair.value.trim();
  const protocol = /^([a-z]+):/i.exec(rest);
  if (protocol) {
    if (protocol[1]?.toLowerCase() !== 'tcp') {
      throw invalid(
        `'${pair.key}' uses the ${protocol[1]}: protocol; Lifeboat connects over TCP only.`,
        'Write Server=tcp:host,port (named pipes, shared memory and the admin connection are not supported).',
      );
    }
    rest = rest.slice(protocol[0].length).trim();
  }
  let port: number | undefined;
  const comma = rest.lastIndexOf(',');
  if (comma >= 0) {
    const portText = rest.slice(comma + 1).trim();
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw invalid(`'${pair.key}' has an invalid port '${portText}'.`, 'Write the port after a comma, e.g. Server=tcp:db1.example.com,1433.');
    }
    rest = rest.slice(0, comma).trim();
  }
  const [hostPart = '', instancePart] = rest.split('\\', 2);
  let host = hostPart.trim();
  if (/^\(localdb\)$/i.test(host)) {
    throw invalid(`'${pair.key}' points at LocalDB, which does not listen on TCP.`, 'Use a SQL Server instance reachable over TCP.');
  }
  if (host === '.' || /^\(local\)$/i.test(host)) host = 'localhost';
  host = host.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw invalid(`'${pair.key}' names no host.`, 'Write Server=host or Server=tcp:host,port.');
  const instance = instancePart?.trim() || undefined;
  // An explicit port wins over an instance name, as in SqlClient: SQL Server Browser is not asked then.
  if (port !== undefined) return { host, port };
  return instance ? { host, port: DEFAULT_PORT, instance } : { host, port: DEFAULT_PORT };
}

function tlsMode(values: Map<Setting, Pair>): TlsMode {
  const encryptPair = values.get('encrypt');
  let encrypt: boolean | 'strict' = DEFAULT_ENCRYPT;
  if (encryptPair) {
    const word = encryptPair.value.trim().toLowerCase();
    if (word === 'strict') encrypt = 'strict';
    else if (word === 'mandatory') encrypt = true;
    else if (word === 'optional') encrypt = false;
    else encrypt = parseBoolean(encryptPair);
  }
  const trustPair = values.get('trust');
  const trust = trustPair ? parseBoolean(trustPair) : false;
  if (encrypt === false) return 'disable';
  // Strict (TDS 8) always checks the certificate; TrustServerCertificate is ignored there.
  if (encrypt === 'strict') return 'verify-full';
  return trust ? 'require' : 'verify-full';
}

function parseBoolean(pair: Pair, alsoTrue: readonly string[] = []): boolean {
  const word = pair.value.trim().toLowerCase();
  if (word === 'true' || word === 'yes' || alsoTrue.includes(word)) return true;
  if (word === 'false' || word === 'no') return false;
  throw invalid(`'${pair.key}' must be True or False, not '${pair.value}'.`, `Write ${pair.key}=True or ${pair.key}=False.`);
}

function required(values: Map<Setting, Pair>, setting: Setting, message: string, hint: string): Pair {
  const pair = values.get(setting);
  if (!pair || !pair.value.trim()) throw invalid(message, hint);
  return { ...pair, value: pair.value.trim() };
}

/**
 * Splits "key=value;..." with SqlClient's quoting: values in '...' or "..." (the quote doubled inside),
 * ODBC's {...} (a "}" doubled inside), "==" for an "=" inside a keyword. Never echoes a value that might be
 * part of a password.
 */
function splitPairs(text: string): Pair[] {
  const pairs: Pair[] = [];
  let i = 0;
  let previousKey: string | undefined;
  let previousSetting: Setting | 'ignored' | undefined;
  const where = () => (previousKey ? ` after '${previousKey}'` : ' at the start');
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || /\s/.test(text[i] ?? ''))) i++;
    if (i >= text.length) break;

    let key = '';
    for (;;) {
      if (i >= text.length || text[i] === ';') {
        throw invalid(
          `The connection string has a part without '='${where()}.`,
          "Write keyword=value pairs separated by ';'; a value that contains ';' must be quoted, e.g. Password=\"a;b\" or Password={a;b}.",
        );
      }
      if (text[i] === '=') {
        if (text[i + 1] === '=') {
          key += '=';
          i += 2;
          continue;
        }
        i++;
        break;
      }
      key += text[i];
      i++;
    }
    key = key.trim().replace(/\s+/g, ' ');
    const keyword = key.toLowerCase();
    const setting: Setting | undefined = KEYWORDS[keyword];
    if (!setting && !IGNORED.has(keyword)) {
      // After a password, an "unknown keyword" is most likely the rest of a password that contains ';'.
      if (previousSetting === 'password') {
        throw invalid(
          `The connection string has an unknown keyword after '${previousKey ?? ''}'.`,
          'If the password contains \';\', quote it: Password="a;b" or Password={a;b}.',
        );
      }
      throw invalid(`'${key}' is not a SQL Server connection string keyword.`, 'Check its spelling, or remove it.');
    }

    while (i < text.length && text[i] !== ';' && /\s/.test(text[i] ?? '')) i++;
    let value = '';
    const open = text[i];
    if (open === '"' || open === "'" || open === '{') {
      const close = open === '{' ? '}' : open;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw invalid(`The value of '${key}' opens with ${open} but never closes.`, `End the value with ${close}; write ${close}${close} for a ${close} inside it.`);
        }
        if (text[i] === close) {
          if (text[i + 1] === close) {
            value += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      while (i < text.length && text[i] !== ';' && /\s/.test(text[i] ?? '')) i++;
      if (i < text.length && text[i] !== ';') {
        throw invalid(`The value of '${key}' is followed by text before the next ';'.`, `Close the quotes around the whole value of '${key}'.`);
      }
    } else {
      const end = text.indexOf(';', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    pairs.push({ key, setting: setting ?? 'ignored', value });
    previousKey = key;
    previousSetting = setting ?? 'ignored';
  }
  if (pairs.length === 0) throw invalid('The connection string is empty.', 'Paste a connection string such as Server=tcp:db1,1433;Database=orders;User Id=backup;Password=...');
  return pairs;
}

function invalid(message: string, hint: string): LifeboatError {
  return new LifeboatError('INVALID_INPUT', message, hint);
}
