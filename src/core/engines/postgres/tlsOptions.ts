// Maps libpq's sslmode names onto node-postgres TLS options, as close to libpq as the driver allows.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { TlsMode } from '../../../shared/domain';

export interface TlsChoice {
  ssl: false | ConnectionOptions;
  /** What differs from what libpq would have done, for the connection report. */
  warnings: string[];
}

/**
 * libpq's "prefer" tries TLS and falls back to plain; node-postgres can only do one or the other, and
 * failing where libpq succeeds would be worse, so "prefer" connects in plain and says so.
 */
export function tlsOptions(mode: TlsMode, env: NodeJS.ProcessEnv = process.env): TlsChoice {
  switch (mode) {
    case 'disable':
      return { ssl: false, warnings: [] };
    case 'prefer':
      return {
        ssl: false,
        warnings: [
          'TLS mode "prefer" connected without TLS: Lifeboat cannot try TLS and fall back to plain as libpq does. ' +
            'Choose "require" (or a verify mode) to encrypt, or "disable" to say plain is intended.',
        ],
      };
    case 'require':
      // Encrypted, certificate not checked: libpq's meaning of require without a root certificate.
      return { ssl: { rejectUnauthorized: false }, warnings: [] };
    case 'verify-ca':
    case 'verify-full': {
      const root = rootCertificate(env);
      const ssl: ConnectionOptions = { rejectUnauthorized: true, ...(root.ca ? { ca: root.ca } : {}) };
      // verify-ca trusts any host name the certificate carries; only the chain is checked.
      if (mode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
      return { ssl, warnings: root.warning ? [root.warning] : [] };
    }
  }
}

/**
 * libpq reads the trusted authorities from PGSSLROOTCERT or ~/.postgresql/root.crt ("system" meaning the
 * operating system's store). Without either we use Node's bundled authorities rather than fail.
 */
function rootCertificate(env: NodeJS.ProcessEnv): { ca?: string; warning?: string } {
  const configured = env.PGSSLROOTCERT;
  if (configured === 'system') return {};
  const path = configured || join(env.HOME || homedir(), '.postgresql', 'root.crt');
  if (existsSync(path)) return { ca: readFileSync(path, 'utf8') };
  if (configured) return { warning: `PGSSLROOTCERT names ${configured}, which does not exist; the server certificate was checked against the public authorities Node trusts.` };
  return {
    warning: `No root certificate at ${path} (or PGSSLROOTCERT): the server certificate was checked against the public authorities Node trusts.`,
  };
}
