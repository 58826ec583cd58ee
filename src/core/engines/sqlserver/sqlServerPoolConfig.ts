// How a Lifeboat connection becomes mssql settings: TLS modes mapped to encrypt/trustServerCertificate,
// named instances resolved through SQL Server Browser, one short-lived connection with bounded timeouts.
import type { config as MssqlConfig, Connection as TediousConnection } from 'mssql';
import type { Connection, TlsMode } from '../../../shared/domain';

export interface DriverTls {
  encrypt: boolean;
  trustServerCertificate: boolean;
}

/**
 * disable/prefer: no encryption (tedious cannot try TLS and fall back, so "prefer" cannot mean more);
 * require: encrypt without checking the certificate; verify-ca/verify-full: encrypt and check the chain and
 * the host name (tedious has no chain-only check, so verify-ca is as strict as verify-full).
 */
export function driverTls(mode: TlsMode): DriverTls {
  switch (mode) {
    case 'disable':
    case 'prefer':
      return { encrypt: false, trustServerCertificate: false };
    case 'require':
      return { encrypt: true, trustServerCertificate: true };
    case 'verify-ca':
    case 'verify-full':
      return { encrypt: true, trustServerCertificate: false };
  }
}

export function requiresEncryption(mode: TlsMode): boolean {
  return driverTls(mode).encrypt;
}

/** How messages name the server: host:port, or host\\instance for a named instance. */
export function serverAddress(connection: Pick<Connection, 'host' | 'port' | 'instance'>): string {
  return connection.instance ? `${connection.host}\\${connection.instance}` : `${connection.host}:${connection.port}`;
}

export interface PoolSettings {
  password: string;
  timeoutMs: number;
  /** Overrides the connection's database, e.g. master to look into sys.databases. */
  database?: string;
  /** Called with each tedious connection before it logs in. */
  beforeConnect?: (connection: TediousConnection) => void;
}

export function sqlServerPoolConfig(connection: Connection, settings: PoolSettings): MssqlConfig {
  return {
    server: connection.host,
    // With a named instance SQL Server Browser (UDP 1434) says which port to use; mssql drops the port then.
    port: connection.instance ? undefined : connection.port,
    database: settings.database ?? connection.database,
    user: connection.user,
    password: settings.password,
    connectionTimeout: settings.timeoutMs,
    requestTimeout: settings.timeoutMs,
    // One connection, closed right after: a connection test must not leave sessions on the server.
    pool: { max: 1, min: 0, idleTimeoutMillis: 1000 },
    // mssql would run "SELECT 1;" before every borrow; the statements that follow prove the same.
    validateConnection: false,
    options: {
      ...driverTls(connection.tls),
      instanceName: connection.instance,
      appName: 'Lifeboat',
    },
    beforeConnect: settings.beforeConnect,
  };
}
