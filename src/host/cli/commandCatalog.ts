// Every CLI command: the module that runs it, loaded only when that command runs, and its usage text
// (commandUsage.ts). Imports nothing else, so `lifeboat help` and `<command> --help` answer without loading
// the core.
import type { Output } from './cliOutput';
import { SERVICES_USAGE, BACKUP_USAGE, WAL_ARCHIVE_USAGE, RECOVERY_USAGE, SQLSERVER_USAGE, REPLICATION_USAGE, RUNBOOK_USAGE, AGENT_USAGE, MONITORING_USAGE, GLOBAL_OPTIONS, EXIT_CODE_TEXT, USAGE } from './commandUsage';


/** What a command needs from cliMain: the options every command shares, stdin, and the output. */
export interface CommandRun {
  command: string;
  args: string[];
  globals: { config?: string; dataDir?: string };
  out: Output;
  readStdin: () => Promise<string>;
}

export type CommandModule = { run(r: CommandRun): Promise<number> };

type Loader = () => Promise<CommandModule>;

const services: Loader = () => import('./servicesCommand');
const backups: Loader = () => import('./backupCommands');
const recovery: Loader = () => import('./recoveryCommands');
const find: Loader = () => import('./findCommand');
const walArchive: Loader = () => import('./walArchiveCommands');
const sqlServer: Loader = () => import('./sqlServerCommands');
const replication: Loader = () => import('./replicationCommands');
const runbooks: Loader = () => import('./runbookCommands');
const agent: Loader = () => import('./agentCommand');
const monitoring: Loader = () => import('./monitoringCommands');

/** Each command's module, and the usage text its help shows (the lines of that command). */
export const COMMANDS: Record<string, { load: Loader; usage: string }> = {
  services: { load: services, usage: SERVICES_USAGE },
  repo: { load: backups, usage: BACKUP_USAGE },
  backup: { load: backups, usage: BACKUP_USAGE },
  backups: { load: backups, usage: BACKUP_USAGE },
  verify: { load: backups, usage: BACKUP_USAGE },
  restore: { load: backups, usage: BACKUP_USAGE },
  retention: { load: backups, usage: BACKUP_USAGE },
  jobs: { load: backups, usage: BACKUP_USAGE },
  wal: { load: recovery, usage: RECOVERY_USAGE },
  'wal-push': { load: walArchive, usage: WAL_ARCHIVE_USAGE },
  'wal-get': { load: walArchive, usage: WAL_ARCHIVE_USAGE },
  window: { load: recovery, usage: RECOVERY_USAGE },
  pitr: { load: recovery, usage: RECOVERY_USAGE },
  find: { load: find, usage: RECOVERY_USAGE },
  'restore-commands': { load: recovery, usage: RECOVERY_USAGE },
  'backup-fetch': { load: recovery, usage: RECOVERY_USAGE },
  scratch: { load: recovery, usage: RECOVERY_USAGE },
  drill: { load: recovery, usage: RECOVERY_USAGE },
  drills: { load: recovery, usage: RECOVERY_USAGE },
  sqlserver: { load: sqlServer, usage: SQLSERVER_USAGE },
  replication: { load: replication, usage: REPLICATION_USAGE },
  runbook: { load: runbooks, usage: RUNBOOK_USAGE },
  report: { load: runbooks, usage: RUNBOOK_USAGE },
  agent: { load: agent, usage: AGENT_USAGE },
  schedules: { load: monitoring, usage: MONITORING_USAGE },
  dashboard: { load: monitoring, usage: MONITORING_USAGE },
  notifications: { load: monitoring, usage: MONITORING_USAGE },
  webhook: { load: monitoring, usage: MONITORING_USAGE },
};

/**
 * A command's own usage: the lines of its group that start with `lifeboat <command>` (`wal-push` is not
 * `wal`), each with the indented lines that continue it.
 */
export function commandUsage(command: string): string {
  const entry = COMMANDS[command];
  if (!entry) return USAGE;
  const lines: string[] = [];
  let taking = false;
  for (const line of entry.usage.split('\n')) {
    if (line.startsWith('lifeboat ')) taking = line.startsWith(`lifeboat ${command} `) || line === `lifeboat ${command}`;
    if (taking) lines.push(line);
  }
  return `Usage:\n${lines.join('\n')}\n\n${GLOBAL_OPTIONS}\n${EXIT_CODE_TEXT}`;
}
