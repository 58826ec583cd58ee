// Turns a failed pgbackrest command into a LifeboatError: pgBackRest's own ERROR line (with its numbered code,
// src/build/error/error.yaml) is the message, and the code says what a DBA does next.
import type { ErrorCode } from '../../../shared/errors';
import { LifeboatError } from '../../lifeboatError';

/** pgBackRest's error numbers Lifeboat tells apart, with the code and hint they become. */
const BY_NUMBER: Record<number, [ErrorCode, string]> = {
  26: ['CHECKSUM_MISMATCH', 'pgBackRest found a checksum that does not match: run "pgbackrest verify" and take a new full backup.'],
  27: ['CONFIG_INVALID', "Check the service's pgBackRest config file (pgbackrest: { config }) and the stanza's section in it."],
  31: ['CONFIG_INVALID', 'An option pgBackRest does not accept here; check its config file.'],
  32: ['CONFIG_INVALID', 'An option value pgBackRest refuses; check its config file.'],
  // A stanza option (pg1-path) missing is most often a stanza name the config file has no section for.
  37: ['CONFIG_INVALID', "pgBackRest misses a required option (pg1-path, repo1-path...) in its config file: check that the service's stanza (pgbackrest: { stanza }) has a section there; pgbackrest info lists the stanzas it knows."],
  38: ['CONFLICT', 'PostgreSQL is running in the data directory pgBackRest was asked to restore into.'],
  40: ['CONFLICT', 'The restore target folder is not empty.'],
  41: ['PERMISSION_DENIED', "pgBackRest cannot open a file: check the account that runs it (the service's pgbackrest.osUser) and the file's owner."],
  44: ['CONFLICT', 'The archive belongs to another database system than this server: check the stanza (pgbackrest --stanza=<stanza> check).'],
  50: ['CONFLICT', 'Another pgBackRest command holds the stanza\'s lock (a backup or expire running): wait for it, or find it with "pgbackrest info".'],
  51: ['CONFLICT', 'The backup does not match this server: check the stanza (pgbackrest --stanza=<stanza> check).'],
  55: ['NOT_FOUND', 'A file pgBackRest needs is missing (a stanza not created, a backup or WAL file removed): pgbackrest --stanza=<stanza> check.'],
  56: ['UNREACHABLE', 'pgBackRest cannot connect to PostgreSQL: check pg1-path, pg1-port and pg1-socket-path in its config and that the server is up.'],
  58: ['CONFLICT', 'The server is not the one the stanza was created for: check pg1-path (and stanza-upgrade after a major upgrade).'],
  62: ['CONFLICT', 'pgBackRest is stopped for this stanza: "pgbackrest --stanza=<stanza> start" allows it again.'],
  63: ['CANCELLED', 'pgBackRest was stopped by a signal.'],
  73: ['NOT_FOUND', 'A path pgBackRest needs does not exist (repository, pg1-path, lock or log path).'],
  75: ['NOT_FOUND', 'The backup set does not exist or cannot be used: list them with "pgbackrest info".'],
  80: ['NOT_FOUND', 'pgBackRest cannot find the database it was asked for.'],
  82: ['TIMEOUT', 'WAL was not archived in time: check archive_command (pgbackrest archive-push) and the server log.'],
  87: ['CONFLICT', 'WAL archiving is off on the server: set archive_mode = on and archive_command to pgbackrest archive-push.'],
  88: ['PERMISSION_DENIED', "A file has an owner pgBackRest does not expect: run it as the repository's owner (the service's pgbackrest.osUser)."],
  95: ['AUTH_FAILED', 'pgBackRest cannot decrypt the repository: check repo1-cipher-pass in its config file.'],
  103: ['NOT_FOUND', 'pgBackRest found no valid repository: check repo1-path (and --repo) in its config file.'],
  105: ['PERMISSION_DENIED', 'pgBackRest was refused access to its repository.'],
};

export function classifyPgBackRestError(output: string, exit: string): LifeboatError {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const errorLine = lines.find((l) => /ERROR: \[\d+\]/.test(l)) ?? lines.find((l) => /ERROR|error/.test(l)) ?? lines.at(-1) ?? exit;
  const words = errorLine.replace(/^.*?(ERROR: )/, '$1');
  const message = `pgBackRest: ${words}`;
  const number = Number(/ERROR: \[(\d+)\]/.exec(errorLine)?.[1]);
  const known = BY_NUMBER[number];
  if (known) return new LifeboatError(known[0], message, known[1]);
  if (/permission denied/i.test(output)) return new LifeboatError('PERMISSION_DENIED', message, "Run pgBackRest as its repository's owner: set the service's pgbackrest.osUser.");
  if (/no space left/i.test(output)) return new LifeboatError('NO_SPACE', message, 'Free space where pgBackRest writes (its repository, or the restore target).');
  return new LifeboatError('INTERNAL', message, 'pgBackRest\'s own log (log-path in its config) has the details.');
}

export const PGBACKREST_MISSING = new LifeboatError('TOOL_MISSING', 'pgbackrest is not installed on this computer.', 'Install it (Debian/Ubuntu: apt install pgbackrest) or run Lifeboat where pgBackRest runs.');
