// Refuses to log in unencrypted when the TLS mode asks for encryption. MS-TDS says a client that asked for
// encryption must hang up when the server answers ENCRYPT_NOT_SUP; tedious 19.2.2 (pinned) instead goes on
// and sends LOGIN7, password included, in clear. This guard hangs up first, before the password leaves.
import type { Connection as TediousConnection } from 'mssql';
import type { TlsMode } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';

type TlsNegotiation = TediousConnection['performTlsNegotiation'];

/**
 * Wraps the step where tedious reads the server's PRELOGIN answer and would start TLS: a server that will
 * not encrypt gets a TLS error instead of the login. `where` (host:port or host\\instance) and `tls` word it.
 */
export function requireEncryptedLogin(connection: TediousConnection, where: string, tls: TlsMode): void {
  const negotiate: TlsNegotiation | undefined = connection.performTlsNegotiation;
  if (typeof negotiate !== 'function') {
    // The driver changed shape: better no connection than an unchecked one.
    throw new LifeboatError(
      'INTERNAL',
      'This version of the SQL Server driver cannot be checked for encryption.',
      'Lifeboat is built for tedious 19.2.2; reinstall Lifeboat so the pinned driver is used.',
    );
  }
  connection.performTlsNegotiation = async function (this: TediousConnection, ...args: Parameters<TlsNegotiation>) {
    const answer = args[0].encryptionString;
    // ON and REQ are the server's "yes" (tedious then starts TLS); OFF and NOT_SUP would leave the login in clear.
    if (answer !== 'ON' && answer !== 'REQ') {
      throw new LifeboatError(
        'TLS',
        `SQL Server at ${where} will not encrypt the connection (it answered ${answer ?? 'nothing'} to the request for encryption), and TLS mode '${tls}' requires encryption. Lifeboat hung up before sending the password.`,
        `Something at ${where} speaks TDS without TLS: a proxy, a very old server, or not the SQL Server you expect. Check the address; only on a trusted network, TLS mode 'disable' connects without encryption.`,
      );
    }
    return negotiate.apply(this, args);
  };
}
