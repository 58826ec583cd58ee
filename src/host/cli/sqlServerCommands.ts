// CLI commands for SQL Server: `lifeboat sqlserver <subcommand>`.
import type { Core } from '../../core/api';
import type { Output } from './cliOutput';

export const SQLSERVER_USAGE = `lifeboat sqlserver ...                            SQL Server backups, history and restore plans`;

export async function sqlServerCommand(_core: Core, args: string[], out: Output): Promise<number> {
  return out.error({ code: 'INVALID_INPUT', message: `Unknown sqlserver command: ${args[0] ?? '(none)'}`, hint: 'Run "lifeboat help" for the commands.' });
}
