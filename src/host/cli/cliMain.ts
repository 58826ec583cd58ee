// The CLI door: `lifeboat <command>`. Human output by default, --json for scripts, exit codes per error
// class (see EXIT_CODES in src/shared/errors.ts). Only the running command's module is loaded (see
// commandCatalog.ts): help answers at once, and wal-push/wal-get never load the core.
import { toWireError } from '../../core/lifeboatError';
import { createOutput } from './cliOutput';
import { COMMANDS, commandUsage, USAGE } from './commandCatalog';

/** Global options are taken out wherever they stand; the rest goes to the command. */
function splitGlobals(argv: string[]): { config?: string; dataDir?: string; json: boolean; rest: string[] } {
  const rest: string[] = [];
  let config: string | undefined;
  let dataDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--config') config = argv[++i];
    else if (arg.startsWith('--config=')) config = arg.slice(9);
    else if (arg === '--data-dir') dataDir = argv[++i];
    else if (arg.startsWith('--data-dir=')) dataDir = arg.slice(11);
    else rest.push(arg);
  }
  return { config, dataDir, json, rest };
}

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
    // A flag node:util's parseArgs does not know, or one missing its value: the user's input, not a bug.
    if ((err as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS'))
      return out.error({ code: 'INVALID_INPUT', message: (err as Error).message, hint: `Run "lifeboat ${command} --help" for its options.` });
    return out.error(toWireError(err));
  }
}
