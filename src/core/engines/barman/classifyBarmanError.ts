// Turns a failed barman command into a LifeboatError: Barman's own "ERROR:" line is the message, and its words
// say what a DBA does next.
import { LifeboatError } from '../../lifeboatError';

export function classifyBarmanError(output: string, exit: string): LifeboatError {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const errorLine = lines.find((l) => /^(ERROR|EXCEPTION|FATAL)/.test(l)) ?? lines.find((l) => /error|failed/i.test(l)) ?? lines.at(-1) ?? exit;
  const message = `Barman: ${errorLine}`;
  const has = (re: RegExp) => re.test(output);
  if (has(/Unknown server/)) return new LifeboatError('NOT_FOUND', message, 'Check the service\'s Barman server name (barman: { server }); list them with "barman list-servers".');
  if (has(/Unknown backup/)) return new LifeboatError('NOT_FOUND', message, 'List the backups with "barman list-backups <server>".');
  if (has(/Another .* process is running|is already running|lock/i)) return new LifeboatError('CONFLICT', message, 'Another Barman command holds the server\'s lock (a backup, cron or recover): wait for it.');
  if (has(/must be run as|Permission denied|permission denied/)) return new LifeboatError('PERMISSION_DENIED', message, "Run Barman as its barman_user: set the service's barman.osUser.");
  if (has(/connection refused|could not connect|cannot connect|no pg_hba/i)) return new LifeboatError('UNREACHABLE', message, 'Barman cannot reach PostgreSQL: check conninfo and streaming_conninfo in its config, and that the server is up.');
  if (has(/WAL file .* not found|missing WAL|WAL .* missing/i)) return new LifeboatError('BROKEN_CHAIN', message, 'Barman misses WAL this backup needs: check archiving ("barman check <server>") and take a new backup.');
  if (has(/checksum|verif/i)) return new LifeboatError('CHECKSUM_MISMATCH', message, 'Barman found the backup damaged: take a new backup and look at its disk.');
  if (has(/No space left/i)) return new LifeboatError('NO_SPACE', message, 'Free space where Barman writes (its barman_home, or the restore target).');
  if (has(/Configuration file|config.*not found|Failed opening the configuration/i)) return new LifeboatError('CONFIG_INVALID', message, "Check the service's Barman config file (barman: { config }).");
  return new LifeboatError('INTERNAL', message, 'Barman\'s own log (log_file in its config) has the details.');
}

export const BARMAN_MISSING = new LifeboatError('TOOL_MISSING', 'barman is not installed on this computer.', 'Install it (Debian/Ubuntu: apt install barman) or run Lifeboat where Barman runs.');
