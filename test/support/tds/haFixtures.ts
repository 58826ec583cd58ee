// SQL Server HA as the TDS test double answers it: an availability group seen from its primary (one
// synchronized synchronous secondary, one lagging asynchronous secondary that is disconnected) and log
// shipping (a primary within its backup threshold, a secondary past its restore threshold). Column names and
// types follow Microsoft's documentation of sys.availability_groups, sys.availability_replicas,
// sys.dm_hadr_availability_group_states, sys.dm_hadr_availability_replica_states,
// sys.dm_hadr_database_replica_states and msdb.dbo.log_shipping_monitor_primary / _secondary; the statements
// cast LSNs and times to varchar, bits to int, so only types the double supports appear.
import { resultSet, type TdsRule } from './tdsFixtures';

export const AG_GROUP_ID = '6E2BA6A4-5C1B-4E4E-9E51-0D7F4F8B1A11';

export interface HaScenario {
  /** The replica this connection is on: SQL1 (the primary) by default. */
  localReplica?: 'SQL1' | 'SQL2' | 'SQL3';
  hadrEnabled?: boolean;
  /** Minutes since the secondary's last restore (restore threshold 45). */
  minutesSinceRestore?: number;
}

export function haRules(scenario: HaScenario = {}): TdsRule[] {
  const local = scenario.localReplica ?? 'SQL1';
  const isLocal = (name: string) => (name === local ? 1 : 0);
  return [
    {
      name: 'server identity for HA',
      match: /SELECT @@SERVERNAME AS server_name,\s+CONVERT\(int, SERVERPROPERTY\('IsHadrEnabled'\)\)/,
      respond: [
        resultSet(
          { server_name: 'nvarchar(128)', hadr_enabled: 'int', utc_offset_minutes: 'int', server_now: 'varchar(33)' },
          [[local, scenario.hadrEnabled === false ? 0 : 1, 60, '2026-11-25T15:30:00.000']],
        ),
      ],
    },
    {
      name: 'availability groups',
      match: /FROM sys\.availability_groups AS ag\s+LEFT JOIN sys\.dm_hadr_availability_group_states AS ags/,
      respond: [
        resultSet(
          { group_id: 'nvarchar(36)', group_name: 'nvarchar(128)', cluster_type_desc: 'nvarchar(60)', primary_replica: 'nvarchar(128)', synchronization_health_desc: 'nvarchar(60)' },
          // dm_hadr_availability_group_states has rows only on the primary; a secondary sees NULLs for the group.
          [[AG_GROUP_ID, 'ag_orders', 'WSFC', local === 'SQL1' ? 'SQL1' : null, local === 'SQL1' ? 'PARTIALLY_HEALTHY' : null]],
        ),
      ],
    },
    {
      name: 'availability replicas',
      match: /JOIN sys\.availability_replicas AS ar ON ar\.group_id = ag\.group_id\s+LEFT JOIN sys\.dm_hadr_availability_replica_states/,
      respond: [
        resultSet(
          {
            group_name: 'nvarchar(128)', replica_server_name: 'nvarchar(256)', availability_mode_desc: 'nvarchar(60)', failover_mode_desc: 'nvarchar(60)', role_desc: 'nvarchar(60)',
            connected_state_desc: 'nvarchar(60)', synchronization_health_desc: 'nvarchar(60)', operational_state_desc: 'nvarchar(60)', is_local: 'int', last_connect_error_description: 'nvarchar(1024)',
          },
          [
            ['ag_orders', 'SQL1', 'SYNCHRONOUS_COMMIT', 'AUTOMATIC', 'PRIMARY', 'CONNECTED', 'HEALTHY', 'ONLINE', isLocal('SQL1'), null],
            ['ag_orders', 'SQL2', 'SYNCHRONOUS_COMMIT', 'AUTOMATIC', 'SECONDARY', 'CONNECTED', 'HEALTHY', null, isLocal('SQL2'), null],
            ['ag_orders', 'SQL3', 'ASYNCHRONOUS_COMMIT', 'MANUAL', 'SECONDARY', 'DISCONNECTED', 'NOT_HEALTHY', null, isLocal('SQL3'), 'An error occurred while receiving data: 10054 (An existing connection was forcibly closed by the remote host.)'],
          ],
        ),
      ],
    },
    {
      name: 'availability databases',
      match: /FROM sys\.dm_hadr_database_replica_states AS drs/,
      respond: [
        resultSet(
          {
            group_name: 'nvarchar(128)', replica_server_name: 'nvarchar(256)', database_name: 'nvarchar(128)', is_local: 'int', is_primary_replica: 'int',
            synchronization_state_desc: 'nvarchar(60)', synchronization_health_desc: 'nvarchar(60)', is_suspended: 'int', suspend_reason_desc: 'nvarchar(60)',
            log_send_queue_size: 'bigint', log_send_rate: 'bigint', redo_queue_size: 'bigint', redo_rate: 'bigint',
            estimated_data_loss_seconds: 'int', estimated_recovery_seconds: 'float', last_commit_time: 'varchar(33)', last_hardened_lsn: 'varchar(25)',
          },
          [
            ['ag_orders', 'SQL1', 'orders', isLocal('SQL1'), 1, 'SYNCHRONIZED', 'HEALTHY', 0, null, null, null, null, null, 0, null, '2026-11-25T15:29:58.120', '98000000017600001'],
            ['ag_orders', 'SQL2', 'orders', isLocal('SQL2'), 0, 'SYNCHRONIZED', 'HEALTHY', 0, null, 0, 1200, 0, 5400, 0, 0, '2026-11-25T15:29:58.120', '98000000017600001'],
            ['ag_orders', 'SQL3', 'orders', isLocal('SQL3'), 0, 'SYNCHRONIZING', 'NOT_HEALTHY', 0, null, 51200n, 0, 2048n, 512, 95, 4, '2026-11-25T15:28:23.120', '97000000004200001'],
          ],
        ),
      ],
    },
    {
      name: 'log shipping primary',
      match: /FROM msdb\.dbo\.log_shipping_monitor_primary/,
      respond: [
        resultSet(
          { primary_server: 'nvarchar(128)', primary_database: 'nvarchar(128)', backup_threshold: 'int', threshold_alert_enabled: 'int', last_backup_file: 'nvarchar(500)', last_backup_date: 'varchar(33)', minutes_since_backup: 'int' },
          [[local, 'billing', 60, 1, '\\\\backup\\billing\\billing_20261125151000.trn', '2026-11-25T15:10:00.000', 20]],
        ),
      ],
    },
    {
      name: 'log shipping secondary',
      match: /FROM msdb\.dbo\.log_shipping_monitor_secondary/,
      respond: [
        resultSet(
          {
            secondary_server: 'nvarchar(128)', secondary_database: 'nvarchar(128)', primary_server: 'nvarchar(128)', primary_database: 'nvarchar(128)', restore_threshold: 'int', threshold_alert_enabled: 'int',
            last_copied_file: 'nvarchar(500)', last_copied_date: 'varchar(33)', last_restored_file: 'nvarchar(500)', last_restored_date: 'varchar(33)', last_restored_latency: 'int', minutes_since_restore: 'int', minutes_since_copy: 'int',
          },
          [[local, 'billing_ls', 'SQL9', 'billing', 45, 1, 'D:\\ls\\billing_20261125151000.trn', '2026-11-25T15:11:00.000', 'D:\\ls\\billing_20261125132000.trn', '2026-11-25T13:20:00.000', 12, scenario.minutesSinceRestore ?? 130, 19]],
        ),
      ],
    },
  ];
}
