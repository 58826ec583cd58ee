// The options every command takes, wherever they stand on the line: --config, --data-dir and --json.
export interface CliGlobals {
  config?: string;
  dataDir?: string;
  json: boolean;
  /** Everything else, for the command. */
  rest: string[];
}

export function splitGlobals(argv: string[]): CliGlobals {
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
