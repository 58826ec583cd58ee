// Turns what a BACKUP, RESTORE or DBCC statement failed with into a LifeboatError a DBA can act on. A failed
// BACKUP/RESTORE ends with 3013 ("... is terminating abnormally"); the cause is in the errors before it.
// Connection and login failures are left to the connection test's classification.
import { classifySqlServerError, type SqlServerErrorContext, type SqlServerMessage } from '../engines/sqlserver/classifySqlServerError';
import { serverAddress } from '../engines/sqlserver/sqlServerPoolConfig';
import { LifeboatError } from '../lifeboatError';
import type { ErrorCode } from '../../shared/errors';

export interface OperationErrorContext extends SqlServerErrorContext {
  /** "BACKUP of orders", "RESTORE of orders as orders_copy". */
  operation: string;
}

/** Error numbers whose meaning is certain enough to name a code and a fix. */
const KNOWN: Record<number, { code: ErrorCode; hint: (m: SqlServerMessage, login: string) => string }> = {
  262: { code: 'PERMISSION_DENIED', hint: (_m, login) => `Give login '${login}' the right: for backups db_backupoperator in the database (ALTER ROLE db_backupoperator ADD MEMBER [${login}];), for restores under a new name the dbcreator server role.` },
  3110: { code: 'PERMISSION_DENIED', hint: (_m, login) => `RESTORE needs sysadmin or dbcreator, or db_owner of an existing database; e.g. ALTER SERVER ROLE dbcreator ADD MEMBER [${login}];` },
  4208: { code: 'CONFLICT', hint: () => 'A database in SIMPLE recovery has no log backups: take FULL and DIFFERENTIAL backups, or switch it to FULL recovery (ALTER DATABASE ... SET RECOVERY FULL) and take a FULL backup to start the log chain.' },
  4214: { code: 'BROKEN_CHAIN', hint: () => 'There is no full backup to start the log chain from: take a FULL backup first.' },
  3035: { code: 'BROKEN_CHAIN', hint: () => 'A differential needs a full backup of the database first: take a FULL backup.' },
  3201: { code: 'NOT_FOUND', hint: () => 'The path is read by the SQL Server service on the server, not by this workstation: check that the folder exists on the server and that the SQL Server service account may read and write it.' },
  3101: { code: 'CONFLICT', hint: () => 'Other sessions are using the database: close them (or set it SINGLE_USER WITH ROLLBACK IMMEDIATE) before restoring over it.' },
  1801: { code: 'CONFLICT', hint: () => 'A database of that name exists: restore under another name, or type its name to replace it.' },
  3154: { code: 'CONFLICT', hint: () => 'The backup is of another database than the one being overwritten: restore under a new name.' },
  3159: { code: 'CONFLICT', hint: () => 'The tail of the log has not been backed up: take a LOG backup first, or confirm the replace so WITH REPLACE discards it.' },
  4305: { code: 'BROKEN_CHAIN', hint: () => 'A log backup between the restored ones is missing: the restore plan must be computed again from the history.' },
  4312: { code: 'BROKEN_CHAIN', hint: () => 'The log chain has a gap: restore from a later full or differential backup.' },
  4326: { code: 'BROKEN_CHAIN', hint: () => 'The log backup ends before the restored point: it is not needed, or the plan is out of date.' },
  4330: { code: 'BROKEN_CHAIN', hint: () => 'The log backup belongs to another recovery path (a restore forked the database): plan again from the history.' },
  4338: { code: 'OUT_OF_WINDOW', hint: () => 'The STOPAT time is earlier than this backup set can reach: choose a time inside the recoverable window.' },
  3183: { code: 'CHECKSUM_MISMATCH', hint: () => 'The backup file is damaged: restore from another backup, and check the storage that holds it.' },
  3189: { code: 'CHECKSUM_MISMATCH', hint: () => 'The backup file is damaged: restore from another backup, and check the storage that holds it.' },
  3241: { code: 'CHECKSUM_MISMATCH', hint: () => 'The file is not a readable backup (damaged, truncated, or from a newer SQL Server version).' },
  3257: { code: 'NO_SPACE', hint: () => 'Free space on the server\'s backup volume, or point policy.sqlServer.backupDirectory at a larger one.' },
  15151: { code: 'NOT_FOUND', hint: () => 'The certificate named in policy.sqlServer.encryptionCertificate does not exist in master, or the login may not use it.' },
};

export function classifySqlServerOperationError(error: unknown, context: OperationErrorContext): LifeboatError {
  if (error instanceof LifeboatError) return error;
  const messages = [...errorMessages(error), ...(context.serverMessages ?? [])].filter((m) => m.class > 10);
  const where = serverAddress(context.connection);
  const login = context.connection.user;
  // The most specific cause first: 3013 only says that the statement ended abnormally.
  for (const m of messages) {
    const known = KNOWN[m.number];
    if (!known) continue;
    const code = m.number === 3201 && /error 5\b|access is denied/i.test(m.message) ? 'PERMISSION_DENIED' : m.number === 3201 && /error 112\b/.test(m.message) ? 'NO_SPACE' : known.code;
    return new LifeboatError(code, `${context.operation} failed on ${where}: ${m.message} (error ${m.number})`, known.hint(m, login), { cause: error });
  }
  // Login and connection failures: the connection test knows those.
  const classified = classifySqlServerError(error, { ...context, cancelled: false });
  if (classified.code !== 'INTERNAL') return classified;
  const text = messages.filter((m) => m.number !== 3013).map((m) => `${m.message} (error ${m.number})`);
  const all = text.length ? text.join(' ') : classified.message;
  return new LifeboatError('INTERNAL', `${context.operation} failed on ${where}: ${all}`, 'SQL Server refused the statement; the message above is its own. The docs (docs/sqlserver.md) list every statement Lifeboat runs.', { cause: error });
}

/** The ERROR tokens an mssql RequestError carries: itself and precedingErrors. */
function errorMessages(error: unknown): SqlServerMessage[] {
  const out: SqlServerMessage[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 6) return;
    const v = value as Record<string, unknown>;
    if (typeof v.number === 'number') out.push({ number: v.number, state: Number(v.state ?? 0), class: Number(v.class ?? 16), message: String(v.message ?? '') });
    for (const list of [v.precedingErrors, v.errors]) if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    visit(v.originalError, depth + 1);
  };
  visit(error, 0);
  return out;
}
