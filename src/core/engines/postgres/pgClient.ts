// A short-lived node-postgres session for one service, with the same TLS mapping and error classification
// as the connection test.
import pg from 'pg';
import type { Connection } from '../../../shared/domain';
import { classifyPostgresError } from './classifyPostgresError';
import { tlsOptions } from './tlsOptions';

export async function withPgClient<T>(
  connection: Connection,
  password: string | undefined,
  work: (client: pg.Client) => Promise<T>,
  options: { database?: string; timeoutMs?: number; /** A physical replication connection (BASE_BACKUP). */ replication?: boolean } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
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
  try {
    await client.connect();
  } catch (err) {
    throw classifyPostgresError(err, { host: connection.host, port: connection.port, database, user: connection.user, tls: connection.tls, timeoutMs });
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Quotes an identifier for SQL, as quote_ident would. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
