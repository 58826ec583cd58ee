// The SQL Server engine: talks T-SQL to the server through mssql (tedious). For now it tests connections:
// who the server is, and whether the login can take the backups Lifeboat needs.
import type { Request as MssqlRequest } from 'mssql';
import type { Connection, ConnectionReport } from '../../../shared/domain';
import type { ConnectionTestOptions, Engine } from '../engine';
import { LifeboatError } from '../../lifeboatError';
import { classifySqlServerError, type SqlServerMessage } from './classifySqlServerError';
import {
  DATABASE_STATE_QUERY,
  type DatabaseStateRow,
  LOGIN_PRIVILEGES_QUERY,
  type LoginPrivilegesRow,
  SERVER_IDENTITY_QUERY,
  type ServerIdentityRow,
} from './connectionQueries';
import { requireEncryptedLogin } from './encryptionGuard';
import { loadMssql } from './mssqlDriver';
import { sqlServerConnectionReport } from './sqlServerConnectionReport';
import { requiresEncryption, serverAddress, sqlServerPoolConfig } from './sqlServerPoolConfig';

const DEFAULT_TIMEOUT_MS = 10_000;

export const sqlServerEngine: Engine = {
  kind: 'sqlserver',
  testConnection,
};

async function testConnection(connection: Connection, options: ConnectionTestOptions): Promise<ConnectionReport> {
  const testedAt = new Date().toISOString();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.password === undefined) {
    // Unlike libpq, SQL Server's driver has no password file to fall back on.
    throw new LifeboatError(
      'AUTH_FAILED',
      `No password is available for SQL Server login '${connection.user}'.`,
      'Store the password in the keychain, or point the service at the environment variable that holds it.',
    );
  }
  const password = options.password;
  const serverMessages: SqlServerMessage[] = [];
  try {
    return await withConnection(connection, { password, timeoutMs, serverMessages, signal: options.signal }, async (query) => {
      const started = performance.now();
      const identity = onlyRow(await query<ServerIdentityRow>(SERVER_IDENTITY_QUERY));
      const latencyMs = Math.round(performance.now() - started);
      const privileges = onlyRow(await query<LoginPrivilegesRow>(LOGIN_PRIVILEGES_QUERY));
      return sqlServerConnectionReport({
        identity,
        privileges,
        user: connection.user,
        database: connection.database,
        tls: connection.tls,
        latencyMs,
        testedAt,
      });
    });
  } catch (error) {
    const cancelled = options.signal?.aborted ?? false;
    // 4060 means "cannot open the database": missing, not online, or no user for this login. master says which.
    const databaseState =
      !cancelled && serverMessages.some((m) => m.number === 4060)
        ? await lookUpDatabaseState(connection, password, timeoutMs)
        : undefined;
    throw classifySqlServerError(error, { connection, serverMessages, databaseState, timeoutMs, cancelled, password });
  }
}

interface ConnectSettings {
  password: string;
  timeoutMs: number;
  serverMessages: SqlServerMessage[];
  database?: string;
  signal?: AbortSignal;
}

/** Runs one statement and returns its rows; `bind` adds parameters. */
type Query = <R>(sql: string, bind?: (request: MssqlRequest) => MssqlRequest) => Promise<R[]>;

/**
 * One short-lived pool (max one connection) for `work`, closed whatever happens. An abort cancels the
 * running statement (tedious sends ATTENTION) and returns at once, whatever the server is doing.
 */
async function withConnection<T>(connection: Connection, settings: ConnectSettings, work: (query: Query) => Promise<T>): Promise<T> {
  // Loaded before the abort check, so that an abort during the load is still seen before connecting.
  const mssql = await loadMssql();
  settings.signal?.throwIfAborted();
  const pool = new mssql.ConnectionPool(
    sqlServerPoolConfig(connection, {
      password: settings.password,
      timeoutMs: settings.timeoutMs,
      database: settings.database,
      beforeConnect: (tedious) => {
        tedious.on('errorMessage', (m) => settings.serverMessages.push({ number: m.number, state: m.state, class: m.class, message: m.message }));
        if (requiresEncryption(connection.tls)) requireEncryptedLogin(tedious, serverAddress(connection), connection.tls);
      },
    }),
  );

  let running: MssqlRequest | undefined;
  const query: Query = async <R>(sql: string, bind?: (request: MssqlRequest) => MssqlRequest) => {
    const request = pool.request();
    running = request;
    try {
      return (await (bind ? bind(request) : request).query<R>(sql)).recordset ?? [];
    } finally {
      running = undefined;
    }
  };
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => {
      running?.cancel();
      reject(settings.signal?.reason);
    };
    settings.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const connectAndWork = async () => {
      await pool.connect();
      return work(query);
    };
    return await Promise.race([connectAndWork(), abandoned]);
  } finally {
    if (onAbort) settings.signal?.removeEventListener('abort', onAbort);
    await pool.close().catch(() => undefined);
  }
}

/** The single row a connection-test query returns. */
function onlyRow<T>(rows: T[]): T {
  const row = rows[0];
  if (!row) throw new LifeboatError('INTERNAL', 'SQL Server returned no row for a connection-test query.', 'This is a bug in Lifeboat; the log file has the details.');
  return row;
}

/** 'missing', the database's state_desc, or undefined when master cannot be asked either. */
async function lookUpDatabaseState(connection: Connection, password: string, timeoutMs: number): Promise<string | undefined> {
  try {
    // The bind callback is synchronous, so the driver (for its NVarChar) is loaded before it runs.
    const mssql = await loadMssql();
    return await withConnection(connection, { password, timeoutMs, serverMessages: [], database: 'master' }, async (query) => {
      const rows = await query<DatabaseStateRow>(DATABASE_STATE_QUERY, (r) => r.input('name', mssql.NVarChar(128), connection.database));
      return rows[0]?.state_desc ?? 'missing';
    });
  } catch {
    return undefined;
  }
}
