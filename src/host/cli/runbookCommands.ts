// CLI commands for runbooks and the fleet report: `lifeboat runbook ...`, `lifeboat report ...`.
import type { Core } from '../../core/api';
import type { Output } from './cliOutput';

export const RUNBOOK_USAGE = `lifeboat runbook <service>|--all --format md|html|pdf --out <file>`;

export async function runbookCommand(_core: Core, command: string, args: string[], out: Output): Promise<number> {
  return out.error({ code: 'INVALID_INPUT', message: `${command} is not available yet (${args.join(' ')})`, hint: 'Run "lifeboat help" for the commands.' });
}
