// The CLI door: `lifeboat <command>`. Human output by default, --json for scripts, exit codes per error
// class (see EXIT_CODES in src/shared/errors.ts). Only the running command's module is loaded (see
// commandCatalog.ts): help answers at once, and wal-push/wal-get never load the core.
import { createOutput } from './cliOutput';
import { commandFailure } from './cliErrors';
import { splitGlobals } from './cliGlobals';
import { USAGE } from './commandUsage';
import { COMMANDS, commandUsage } from './commandCatalog';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

export async function runCli(argv: string[]): Promise<number> {
  const { config, dataDir, json, rest } = splitGlobals(argv);
  const out = createOutput(json);
  const [command, ...args] = rest;
  if (!command || command === 'help' || isHelp(command)) {
    // `lifeboat help backup` is `lifeboat backup --help`.
    process.stdout.write((command === 'help' && args[0] && COMMANDS[args[0]] ? commandUsage(args[0]) : USAGE) + '\n');
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  if (!entry) return out.error({ code: 'INVALID_INPUT', message: `Unknown command: ${command}`, hint: 'Run "lifeboat help" for the commands.' });
  if (args.some(isHelp)) {
    process.stdout.write(commandUsage(command) + '\n');
    return 0;
  }
  try {
    const module = await entry.load();
    return await module.run({ command, args, globals: { config, dataDir }, out, readStdin });
  } catch (err) {
    return out.error(commandFailure(err, command));
  }
}
