// `lifeboat agent --config fleet.yaml`: schedules and WAL streaming on a server with no display.
import type { Output } from './cliOutput';

export const AGENT_USAGE = `lifeboat agent [--config fleet.yaml]                run schedules and WAL streaming headless`;

export async function agentCommand(globals: { config?: string; dataDir?: string }, args: string[], out: Output): Promise<number> {
  void globals;
  return out.error({ code: 'INVALID_INPUT', message: `agent is not available yet (${args.join(' ')})`, hint: 'Run "lifeboat help" for the commands.' });
}
