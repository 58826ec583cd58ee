// CLI commands for replication and HA status: `lifeboat replication <service>`.
import type { Core } from '../../core/api';
import type { Output } from './cliOutput';

export const REPLICATION_USAGE = `lifeboat replication <service> [--json]           replication and HA status`;

export async function replicationCommand(_core: Core, args: string[], out: Output): Promise<number> {
  return out.error({ code: 'INVALID_INPUT', message: `replication is not available yet (${args.join(' ')})`, hint: 'Run "lifeboat help" for the commands.' });
}
