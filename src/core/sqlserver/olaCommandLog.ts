// Ola Hallengren's Maintenance Solution as a backup history source beside msdb: DatabaseBackup with
// @LogToTable = 'Y' writes every command it runs into dbo.CommandLog (ID, DatabaseName, Command, CommandType,
// StartTime, EndTime, ErrorNumber, ErrorMessage, as his CommandLog.sql creates it), so a team on his jobs sees
// each backup and verification with its duration and failure. File names in his default layout
// (<dir>\<Server$Instance>\<Database>\<FULL|DIFF|LOG>\<Server$Instance>_<Database>_<TYPE>_<yyyymmdd>_<hhmmss>.<ext>)
// are read back into server, database, kind and time.
import type { SqlCommandLogEntry } from '../../shared/sqlServerViews';
import { formatUtcOffset } from './stopAtTime';
import { quoteName } from './tsqlQuote';

/** The commands of his DatabaseBackup procedure, newest first; @database and @limit bound by the caller. */
export function commandLogQuery(logDatabase: string): string {
  return `SELECT TOP (@limit)
  CONVERT(varchar(20), cl.ID) AS id,
  cl.DatabaseName AS database_name,
  cl.CommandType AS command_type,
  cl.Command AS command,
  CONVERT(varchar(27), cl.StartTime, 126) AS start_time,
  CONVERT(varchar(27), cl.EndTime, 126) AS end_time,
  cl.ErrorNumber AS error_number,
  cl.ErrorMessage AS error_message,
  DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) AS server_utc_offset_minutes
FROM ${quoteName(logDatabase)}.dbo.CommandLog AS cl
WHERE cl.CommandType IN ('BACKUP_DATABASE', 'BACKUP_LOG', 'RESTORE_VERIFYONLY')
  AND (@database IS NULL OR cl.DatabaseName = @database)
ORDER BY cl.StartTime DESC, cl.ID DESC;`;
}

export interface CommandLogRow {
  id: string;
  database_name: string | null;
  command_type: string;
  command: string;
  start_time: string;
  end_time: string | null;
  error_number: number | null;
  error_message: string | null;
  server_utc_offset_minutes: number | null;
}

/** What a command did, from its type and text (his DIFF backups are BACKUP_DATABASE ... WITH DIFFERENTIAL). */
function kindOf(row: CommandLogRow): SqlCommandLogEntry['kind'] {
  if (row.command_type === 'BACKUP_LOG') return 'log';
  if (row.command_type === 'RESTORE_VERIFYONLY') return 'verify';
  return /\bDIFFERENTIAL\b/i.test(row.command) ? 'diff' : 'full';
}

/** The files a BACKUP or RESTORE VERIFYONLY names: TO/FROM DISK = N'...' and URL = N'...'. */
export function commandFiles(command: string): string[] {
  return [...command.matchAll(/\b(?:DISK|URL)\s*=\s*N?'((?:[^']|'')*)'/gi)].map((m) => m[1]!.replace(/''/g, "'"));
}

/** A file in his folder layout: server (and instance), database, kind and the time in its name. */
export function olaBackupFile(path: string): SqlCommandLogEntry['layout'] {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = /^(.+?)_(.+)_(FULL|DIFF|LOG)(?:_COPY_ONLY)?_(\d{8})_(\d{6})(?:_\d+)?\.(bak|trn)$/i.exec(name);
  if (!m) return undefined;
  const [, server, database, kind, day, time] = m;
  return { server: server!.replace('$', '\\'), database: database!, kind: kind!.toUpperCase() as 'FULL' | 'DIFF' | 'LOG', stamp: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6)}T${time!.slice(0, 2)}:${time!.slice(2, 4)}:${time!.slice(4)}` };
}

/** CommandLog times are the server's local datetime2: the offset comes with the row. */
function zoned(local: string | null, offsetMinutes: number): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(`${local.slice(0, 23)}${formatUtcOffset(offsetMinutes)}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function commandLogEntries(rows: CommandLogRow[]): SqlCommandLogEntry[] {
  return rows.map((row) => {
    const offset = Number(row.server_utc_offset_minutes ?? 0);
    const startedAt = zoned(row.start_time, offset)!;
    const finishedAt = zoned(row.end_time, offset);
    const files = commandFiles(row.command);
    const errorNumber = row.error_number === null ? null : Number(row.error_number);
    return {
      id: String(row.id),
      databaseName: row.database_name ?? '',
      kind: kindOf(row),
      commandType: row.command_type,
      startedAt,
      finishedAt,
      durationMs: finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : undefined,
      // EndTime NULL: still running, or the job died without writing its end (his procedure writes it last).
      state: !finishedAt ? 'unfinished' : errorNumber === 0 || errorNumber === null ? 'succeeded' : 'failed',
      errorNumber,
      errorMessage: row.error_message ?? undefined,
      command: row.command,
      files,
      layout: files.length ? olaBackupFile(files[0]!) : undefined,
    };
  });
}
