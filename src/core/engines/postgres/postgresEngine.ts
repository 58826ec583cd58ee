// The PostgreSQL engine: connection tests through node-postgres (backups come later).
import pg from 'pg';
import type { Connection, ConnectionReport } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';
import type { ConnectionTestOptions, Engine } from '../engine';
import { logicalBackupCheck, physicalBackupCheck } from './backupPrivileges';
import { classifyPostgresError, type ConnectionAttempt } from './classifyPostgresError';
import { readServerFacts, readTableAccess } from './connectionQueries';
import { serverWarnings } from './serverWarnings';
import { tlsOptions } from './tlsOptions';

const DEFAULT_TIMEOUT_MS = 10_000;

export const postgresEngine: Engine = {
  kind: 'postgres',
  testConnection,
};

async function testConnection(connection: Connection, options: ConnectionTestOptions): Promise<ConnectionReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { host, port, database, user } = connection;
  const passwordGiven = options.password !== undefined;
  const attempt: ConnectionAttempt = { host, port, database, user, tls: connection.tls, timeoutMs, passwordGiven };
  const tls = tlsOptions(connection.tls);
  const client = new pg.Client({
    host,
    port,
    database,
    user,
    // Left out when undefined, so that pg looks in PGPASSFILE / ~/.pgpass as libpq would.
    ...(passwordGiven ? { password: options.password } : {}),
    ssl: tls.ssl,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'lifeboat',
  });
  // After a timeout or a cancel the socket may still fail; that must not become an uncaught 'error'.
  client.on('error', () => {});

  const testedAt = new Date().toISOString();
  const work = (async (): Promise<ConnectionReport> => {
    const started = performance.now();
    await client.connect();
    // Latency is the time to open a session (TCP, TLS, authentication): what every backup pays first.
    const latencyMs = Math.round(performance.now() - started);
    const facts = await readServerFacts(client);
    // Superusers read every table and bypass row-level security; everyone else gets the table census.
    const access = facts.isSuperuser ? undefined : await readTableAccess(client);
    return {
      engine: 'postgres',
      serverVersion: shortVersion(facts.serverVersion),
      majorVersion: Math.floor(facts.serverVersionNum / 10_000),
      versionString: facts.versionString,
      currentUser: facts.role,
      privileges: { physicalBackup: physicalBackupCheck(facts), logicalBackup: logicalBackupCheck(facts, access) },
      warnings: [...tls.warnings, ...serverWarnings(facts)],
      latencyMs,
      testedAt,
    };
  })();

  try {
    return await withinDeadline(work, timeoutMs, options.signal);
  } catch (err) {
    throw classifyPostgresError(err, attempt);
  } finally {
    // end() on a hung query destroys the socket rather than waiting for it.
    void client.end().catch(() => {});
  }
}

/** Rejects with TIMEOUT or CANCELLED as soon as either happens; the caller then closes the client. */
function withinDeadline<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
  if (signal?.aborted) return Promise.reject(cancelled());
  // The losing side of the race must not surface as an unhandled rejection.
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    const onAbort = () => reject(cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

function cancelled(): LifeboatError {
  return new LifeboatError('CANCELLED', 'The connection test was cancelled.', 'Nothing was changed on the server.');
}

/** "15.18 (Debian 15.18-0+deb12u1)" -> "15.18"; "17beta1" stays whole. */
function shortVersion(serverVersion: string): string {
  return serverVersion.trim().split(/\s+/)[0] ?? serverVersion;
}
