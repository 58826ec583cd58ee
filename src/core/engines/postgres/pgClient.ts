// A short-lived node-postgres session for one service, with the same TLS mapping and error classification
// as the connection test.
import pg from 'pg';
import type { Connection } from '../../../shared/domain';
import { classifyPostgresError } from './classifyPostgresError';
import { tlsOptions } from './tlsOptions';
import { connectTimeoutMs, deadlinePassed, onDeadline } from '../../fleet/serverDeadline';

export async function withPgClient<T>(
  connection: Connection,
  password: string | undefined,
  work: (client: pg.Client) => Promise<T>,
  options: { database?: string; timeoutMs?: number; /** A physical replication connection (BASE_BACKUP). */ replication?: boolean } = {},
): Promise<T> {
  // Inside a fleet view, never wait longer than the view does (serverDeadline.ts).
  const timeoutMs = connectTimeoutMs(options.timeoutMs ?? 10_000);
  const database = options.database ?? connection.database;
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    database,
    user: connection.user,
    ...(password === undefined ? {} : { password }),
    ssl: tlsOptions(connection.tls).ssl,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'lifeboat',
    ...(options.replication ? { replication: 'true' } : {}),
  } as pg.ClientConfig);
  client.on('error', () => {});
  // A host that accepts and never answers: when the view stops waiting, the socket goes too.
  const stopAtDeadline = onDeadline(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy());
  try {
    await client.connect();
  } catch (err) {
    stopAtDeadline();
    throw deadlinePassed() ?? classifyPostgresError(err, { host: connection.host, port: connection.port, database, user: connection.user, tls: connection.tls, timeoutMs });
  }
  try {
    return await work(client);
  } finally {
    stopAtDeadline();
    await client.end().catch(() => {});
  }
}

/** Quotes an identifier for SQL, as quote_ident would. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
