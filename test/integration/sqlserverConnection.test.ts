// The SQL Server engine's connection test against the TDS test double: what a DBA sees for a healthy
// server, for a login without backup rights, and for each way a connection fails.
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqlServerEngine } from '../../src/core/engines/sqlserver/sqlServerEngine';
import { LifeboatError } from '../../src/core/lifeboatError';
import { type Connection, connectionSchema } from '../../src/shared/domain';
import { freePort } from '../support/freePort';
import { delay, resultSet, startTdsTestDouble, type TdsRule, type TdsTestDouble } from '../support/tds/tdsTestDouble';

/** The exact T-SQL the engine must send, spelled out so a change to it is a visible change to this test. */
const EXPECTED_IDENTITY_SQL = `SELECT
  CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
  CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition,
  CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition,
  @@VERSION AS version_banner;`;
const EXPECTED_PRIVILEGES_SQL = `SELECT
  SUSER_SNAME() AS login_name,
  DB_NAME() AS database_name,
  IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin,
  IS_ROLEMEMBER('db_owner') AS is_db_owner,
  IS_ROLEMEMBER('db_backupoperator') AS is_db_backupoperator,
  HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'BACKUP DATABASE') AS can_backup_database,
  HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'SELECT') AS can_select;`;

// What SQL Server 2022 CU15 Developer edition on Linux answers (SERVERPROPERTY and @@VERSION as documented).
const SQL_SERVER_2022 = {
  product_version: '16.0.4135.4',
  edition: 'Developer Edition (64-bit)',
  engine_edition: 3,
  version_banner:
    'Microsoft SQL Server 2022 (RTM-CU15) (KB5041321) - 16.0.4135.4 (X64) \n\tJul 10 2024 14:09:09 \n\tCopyright (C) 2022 Microsoft Corporation\n\tDeveloper Edition (64-bit) on Linux (Ubuntu 22.04.4 LTS) <X64>',
};

/** Server roles and database roles of each test login, as IS_SRVROLEMEMBER / IS_ROLEMEMBER would answer. */
const ROLES: Record<string, { sysadmin: number; dbOwner: number; backupOperator: number; canSelect: number }> = {
  sa: { sysadmin: 1, dbOwner: 1, backupOperator: 0, canSelect: 1 },
  backup_op: { sysadmin: 0, dbOwner: 0, backupOperator: 1, canSelect: 0 },
  orders_app: { sysadmin: 0, dbOwner: 0, backupOperator: 0, canSelect: 1 },
};

const serverRules: TdsRule[] = [
  {
    name: 'server identity',
    match: /SERVERPROPERTY\('ProductVersion'\)/,
    respond: [
      resultSet(
        { product_version: 'nvarchar(128)', edition: 'nvarchar(128)', engine_edition: 'int', version_banner: 'nvarchar(300)' },
        [SQL_SERVER_2022],
      ),
    ],
  },
  {
    name: 'login privileges',
    match: /IS_SRVROLEMEMBER\('sysadmin'\)/,
    respond: (_sql, _params, request) => {
      const roles = ROLES[request.user] ?? { sysadmin: 0, dbOwner: 0, backupOperator: 0, canSelect: 0 };
      const canBackup = roles.sysadmin || roles.dbOwner || roles.backupOperator;
      return [
        resultSet(
          {
            login_name: 'nvarchar(128)',
            database_name: 'nvarchar(128)',
            is_sysadmin: 'int',
            is_db_owner: 'int',
            is_db_backupoperator: 'int',
            can_backup_database: 'int',
            can_select: 'int',
          },
          [[request.user, request.database, roles.sysadmin, roles.dbOwner, roles.backupOperator, canBackup, roles.canSelect]],
        ),
      ];
    },
  },
  {
    name: 'database state',
    match: /FROM sys\.databases WHERE name = @name/,
    respond: (_sql, params) => {
      const states: Record<string, string> = { orders: 'ONLINE', billing: 'ONLINE', archive: 'RESTORING' };
      const state = states[String(params.name)];
      return [resultSet({ state_desc: 'nvarchar(60)' }, state ? [[state]] : [])];
    },
  },
];

let double: TdsTestDouble;

beforeAll(async () => {
  double = await startTdsTestDouble({
    logins: [
      { user: 'sa', password: 'Str0ng!Passw0rd' },
      { user: 'backup_op', password: 'B4ckup!op' },
      { user: 'orders_app', password: 'App!pass1', databases: ['orders'] },
    ],
    databases: ['orders', 'billing', { name: 'archive', state: 'RESTORING' }],
    rules: serverRules,
  });
});

afterAll(async () => {
  await double.stop();
});

afterEach(() => {
  double.setRules(serverRules);
  double.clearRecords();
});

function connectionTo(overrides: Partial<Connection> = {}): Connection {
  return connectionSchema.parse({ host: double.host, port: double.port, database: 'orders', user: 'sa', tls: 'disable', ...overrides });
}

async function failureOf(promise: Promise<unknown>): Promise<LifeboatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LifeboatError);
  return error as LifeboatError;
}

describe('SQL Server connection test: a reachable server', () => {
  it('reports SQL Server 2022 (16.x), its edition and banner, and that sa can take every kind of backup', async () => {
    const report = await sqlServerEngine.testConnection(connectionTo(), { password: 'Str0ng!Passw0rd' });
    expect(report).toMatchObject({
      engine: 'sqlserver',
      serverVersion: '16.0.4135.4',
      majorVersion: 16,
      edition: 'Developer Edition (64-bit)',
      currentUser: 'sa',
      privileges: {
        physicalBackup: { state: 'ok', detail: 'login sa is sysadmin' },
        logicalBackup: { state: 'ok', detail: 'login sa can read orders' },
      },
    });
    expect(report.versionString).toMatch(/^Microsoft SQL Server 2022 \(RTM-CU15\)/);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(report.testedAt)).not.toBeNaN();
    expect(report.warnings).toEqual([
      "TLS mode 'disable' leaves this SQL Server connection unencrypted: the login and the data cross the network in clear. Use 'verify-full', or 'require' to encrypt without checking the certificate.",
    ]);
  });

  it('sends exactly the reviewed T-SQL, as the service login, in the service database', async () => {
    await sqlServerEngine.testConnection(connectionTo(), { password: 'Str0ng!Passw0rd' });
    const statements = double.statements();
    expect(statements.map((s) => s.sql)).toEqual([EXPECTED_IDENTITY_SQL, EXPECTED_PRIVILEGES_SQL]);
    expect(statements.every((s) => s.kind === 'rpc' && s.parameters.length === 0 && s.user === 'sa' && s.database === 'orders')).toBe(true);
    expect(double.unmatched()).toEqual([]);
    expect(double.connections.every((c) => c.login?.appName === 'Lifeboat' && c.clientEncryption === 'NOT_SUP')).toBe(true);
    // Nothing left open on the server after the test.
    await expect.poll(() => double.connections.every((c) => c.closed)).toBe(true);
  });

  it('accepts db_backupoperator for physical backups, and says when the login cannot read the data', async () => {
    const report = await sqlServerEngine.testConnection(connectionTo({ user: 'backup_op' }), { password: 'B4ckup!op' });
    expect(report.privileges.physicalBackup).toEqual({ state: 'ok', detail: 'login backup_op is db_backupoperator in orders' });
    expect(report.privileges.logicalBackup).toEqual({
      state: 'missing',
      detail: 'login backup_op cannot SELECT in orders; fix: USE [orders]; ALTER ROLE db_datareader ADD MEMBER [backup_op];',
    });
  });

  it('marks physical backups missing for a login that is neither sysadmin nor db_backupoperator', async () => {
    const report = await sqlServerEngine.testConnection(connectionTo({ user: 'orders_app' }), { password: 'App!pass1' });
    expect(report.currentUser).toBe('orders_app');
    expect(report.privileges.physicalBackup).toEqual({
      state: 'missing',
      detail:
        'login orders_app is neither sysadmin nor db_owner or db_backupoperator in orders, so BACKUP DATABASE will fail; fix: USE [orders]; ALTER ROLE db_backupoperator ADD MEMBER [orders_app];',
    });
    expect(report.privileges.logicalBackup.state).toBe('ok');
  });

  it('finds a named instance through SQL Server Browser (UDP 1434) and ignores the configured port', async () => {
    const named = await startTdsTestDouble({
      logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }],
      databases: ['orders'],
      rules: serverRules,
      sqlBrowser: { instanceName: 'LIFEBOAT' },
    });
    try {
      const connection = connectionSchema.parse({ host: '127.0.0.1', port: 1, instance: 'lifeboat', database: 'orders', user: 'sa', tls: 'disable' });
      const report = await sqlServerEngine.testConnection(connection, { password: 'Str0ng!Passw0rd' });
      expect(report.majorVersion).toBe(16);
      expect(named.statements().map((s) => s.sql)).toEqual([EXPECTED_IDENTITY_SQL, EXPECTED_PRIVILEGES_SQL]);
    } finally {
      await named.stop();
    }
  });
});

describe('SQL Server connection test: failures a DBA can act on', () => {
  it('AUTH_FAILED for a wrong password, without the password in the message', async () => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo(), { password: 'Wrong!Passw0rd' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe(`SQL Server at 127.0.0.1:${double.port} rejected the login 'sa' (error 18456).`);
    expect(error.hint).toMatch(/user name and password/);
    expect(error.hint).toMatch(/SQL Server and Windows Authentication mode/);
    expect(JSON.stringify(error.toWire())).not.toContain('Wrong!Passw0rd');
  });

  it('AUTH_FAILED before connecting when no password is available', async () => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo(), {}));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe("No password is available for SQL Server login 'sa'.");
    expect(double.connections).toEqual([]);
  });

  it('UNREACHABLE when nothing listens on the port, naming host and port', async () => {
    const port = await freePort();
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ port }), { password: 'x' }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toBe(`Cannot reach SQL Server at 127.0.0.1:${port} (connection refused).`);
    expect(error.hint).toMatch(/TCP\/IP is enabled/);
    expect(error.hint).toMatch(/firewall allows \d+\/tcp/);
    expect(error.hint).toMatch(/SQL Server Browser/);
  });

  it('TIMEOUT when the port accepts connections but never answers', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ port }), { password: 'x', timeoutMs: 500 }));
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toBe(`SQL Server at 127.0.0.1:${port} did not answer within 500 ms.`);
    } finally {
      silent.close();
    }
  });

  it.each(['require', 'verify-full'] as const)('TLS when mode %s meets a server that will not encrypt, and the password never leaves', async (tls) => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ tls }), { password: 'Str0ng!Passw0rd' }));
    expect(error.code).toBe('TLS');
    expect(error.message).toContain(`answered NOT_SUP to the request for encryption), and TLS mode '${tls}' requires encryption`);
    expect(error.hint).toMatch(/TLS mode 'disable'/);
    // The client asked for encryption, got none, and hung up before LOGIN7.
    expect(double.connections.length).toBeGreaterThan(0);
    expect(double.connections.every((c) => c.clientEncryption === 'ON' && c.login === undefined)).toBe(true);
  });

  it('TLS when the server forces encryption and the mode turns it off', async () => {
    const forcing = await startTdsTestDouble({ logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }], databases: ['orders'], encryption: 'REQ' });
    try {
      const connection = connectionSchema.parse({ host: forcing.host, port: forcing.port, database: 'orders', user: 'sa', tls: 'prefer' });
      const error = await failureOf(sqlServerEngine.testConnection(connection, { password: 'Str0ng!Passw0rd' }));
      expect(error.code).toBe('TLS');
      expect(error.message).toBe(`SQL Server at 127.0.0.1:${forcing.port} requires encryption, and the TLS mode 'prefer' turns it off.`);
      expect(error.hint).toMatch(/'verify-full'/);
    } finally {
      await forcing.stop();
    }
  });

  it('NOT_FOUND for a database that does not exist (checked in sys.databases)', async () => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ database: 'ordres' }), { password: 'Str0ng!Passw0rd' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`Database 'ordres' does not exist on 127.0.0.1:${double.port}.`);
    const lookup = double.statements().find((s) => /sys\.databases/.test(s.sql));
    expect(lookup).toMatchObject({ sql: 'SELECT state_desc FROM sys.databases WHERE name = @name;', params: { name: 'ordres' }, database: 'master' });
  });

  it('PERMISSION_DENIED when the database is there but the login has no user in it', async () => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ user: 'orders_app', database: 'billing' }), { password: 'App!pass1' }));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toBe(`Login 'orders_app' has no access to database 'billing' on 127.0.0.1:${double.port}.`);
    expect(error.hint).toContain('USE [billing]; CREATE USER [orders_app] FOR LOGIN [orders_app];');
  });

  it('UNREACHABLE for a database that is RESTORING, pointing at the primary', async () => {
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo({ database: 'archive' }), { password: 'Str0ng!Passw0rd' }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toBe(`Database 'archive' on 127.0.0.1:${double.port} is RESTORING and cannot be opened.`);
    expect(error.hint).toMatch(/connect to the primary/);
  });

  it('CANCELLED when the caller gives up while the server is still answering', async () => {
    double.prependRules({ name: 'slow identity', match: /SERVERPROPERTY/, respond: [delay(5000)] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await failureOf(sqlServerEngine.testConnection(connectionTo(), { password: 'Str0ng!Passw0rd', signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(3000);
    // The running statement was really cancelled on the server (ATTENTION), not just abandoned.
    await expect.poll(() => double.statements().find((s) => s.answeredBy === 'slow identity')?.cancelled).toBe(true);
  });
});
