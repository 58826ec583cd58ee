// The T-SQL Lifeboat runs for SQL Server backups, history, restores, verification and drills, besides the
// BACKUP and RESTORE statements themselves (backupStatement.ts, restoreScript.ts). Kept in one place so a
// DBA can review what Lifeboat asks of a server; docs/sqlserver.md lists the same.

/**
 * Who the server is and how it keeps time: the edition decides COMPRESSION, the UTC offset turns STOPAT and
 * RESTORE HEADERONLY's local times into UTC and back, the default paths receive MOVEd files.
 */
export const SERVER_FACTS_QUERY = `SELECT
  CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
  CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition,
  CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition,
  DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) AS utc_offset_minutes,
  CONVERT(nvarchar(512), SERVERPROPERTY('InstanceDefaultDataPath')) AS default_data_path,
  CONVERT(nvarchar(512), SERVERPROPERTY('InstanceDefaultLogPath')) AS default_log_path;`;

export interface ServerFactsRow {
  product_version: string | null;
  edition: string | null;
  engine_edition: number | null;
  utc_offset_minutes: number | null;
  default_data_path: string | null;
  default_log_path: string | null;
}

/** A database's recovery model and state: a LOG backup of a SIMPLE database is refused before it is sent. */
export const DATABASE_FACTS_QUERY = `SELECT name, recovery_model_desc, state_desc FROM sys.databases WHERE name = @name;`;

export interface DatabaseFactsRow {
  name: string;
  recovery_model_desc: string;
  state_desc: string;
}

/** The files in a folder on the server (depth 1, files too); xp_dirtree needs sysadmin or an explicit grant. */
export const FOLDER_FILES_QUERY = `EXEC master.sys.xp_dirtree @folder, 1, 1;`;

export interface FolderFileRow {
  subdirectory: string;
  depth: number;
  file: number;
}
