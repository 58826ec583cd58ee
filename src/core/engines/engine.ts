// What every database engine offers the core. One implementation per engine folder.
import type { Connection, ConnectionReport, EngineKind } from '../../shared/domain';

export interface ConnectionTestOptions {
  /** The password resolved from the keychain, an environment variable or typed in the wizard; undefined lets
   * the driver use its own fallbacks (PostgreSQL: PGPASSFILE / ~/.pgpass). */
  password?: string;
  /** Gives up with TIMEOUT after this long; default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Engine {
  readonly kind: EngineKind;
  /**
   * Connects, reads the server version and checks what backups need. Throws LifeboatError with AUTH_FAILED,
   * UNREACHABLE, TIMEOUT, TLS, PERMISSION_DENIED or NOT_FOUND (database missing), each with a hint.
   */
  testConnection(connection: Connection, options: ConnectionTestOptions): Promise<ConnectionReport>;
}
