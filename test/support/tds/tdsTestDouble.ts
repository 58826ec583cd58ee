// A wire-level SQL Server test double: speaks enough TDS 7.4 on 127.0.0.1 for mssql/tedious to log in and
// run queries, answering from fixture rules and recording what every connection sent. Not a database: it
// knows only the statements its rules describe, and says so (error 2812) for any other.
import { createServer, type Server, type Socket } from 'node:net';
import { startSqlBrowserDouble, type SqlBrowserDouble } from './sqlBrowserDouble';
import type { TdsRequestView, TdsRule, TdsStep, TdsSteps } from './tdsFixtures';
import { resultSet } from './tdsFixtures';
import type { ClientLogin7 } from './tdsLogin7';
import type { TdsConnectionRecord, TdsRequestRecord } from './tdsRecords';
import { type LoginOutcome, type RuleAnswer, TdsSession } from './tdsSession';

export * from './tdsFixtures';
export type { TdsConnectionRecord, TdsLoginRecord, TdsRequestRecord } from './tdsRecords';

export interface TdsLogin {
  user: string;
  password: string;
  /** Databases this login has a user in; master, tempdb and msdb are open to every login (guest), as on a
   * default SQL Server. Omitted: every database. */
  databases?: readonly string[];
  /** Opened when the client names no database; default master. */
  defaultDatabase?: string;
}

export interface TdsDatabase {
  name: string;
  /** sys.databases.state_desc; a login can open only an ONLINE database. Default ONLINE. */
  state?: string;
}

export interface TdsTestDoubleOptions {
  logins: readonly TdsLogin[];
  /** Databases that exist besides master, tempdb, model and msdb. */
  databases?: ReadonlyArray<string | TdsDatabase>;
  rules?: readonly TdsRule[];
  /** The name in every message's ServerName field; default LIFEBOAT-DOUBLE. */
  serverName?: string;
  /** What PRELOGIN and LOGINACK report; default 16.0.4135.4 (SQL Server 2022 CU). */
  version?: string;
  /** The PRELOGIN answer: NOT_SUP (default; no TLS here) or REQ, to imitate a server that forces encryption. */
  encryption?: 'NOT_SUP' | 'REQ';
  /** Also answer SQL Server Browser lookups on UDP 127.0.0.1:1434 for this named instance. */
  sqlBrowser?: { instanceName: string };
}

export interface TdsTestDouble {
  readonly host: string;
  readonly port: number;
  readonly serverName: string;
  readonly connections: readonly TdsConnectionRecord[];
  /** Every request a client sent, in order, without session housekeeping. */
  statements(): TdsRequestRecord[];
  /** Requests no rule matched: a test that expects none asserts this is empty. */
  unmatched(): TdsRequestRecord[];
  /** Replaces the rules (housekeeping answers stay). */
  setRules(rules: readonly TdsRule[]): void;
  /** Puts rules in front of the current ones, e.g. a test's override of a shared fixture. */
  prependRules(...rules: TdsRule[]): void;
  /** Forgets every recorded connection, so the next test starts from nothing (a connection still open goes on
   * recording into its own record, which is no longer listed). */
  clearRecords(): void;
  stop(): Promise<void>;
}

const SYSTEM_DATABASES = ['master', 'tempdb', 'model', 'msdb'];
const GUEST_DATABASES = ['master', 'tempdb', 'msdb'];

/** Answers tedious and mssql send on their own; flagged as housekeeping in the records. */
const HOUSEKEEPING_RULES: TdsRule[] = [
  {
    // tedious, right after login: "set textsize 2147483647 set quoted_identifier on ..." and nothing else.
    name: 'session SET options',
    match: (sql) => /^\s*set\s/i.test(sql) && !/\b(select|insert|update|delete|exec|execute|backup|restore|alter|create|drop)\b/i.test(sql),
    respond: [],
  },
  {
    // mssql's pool validation (validateConnection, on by default).
    name: 'pool health check',
    match: /^\s*select\s+1\s*;?\s*$/i,
    respond: [resultSet([{ name: '', type: 'int' }], [[1]])],
  },
];

export async function startTdsTestDouble(options: TdsTestDoubleOptions): Promise<TdsTestDouble> {
  const serverName = options.serverName ?? 'LIFEBOAT-DOUBLE';
  const versionText = options.version ?? '16.0.4135.4';
  const version = versionText.split('.').map(Number);
  const databases = [
    ...SYSTEM_DATABASES.map((name) => ({ name, state: 'ONLINE' })),
    ...(options.databases ?? []).map((d) => (typeof d === 'string' ? { name: d, state: 'ONLINE' } : { name: d.name, state: d.state ?? 'ONLINE' })),
  ];
  let rules: TdsRule[] = [...(options.rules ?? [])];
  const ruleUses = new Map<TdsRule, number>();
  let connections: TdsConnectionRecord[] = [];
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;

  const authenticate = (login: ClientLogin7): LoginOutcome => {
    const loginFailed = { number: 18456, state: 1, class: 14, message: `Login failed for user '${login.userName}'.` };
    const account = options.logins.find((l) => l.user.toLowerCase() === login.userName.toLowerCase());
    if (!account) return { accepted: false, messages: [loginFailed], logState: 5, reason: 'no such login' };
    if (account.password !== login.password) {
      return { accepted: false, messages: [loginFailed], logState: 8, reason: 'password mismatch' };
    }
    const wanted = login.database || account.defaultDatabase || 'master';
    const database = databases.find((d) => d.name.toLowerCase() === wanted.toLowerCase());
    const allowed =
      database !== undefined &&
      (account.databases === undefined ||
        GUEST_DATABASES.includes(database.name.toLowerCase()) ||
        account.databases.some((d) => d.toLowerCase() === database.name.toLowerCase()));
    if (!database || !allowed || database.state !== 'ONLINE') {
      const reason = !database ? 'database does not exist' : !allowed ? 'login has no user in the database' : `database is ${database.state}`;
      return {
        accepted: false,
        messages: [
          { number: 4060, state: 1, class: 11, message: `Cannot open database "${wanted}" requested by the login. The login failed.` },
          loginFailed,
        ],
        logState: 38,
        reason,
      };
    }
    return { accepted: true, database: database.name };
  };

  const answer = async (request: TdsRequestView): Promise<RuleAnswer | undefined> => {
    const candidates: Array<[TdsRule, boolean]> = [...rules.map((r): [TdsRule, boolean] => [r, false]), ...HOUSEKEEPING_RULES.map((r): [TdsRule, boolean] => [r, true])];
    for (const [rule, housekeeping] of candidates) {
      const used = ruleUses.get(rule) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      const matched = rule.match instanceof RegExp ? rule.match.test(request.sql) : rule.match(request.sql, request.params, request);
      if (!matched) continue;
      ruleUses.set(rule, used + 1);
      const steps = typeof rule.respond === 'function' ? await rule.respond(request.sql, request.params, request) : rule.respond;
      const index = rules.indexOf(rule);
      return { answeredBy: rule.name ?? `rule #${index + 1}`, housekeeping, steps: flatten(steps) };
    }
    return undefined;
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    const record: TdsConnectionRecord = { id: nextConnectionId++, tlsHandshakeAttempted: false, requests: [], attentions: 0, closed: false };
    connections.push(record);
    new TdsSession(socket, { serverName, version, encryption: options.encryption ?? 'NOT_SUP', authenticate, answer }, record);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let browser: SqlBrowserDouble | undefined;
  if (options.sqlBrowser) {
    try {
      browser = await startSqlBrowserDouble({ serverName, instanceName: options.sqlBrowser.instanceName, version: versionText, tcpPort: port });
    } catch (error) {
      server.close();
      throw error;
    }
  }

  return {
    host: '127.0.0.1',
    port,
    serverName,
    get connections() {
      return connections;
    },
    statements: () => connections.flatMap((c) => c.requests.filter((r) => !r.housekeeping)).sort((a, b) => a.receivedAt - b.receivedAt),
    unmatched: () => connections.flatMap((c) => c.requests.filter((r) => r.unmatched)),
    setRules(next) {
      rules = [...next];
    },
    prependRules(...first) {
      rules = [...first, ...rules];
    },
    clearRecords() {
      connections = [];
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await browser?.stop();
    },
  };
}

function flatten(steps: TdsSteps): TdsStep[] {
  return steps.flatMap((step) => (Array.isArray(step) ? (step as readonly TdsStep[]) : [step as TdsStep]));
}
