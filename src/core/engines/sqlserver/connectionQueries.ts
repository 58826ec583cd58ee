// The T-SQL Lifeboat runs to test a SQL Server connection, kept in one place so a DBA can review exactly
// what Lifeboat asks of a server. All of it is read-only and needs no permission beyond logging in.

/**
 * Who the server is. SERVERPROPERTY returns sql_variant, which is converted here so the driver receives plain
 * types. EngineEdition: 2 Standard, 3 Enterprise/Developer/Evaluation, 4 Express, 5 Azure SQL Database,
 * 8 Azure SQL Managed Instance.
 */
export const SERVER_IDENTITY_QUERY = `SELECT
  CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
  CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition,
  CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition,
  @@VERSION AS version_banner;`;

export interface ServerIdentityRow {
  product_version: string | null;
  edition: string | null;
  engine_edition: number | null;
  version_banner: string | null;
}

/**
 * What this login may do in the database it connected to. BACKUP DATABASE needs sysadmin, db_owner,
 * db_backupoperator or a direct GRANT BACKUP DATABASE (HAS_PERMS_BY_NAME sees all four); reading the data
 * for a logical copy needs SELECT on the database (db_datareader or a grant). The role functions answer
 * 1, 0, or NULL when they cannot tell.
 */
export const LOGIN_PRIVILEGES_QUERY = `SELECT
  SUSER_SNAME() AS login_name,
  DB_NAME() AS database_name,
  IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin,
  IS_ROLEMEMBER('db_owner') AS is_db_owner,
  IS_ROLEMEMBER('db_backupoperator') AS is_db_backupoperator,
  HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'BACKUP DATABASE') AS can_backup_database,
  HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'SELECT') AS can_select;`;

export interface LoginPrivilegesRow {
  login_name: string | null;
  database_name: string | null;
  is_sysadmin: number | null;
  is_db_owner: number | null;
  is_db_backupoperator: number | null;
  can_backup_database: number | null;
  can_select: number | null;
}

/**
 * After error 4060 (cannot open the database), asked from master: does the database exist, and is it
 * ONLINE? sys.databases shows every database to logins with VIEW ANY DATABASE, which public has by default.
 */
export const DATABASE_STATE_QUERY = `SELECT state_desc FROM sys.databases WHERE name = @name;`;

export interface DatabaseStateRow {
  state_desc: string;
}
