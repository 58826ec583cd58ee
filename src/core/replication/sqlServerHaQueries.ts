// The T-SQL Lifeboat reads SQL Server HA with: availability groups from the catalog views and HADR DMVs,
// log shipping from msdb's monitor tables. Columns as Microsoft documents them; LSNs as varchar (numeric(25,0)
// loses precision as a JS number); times as ISO text in the server's local time, with the server's offset
// read alongside so they are converted explicitly.
import type { Connection } from '../../shared/domain';
import { withSqlSession } from '../sqlserver/sqlServerSession';

export const SERVER_SQL = `SELECT @@SERVERNAME AS server_name,
  CONVERT(int, SERVERPROPERTY('IsHadrEnabled')) AS hadr_enabled,
  DATEPART(tz, SYSDATETIMEOFFSET()) AS utc_offset_minutes,
  CONVERT(varchar(33), GETDATE(), 126) AS server_now;`;

export const AG_SQL = `SELECT CONVERT(nvarchar(36), ag.group_id) AS group_id,
  ag.name AS group_name,
  ag.cluster_type_desc,
  ags.primary_replica,
  ags.synchronization_health_desc
FROM sys.availability_groups AS ag
LEFT JOIN sys.dm_hadr_availability_group_states AS ags ON ags.group_id = ag.group_id
ORDER BY ag.name;`;

export const AG_REPLICAS_SQL = `SELECT ag.name AS group_name,
  ar.replica_server_name,
  ar.availability_mode_desc,
  ar.failover_mode_desc,
  ars.role_desc,
  ars.connected_state_desc,
  ars.synchronization_health_desc,
  ars.operational_state_desc,
  CONVERT(int, ars.is_local) AS is_local,
  ars.last_connect_error_description
FROM sys.availability_groups AS ag
JOIN sys.availability_replicas AS ar ON ar.group_id = ag.group_id
LEFT JOIN sys.dm_hadr_availability_replica_states AS ars ON ars.replica_id = ar.replica_id
ORDER BY ag.name, ar.replica_server_name;`;

/** Estimated data loss as Microsoft's monitoring guidance computes it: the primary's last commit time minus
 * the secondary's, per database; recovery time as redo queue / redo rate. */
export const AG_DATABASES_SQL = `SELECT ag.name AS group_name,
  ar.replica_server_name,
  DB_NAME(drs.database_id) AS database_name,
  CONVERT(int, drs.is_local) AS is_local,
  CONVERT(int, drs.is_primary_replica) AS is_primary_replica,
  drs.synchronization_state_desc,
  drs.synchronization_health_desc,
  CONVERT(int, drs.is_suspended) AS is_suspended,
  drs.suspend_reason_desc,
  drs.log_send_queue_size,
  drs.log_send_rate,
  drs.redo_queue_size,
  drs.redo_rate,
  CASE WHEN drs.is_primary_replica = 1 THEN 0 ELSE DATEDIFF(second, drs.last_commit_time, pri.last_commit_time) END AS estimated_data_loss_seconds,
  CASE WHEN drs.redo_rate > 0 THEN CONVERT(float, drs.redo_queue_size) / drs.redo_rate END AS estimated_recovery_seconds,
  CONVERT(varchar(33), drs.last_commit_time, 126) AS last_commit_time,
  CONVERT(varchar(25), drs.last_hardened_lsn) AS last_hardened_lsn
FROM sys.dm_hadr_database_replica_states AS drs
JOIN sys.availability_replicas AS ar ON ar.replica_id = drs.replica_id
JOIN sys.availability_groups AS ag ON ag.group_id = drs.group_id
LEFT JOIN sys.dm_hadr_database_replica_states AS pri
  ON pri.group_database_id = drs.group_database_id AND pri.is_primary_replica = 1
ORDER BY ag.name, DB_NAME(drs.database_id), ar.replica_server_name;`;

export const LOG_SHIPPING_PRIMARY_SQL = `SELECT primary_server,
  primary_database,
  backup_threshold,
  CONVERT(int, threshold_alert_enabled) AS threshold_alert_enabled,
  last_backup_file,
  CONVERT(varchar(33), last_backup_date, 126) AS last_backup_date,
  DATEDIFF(minute, last_backup_date, GETDATE()) AS minutes_since_backup
FROM msdb.dbo.log_shipping_monitor_primary
ORDER BY primary_database;`;

export const LOG_SHIPPING_SECONDARY_SQL = `SELECT secondary_server,
  secondary_database,
  primary_server,
  primary_database,
  restore_threshold,
  CONVERT(int, threshold_alert_enabled) AS threshold_alert_enabled,
  last_copied_file,
  CONVERT(varchar(33), last_copied_date, 126) AS last_copied_date,
  last_restored_file,
  CONVERT(varchar(33), last_restored_date, 126) AS last_restored_date,
  last_restored_latency,
  DATEDIFF(minute, last_restored_date, GETDATE()) AS minutes_since_restore,
  DATEDIFF(minute, last_copied_date, GETDATE()) AS minutes_since_copy
FROM msdb.dbo.log_shipping_monitor_secondary
ORDER BY secondary_database;`;

export interface ServerRow { server_name: string; hadr_enabled: number | null; utc_offset_minutes: number; server_now: string }
export interface AgRow { group_id: string; group_name: string; cluster_type_desc: string | null; primary_replica: string | null; synchronization_health_desc: string | null }
export interface AgReplicaRow {
  group_name: string; replica_server_name: string; availability_mode_desc: string; failover_mode_desc: string; role_desc: string | null;
  connected_state_desc: string | null; synchronization_health_desc: string | null; operational_state_desc: string | null; is_local: number | null; last_connect_error_description: string | null;
}
export interface AgDatabaseRow {
  group_name: string; replica_server_name: string; database_name: string | null; is_local: number; is_primary_replica: number | null;
  synchronization_state_desc: string | null; synchronization_health_desc: string | null; is_suspended: number | null; suspend_reason_desc: string | null;
  log_send_queue_size: number | string | null; log_send_rate: number | string | null; redo_queue_size: number | string | null; redo_rate: number | string | null;
  estimated_data_loss_seconds: number | null; estimated_recovery_seconds: number | null; last_commit_time: string | null; last_hardened_lsn: string | null;
}
export interface LogShippingPrimaryRow {
  primary_server: string; primary_database: string; backup_threshold: number; threshold_alert_enabled: number; last_backup_file: string | null; last_backup_date: string | null; minutes_since_backup: number | null;
}
export interface LogShippingSecondaryRow {
  secondary_server: string; secondary_database: string; primary_server: string; primary_database: string; restore_threshold: number; threshold_alert_enabled: number;
  last_copied_file: string | null; last_copied_date: string | null; last_restored_file: string | null; last_restored_date: string | null; last_restored_latency: number | null;
  minutes_since_restore: number | null; minutes_since_copy: number | null;
}

export interface SqlServerHaFacts {
  readAt: string;
  server: ServerRow;
  groups: AgRow[];
  replicas: AgReplicaRow[];
  databases: AgDatabaseRow[];
  logShipping: { readable: boolean; primaries: LogShippingPrimaryRow[]; secondaries: LogShippingSecondaryRow[]; error?: string };
}

/** Reads it all over one guarded session (encrypted login when the service's TLS asks for it, server messages
 * kept for the error classification), the one every SQL Server slice uses. */
export async function readSqlServerHaFacts(connection: Connection, password: string | undefined, timeoutMs = 10_000): Promise<SqlServerHaFacts> {
  return withSqlSession(connection, { password, operation: 'Reading availability groups and log shipping', database: 'master', timeoutMs }, async (session) => {
    const q = <R>(sql: string) => session.run<R>(sql);
    const readAt = new Date().toISOString();
    const server = (await q<ServerRow>(SERVER_SQL))[0]!;
    const hadr = server.hadr_enabled === 1;
    const groups = hadr ? await q<AgRow>(AG_SQL) : [];
    const replicas = groups.length ? await q<AgReplicaRow>(AG_REPLICAS_SQL) : [];
    const databases = groups.length ? await q<AgDatabaseRow>(AG_DATABASES_SQL) : [];
    // msdb's monitor tables need a login that can read msdb; without it the AG part still stands.
    let logShipping: SqlServerHaFacts['logShipping'];
    try {
      logShipping = { readable: true, primaries: await q<LogShippingPrimaryRow>(LOG_SHIPPING_PRIMARY_SQL), secondaries: await q<LogShippingSecondaryRow>(LOG_SHIPPING_SECONDARY_SQL) };
    } catch (err) {
      logShipping = { readable: false, primaries: [], secondaries: [], error: err instanceof Error ? err.message : String(err) };
    }
    return { readAt, server, groups, replicas, databases, logShipping };
  });
}
