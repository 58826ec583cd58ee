// The CLI door: `lifeboat <command>`. Human output by default, --json for scripts, exit codes per error
// class (see EXIT_CODES in src/shared/errors.ts).
import { createCore } from '../../core/api';
import { toWireError } from '../../core/lifeboatError';
import { createOutput } from './cliOutput';
import { servicesCommand, SERVICES_USAGE } from './servicesCommand';
import { backupCommand, BACKUP_USAGE } from './backupCommands';
import { recoveryCommand, RECOVERY_USAGE } from './recoveryCommands';
import { sqlServerCommand, SQLSERVER_USAGE } from './sqlServerCommands';
import { replicationCommand, REPLICATION_USAGE } from './replicationCommands';
import { runbookCommand, RUNBOOK_USAGE } from './runbookCommands';
import { agentCommand, AGENT_USAGE } from './agentCommand';
import { monitoringCommand, MONITORING_USAGE } from './monitoringCommands';

const USAGE = `Lifeboat: backups, point-in-time recovery and drills for a fleet of service databases.

Usage:
${SERVICES_USAGE}
${BACKUP_USAGE}
${RECOVERY_USAGE}
${SQLSERVER_USAGE}
${REPLICATION_USAGE}
${RUNBOOK_USAGE}
${AGENT_USAGE}
${MONITORING_USAGE}

Global options:
  --config FILE     the fleet file (default: LIFEBOAT_CONFIG or fleet.yaml in the app-data folder)
  --data-dir DIR    state and logs (default: LIFEBOAT_DATA_DIR or the app-data folder)
  --json            machine-readable output
Exit codes: 0 ok, 2 bad input or config, 3 connection/authentication, 4 privileges or keychain,
            5 tools or disk, 6 integrity, 7 recovery window, 8 cancelled, 1 internal error.`;

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

export async function runCli(argv: string[]): Promise<number> {
  const { config, dataDir, json, rest } = splitGlobals(argv);
  const out = createOutput(json);
  const [command, ...args] = rest;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  // The agent builds its own long-lived core (schedules, WAL streams) and runs until stopped.
  if (command === 'agent') return agentCommand({ config, dataDir }, args, out);
  try {
    const core = await createCore({ configPath: config, dataDir });
    try {
      switch (command) {
        case 'services':
          return await servicesCommand(core, args, out, readStdin);
        case 'repo':
        case 'backup':
        case 'backups':
        case 'verify':
        case 'restore':
        case 'retention':
        case 'jobs':
          return await backupCommand(core, command, args, out, readStdin);
        case 'wal':
        case 'wal-push':
        case 'wal-get':
        case 'window':
        case 'pitr':
        case 'restore-commands':
        case 'backup-fetch':
        case 'scratch':
        case 'drill':
        case 'drills':
          return await recoveryCommand(core, command, args, out);
        case 'sqlserver':
          return await sqlServerCommand(core, args, out);
        case 'replication':
          return await replicationCommand(core, args, out);
        case 'runbook':
        case 'report':
          return await runbookCommand(core, command, args, out);
        case 'schedules':
        case 'dashboard':
        case 'notifications':
        case 'webhook':
          return await monitoringCommand(core, command, args, out, readStdin);
        default:
          return out.error({ code: 'INVALID_INPUT', message: `Unknown command: ${command}`, hint: 'Run "lifeboat help" for the commands.' });
      }
    } finally {
      await core.close();
    }
  } catch (err) {
    // A flag node:util's parseArgs does not know, or one missing its value: the user's input, not a bug.
    if ((err as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS'))
      return out.error({ code: 'INVALID_INPUT', message: (err as Error).message, hint: `Run "lifeboat help" for ${command}'s options.` });
    return out.error(toWireError(err));
  }
}
