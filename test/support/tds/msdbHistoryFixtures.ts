// msdb backup history as the TDS test double returns it for MSDB_HISTORY_QUERY (LSNs and dates as text, as
// the query converts them), and RESTORE HEADERONLY rows for a folder of backup files. The chain of `ORDERS_CHAIN`
// is modelled on documented msdb rows: LSNs of 17 digits (beyond a JS number's precision), server local times
// at UTC+1 (time_zone 4 = four 15-minute units).
import type { TdsCellValue } from './tdsTypes';
import { resultSet, type TdsRule } from './tdsFixtures';

export interface MsdbRow {
  backup_set_id: string;
  database_name: string;
  type: 'D' | 'I' | 'L';
  first_lsn: string;
  last_lsn: string;
  checkpoint_lsn: string;
  database_backup_lsn: string;
  differential_base_lsn: string | null;
  backup_start_date: string;
  backup_finish_date: string;
  time_zone: number;
  is_copy_only?: number;
  is_damaged?: number;
  physical_device_name: string;
  family_sequence_number?: number;
}

const COLUMNS: Record<string, string> = {
  backup_set_id: 'varchar(20)', database_name: 'nvarchar(128)', type: 'char(1)', first_lsn: 'varchar(25)', last_lsn: 'varchar(25)',
  checkpoint_lsn: 'varchar(25)', database_backup_lsn: 'varchar(25)', differential_base_lsn: 'varchar(25)', differential_base_guid: 'varchar(36)',
  backup_start_date: 'varchar(23)', backup_finish_date: 'varchar(23)', time_zone: 'smallint', server_utc_offset_minutes: 'int', is_copy_only: 'int',
  is_damaged: 'int', has_backup_checksums: 'int', recovery_model: 'nvarchar(60)', fork_point_lsn: 'varchar(25)', family_guid: 'varchar(36)',
  position: 'int', backup_size: 'varchar(20)', compressed_backup_size: 'varchar(20)', server_name: 'nvarchar(128)', family_sequence_number: 'int',
  physical_device_name: 'nvarchar(260)',
};

const dir = 'D:\\SQLBackups\\orders\\';
export const ORDERS_CHAIN: MsdbRow[] = [
  { backup_set_id: '101', database_name: 'orders', type: 'D', first_lsn: '98000000017600001', last_lsn: '98000000019200001', checkpoint_lsn: '98000000017600001', database_backup_lsn: '0', differential_base_lsn: null, backup_start_date: '2026-11-24T22:00:00.000', backup_finish_date: '2026-11-24T22:00:05.000', time_zone: 4, physical_device_name: `${dir}orders-prod_orders_FULL_20261124T210000Z.bak` },
  { backup_set_id: '102', database_name: 'orders', type: 'L', first_lsn: '98000000017600001', last_lsn: '98000000025600001', checkpoint_lsn: '98000000017600001', database_backup_lsn: '98000000017600001', differential_base_lsn: '98000000017600001', backup_start_date: '2026-11-24T23:00:00.000', backup_finish_date: '2026-11-24T23:00:02.000', time_zone: 4, physical_device_name: `${dir}orders-prod_orders_LOG_20261124T220000Z.trn` },
  { backup_set_id: '103', database_name: 'orders', type: 'I', first_lsn: '98000000027200001', last_lsn: '98000000028800001', checkpoint_lsn: '98000000027200001', database_backup_lsn: '98000000017600001', differential_base_lsn: '98000000017600001', backup_start_date: '2026-11-25T00:00:00.000', backup_finish_date: '2026-11-25T00:00:04.000', time_zone: 4, physical_device_name: `${dir}orders-prod_orders_DIFF_20261124T230000Z.bak` },
  { backup_set_id: '104', database_name: 'orders', type: 'L', first_lsn: '98000000025600001', last_lsn: '98000000035200001', checkpoint_lsn: '98000000027200001', database_backup_lsn: '98000000017600001', differential_base_lsn: '98000000017600001', backup_start_date: '2026-11-25T01:00:00.000', backup_finish_date: '2026-11-25T01:00:02.000', time_zone: 4, physical_device_name: `${dir}orders-prod_orders_LOG_20261125T000000Z.trn` },
  { backup_set_id: '105', database_name: 'orders', type: 'L', first_lsn: '98000000035200001', last_lsn: '98000000040000001', checkpoint_lsn: '98000000027200001', database_backup_lsn: '98000000017600001', differential_base_lsn: '98000000017600001', backup_start_date: '2026-11-25T02:00:00.000', backup_finish_date: '2026-11-25T02:00:03.000', time_zone: 4, physical_device_name: `${dir}orders-prod_orders_LOG_20261125T010000Z.trn` },
];

function cells(row: MsdbRow): TdsCellValue[] {
  const full: Record<string, TdsCellValue> = {
    differential_base_guid: null, server_utc_offset_minutes: 60, is_copy_only: 0, is_damaged: 0, has_backup_checksums: 1, recovery_model: 'FULL',
    fork_point_lsn: null, family_guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF', position: 1, backup_size: '3019776', compressed_backup_size: '417792',
    server_name: 'LIFEBOAT-DOUBLE', family_sequence_number: 1, ...row,
  };
  return Object.keys(COLUMNS).map((c) => full[c] ?? null);
}

/** MSDB_HISTORY_QUERY answered from `rows`, filtered by @database as the query does. */
export function msdbHistoryRule(rows: readonly MsdbRow[] = ORDERS_CHAIN): TdsRule {
  return {
    name: 'msdb history',
    match: /FROM msdb\.dbo\.backupset AS bs/,
    respond: (_sql, params) => {
      const wanted = params.database;
      const selected = rows.filter((r) => wanted === null || wanted === undefined || r.database_name.toLowerCase() === String(wanted).toLowerCase());
      return [resultSet(Object.entries(COLUMNS).map(([name, type]) => ({ name, type })), selected.map(cells))];
    },
  };
}

/** xp_dirtree of a folder: its files (file = 1). */
export function folderFilesRule(files: readonly string[]): TdsRule {
  return {
    name: 'xp_dirtree',
    match: /EXEC master\.sys\.xp_dirtree @folder, 1, 1/,
    respond: [resultSet({ subdirectory: 'nvarchar(260)', depth: 'int', file: 'int' }, files.map((f) => [f, 1, 1]))],
  };
}

/** The columns Lifeboat selects from its HEADERONLY temporary table, per file name. */
export function headerOnlyRule(headers: Record<string, Array<Record<string, TdsCellValue>>>): TdsRule {
  const columns = {
    DatabaseName: 'nvarchar(128)', BackupType: 'smallint', Position: 'smallint', ServerName: 'nvarchar(128)', FirstLSN: 'varchar(25)', LastLSN: 'varchar(25)',
    CheckpointLSN: 'varchar(25)', DatabaseBackupLSN: 'varchar(25)', DifferentialBaseLSN: 'varchar(25)', DifferentialBaseGUID: 'varchar(36)', ForkPointLSN: 'varchar(25)',
    FamilyGUID: 'varchar(36)', BackupStartDate: 'varchar(23)', BackupFinishDate: 'varchar(23)', IsCopyOnly: 'bit', IsDamaged: 'bit', HasBackupChecksums: 'bit',
    RecoveryModel: 'nvarchar(60)', BackupSize: 'varchar(20)', CompressedBackupSize: 'varchar(20)',
  };
  return {
    name: 'RESTORE HEADERONLY',
    match: /RESTORE HEADERONLY FROM DISK/,
    respond: (sql) => {
      const file = Object.keys(headers).find((name) => sql.includes(name.replace(/'/g, "''''")));
      if (!file) return [{ kind: 'message', severity: 'error', number: 3201, state: 1, class: 16, message: 'Cannot open backup device. Operating System error 2(The system cannot find the file specified.).' }];
      return [resultSet(columns, headers[file]!.map((h) => Object.keys(columns).map((c) => h[c] ?? null)))];
    },
  };
}
