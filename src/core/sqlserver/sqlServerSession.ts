// One connection to a SQL Server service for a piece of work: statements run one at a time, INFO messages
// (STATS progress) reach the caller, long statements (BACKUP/RESTORE/DBCC) run without a request timeout,
// and an abort cancels the running statement with a TDS attention and keeps what the server said.
import type { ConnectionPool, Request as MssqlRequest } from 'mssql';
import type { Connection } from '../../shared/domain';
import type { SqlServerMessage } from '../engines/sqlserver/classifySqlServerError';
import { requireEncryptedLogin } from '../engines/sqlserver/encryptionGuard';
import { loadMssql } from '../engines/sqlserver/mssqlDriver';
import { requiresEncryption, serverAddress, sqlServerPoolConfig } from '../engines/sqlserver/sqlServerPoolConfig';
import { connectTimeoutMs, deadlinePassed, onDeadline } from '../fleet/serverDeadline';
import { LifeboatError } from '../lifeboatError';
import { classifySqlServerOperationError } from './classifySqlServerOperationError';

const CONNECT_TIMEOUT_MS = 15_000;

export interface StatementOptions {
  /** BACKUP, RESTORE, DBCC: no request timeout (mssql's counts to the first packet, STATS may come later). */
  long?: boolean;
  onInfo?: (message: SqlServerMessage) => void;
  bind?: (request: MssqlRequest) => MssqlRequest;
  /** Clean-up that must run even after a cancel (e.g. dropping a drill's scratch database). */
  evenIfCancelled?: boolean;
}

export interface SqlSession {
  /** Runs one statement; rows of its first result set. */
  run<R = Record<string, unknown>>(sql: string, options?: StatementOptions): Promise<R[]>;
  /** Every ERROR and INFO message the server sent on this connection, in order. */
  readonly messages: readonly SqlServerMessage[];
}

export interface SessionSettings {
  password: string | undefined;
  /** What the work is, for messages: "BACKUP of orders". */
  operation: string;
  database?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function withSqlSession<T>(connection: Connection, settings: SessionSettings, work: (session: SqlSession) => Promise<T>): Promise<T> {
  if (settings.password === undefined) {
    throw new LifeboatError(
      'AUTH_FAILED',
      `No password is available for SQL Server login '${connection.user}'.`,
      'Store the password in the keychain, or point the service at the environment variable that holds it.',
    );
  }
  // Loaded before the abort check, so that an abort during the load is still seen before connecting.
  const mssql = await loadMssql();
  settings.signal?.throwIfAborted();
  // Inside a fleet view, never wait longer than the view does (serverDeadline.ts).
  const timeoutMs = connectTimeoutMs(settings.timeoutMs ?? CONNECT_TIMEOUT_MS);
  const messages: SqlServerMessage[] = [];
  const pool = new mssql.ConnectionPool(
    sqlServerPoolConfig(connection, {
      password: settings.password,
      timeoutMs,
      database: settings.database,
      beforeConnect: (tedious) => {
        tedious.on('errorMessage', (m) => messages.push({ number: m.number, state: m.state, class: m.class, message: m.message }));
        tedious.on('infoMessage', (m) => messages.push({ number: m.number, state: m.state, class: m.class, message: m.message }));
        if (requiresEncryption(connection.tls)) requireEncryptedLogin(tedious, serverAddress(connection), connection.tls);
      },
    }),
  );
  let running: MssqlRequest | undefined;
  let runningDone: Promise<unknown> | undefined;
  const context = () => ({ connection, serverMessages: messages, timeoutMs, password: settings.password, operation: settings.operation });

  const session: SqlSession = {
    messages,
    async run<R>(sql: string, options: StatementOptions = {}) {
      if (!options.evenIfCancelled) settings.signal?.throwIfAborted();
      const base = new (mssql.Request as unknown as new (parent: ConnectionPool, overrides?: { requestTimeout?: number }) => MssqlRequest)(pool, options.long ? { requestTimeout: 0 } : {});
      const request = options.bind ? options.bind(base) : base;
      if (options.onInfo) request.on('info', (m: SqlServerMessage) => options.onInfo!(m));
      const firstMessage = messages.length;
      running = request;
      const promise = request.query<R>(sql);
      runningDone = promise.catch(() => undefined);
      try {
        return (await promise).recordset ?? [];
      } catch (error) {
        const since = messages.slice(firstMessage);
        if (settings.signal?.aborted && !options.evenIfCancelled) throw cancelledError(settings.operation, since, error);
        throw deadlinePassed() ?? classifySqlServerOperationError(error, { ...context(), serverMessages: since });
      } finally {
        running = undefined;
      }
    },
  };

  const onAbort = () => running?.cancel();
  settings.signal?.addEventListener('abort', onAbort, { once: true });
  // A host that accepts and never answers: when a fleet view stops waiting, the connection goes too.
  const stopAtDeadline = onDeadline(() => void pool.close().catch(() => undefined));
  try {
    try {
      await pool.connect();
    } catch (error) {
      if (settings.signal?.aborted) throw cancelledError(settings.operation, messages, error);
      throw deadlinePassed() ?? classifySqlServerOperationError(error, context());
    }
    return await work(session);
  } finally {
    stopAtDeadline();
    settings.signal?.removeEventListener('abort', onAbort);
    // Let a cancelled statement finish its attention round trip before the connection goes.
    if (runningDone) await Promise.race([runningDone, new Promise((r) => setTimeout(r, 2000))]);
    await pool.close().catch(() => undefined);
  }
}

/** A cancelled statement: the job says what the server answered, or where it was when it acknowledged. */
function cancelledError(operation: string, messages: readonly SqlServerMessage[], cause: unknown): LifeboatError {
  const errors = messages.filter((m) => m.class > 10).map((m) => `${m.message} (error ${m.number})`);
  const last = [...messages].reverse().find((m) => m.class <= 10);
  const what = errors.length
    ? `SQL Server said: ${errors.join(' ')}`
    : `SQL Server acknowledged the cancel${last ? ` after "${last.message}"` : ''}.`;
  return new LifeboatError(
    'CANCELLED',
    `${operation} was cancelled. ${what}`,
    'SQL Server rolls back a cancelled BACKUP or RESTORE; a partial backup file may remain in the backup folder and can be deleted.',
    { cause },
  );
}
