// Ola Hallengren's dbo.CommandLog as the TDS test double returns it for Lifeboat's query: rows shaped after the
// table his CommandLog.sql creates (ID int, DatabaseName sysname, Command nvarchar(max), CommandType
// nvarchar(60), StartTime/EndTime datetime2(7), ErrorNumber int, ErrorMessage nvarchar(max)) and after the
// commands his DatabaseBackup writes there, file names in his default layout. The test double is not SQL
// Server: these rows are what his documentation says the table holds, not rows read from a real server.
import { resultSet, sqlError, type TdsRule } from './tdsFixtures';

export interface CommandLogFixtureRow {
  ID: number;
  DatabaseName: string;
  CommandType: 'BACKUP_DATABASE' | 'BACKUP_LOG' | 'RESTORE_VERIFYONLY';
  Command: string;
  StartTime: string;
  EndTime: string | null;
  ErrorNumber: number | null;
  ErrorMessage: string | null;
}

const dir = '\\\\backup01\\sql\\SQL01$INST\\Sales';
const file = (kind: 'FULL' | 'DIFF' | 'LOG', stamp: string) => `${dir}\\${kind}\\SQL01$INST_Sales_${kind}_${stamp}.${kind === 'LOG' ? 'trn' : 'bak'}`;

/** A night of DatabaseBackup for Sales on SQL01\INST (server local time, UTC+1): full, verify, diff, logs. */
export const SALES_COMMAND_LOG: CommandLogFixtureRow[] = [
  { ID: 41, DatabaseName: 'Sales', CommandType: 'BACKUP_DATABASE', Command: `BACKUP DATABASE [Sales] TO DISK = N'${file('FULL', '20261123_000000')}' WITH CHECKSUM, COMPRESSION`, StartTime: '2026-11-23T00:00:00.0000000', EndTime: '2026-11-23T00:10:03.1230000', ErrorNumber: 0, ErrorMessage: null },
  { ID: 42, DatabaseName: 'Sales', CommandType: 'RESTORE_VERIFYONLY', Command: `RESTORE VERIFYONLY FROM DISK = N'${file('FULL', '20261123_000000')}' WITH CHECKSUM`, StartTime: '2026-11-23T00:10:03.2000000', EndTime: '2026-11-23T00:12:00.0000000', ErrorNumber: 0, ErrorMessage: null },
  { ID: 57, DatabaseName: 'Sales', CommandType: 'BACKUP_DATABASE', Command: `BACKUP DATABASE [Sales] TO DISK = N'${file('DIFF', '20261123_060000')}' WITH CHECKSUM, COMPRESSION, DIFFERENTIAL`, StartTime: '2026-11-23T06:00:00.0000000', EndTime: '2026-11-23T06:01:30.0000000', ErrorNumber: 0, ErrorMessage: null },
  { ID: 58, DatabaseName: 'Sales', CommandType: 'BACKUP_LOG', Command: `BACKUP LOG [Sales] TO DISK = N'${file('LOG', '20261123_061500')}' WITH CHECKSUM, COMPRESSION`, StartTime: '2026-11-23T06:15:00.0000000', EndTime: '2026-11-23T06:15:01.0000000', ErrorNumber: 3201, ErrorMessage: `Cannot open backup device '${file('LOG', '20261123_061500')}'. Operating system error 5(Access is denied.).` },
  { ID: 59, DatabaseName: 'Sales', CommandType: 'BACKUP_LOG', Command: `BACKUP LOG [Sales] TO DISK = N'${file('LOG', '20261123_063000')}' WITH CHECKSUM, COMPRESSION`, StartTime: '2026-11-23T06:30:00.0000000', EndTime: null, ErrorNumber: null, ErrorMessage: null },
  { ID: 60, DatabaseName: 'Billing', CommandType: 'BACKUP_LOG', Command: "BACKUP LOG [Billing] TO DISK = N'\\\\backup01\\sql\\SQL01$INST\\Billing\\LOG\\SQL01$INST_Billing_LOG_20261123_063000.trn' WITH CHECKSUM", StartTime: '2026-11-23T06:30:00.0000000', EndTime: '2026-11-23T06:30:02.0000000', ErrorNumber: 0, ErrorMessage: null },
];

const COLUMNS = {
  id: 'varchar(20)', database_name: 'nvarchar(128)', command_type: 'nvarchar(60)', command: 'nvarchar(4000)', start_time: 'varchar(27)',
  end_time: 'varchar(27)', error_number: 'int', error_message: 'nvarchar(4000)', server_utc_offset_minutes: 'int',
};

/** Lifeboat's CommandLog query in `logDatabase`, newest first, @database and @limit applied as the query does. */
export function commandLogRule(rows: readonly CommandLogFixtureRow[] = SALES_COMMAND_LOG, logDatabase = 'master'): TdsRule {
  return {
    name: 'dbo.CommandLog',
    match: (sql) => sql.includes(`FROM [${logDatabase}].dbo.CommandLog`),
    respond: (_sql, params) => {
      const wanted = params.database;
      const selected = rows
        .filter((r) => wanted === null || wanted === undefined || r.DatabaseName.toLowerCase() === String(wanted).replace(/ +$/, '').toLowerCase())
        .sort((a, b) => b.StartTime.localeCompare(a.StartTime) || b.ID - a.ID)
        .slice(0, Number(params.limit ?? 200));
      return [resultSet(COLUMNS, selected.map((r) => [String(r.ID), r.DatabaseName, r.CommandType, r.Command, r.StartTime, r.EndTime, r.ErrorNumber, r.ErrorMessage, 60]))];
    },
  };
}

/** The table is not in that database: SQL Server's error 208. */
export function noCommandLogRule(): TdsRule {
  return { name: 'no dbo.CommandLog', match: /dbo\.CommandLog/, respond: [sqlError(208, "Invalid object name 'DBA.dbo.CommandLog'.")] };
}
