// Backup sets read from backup files on the server: RESTORE HEADERONLY (one row per set) and RESTORE
// FILELISTONLY (the database files of a set). HEADERONLY's LSNs are numeric(25,0), which the driver would
// round to a JS number, so the rows go through a temporary table and the LSNs are selected as text; the
// table must have exactly the columns of the server's version (Microsoft's documented result set).
import type { SqlBackupSet, SqlBackupType, SqlDatabaseFile } from '../../shared/sqlServer';
import { quoteString } from './tsqlQuote';
import { serverLocalToUtc } from './serverTime';

const HEADER_COLUMNS_2008R2 = [
  'BackupName nvarchar(128) NULL', 'BackupDescription nvarchar(255) NULL', 'BackupType smallint NULL', 'ExpirationDate datetime NULL',
  'Compressed bit NULL', 'Position smallint NULL', 'DeviceType tinyint NULL', 'UserName nvarchar(128) NULL', 'ServerName nvarchar(128) NULL',
  'DatabaseName nvarchar(128) NULL', 'DatabaseVersion int NULL', 'DatabaseCreationDate datetime NULL', 'BackupSize numeric(20,0) NULL',
  'FirstLSN numeric(25,0) NULL', 'LastLSN numeric(25,0) NULL', 'CheckpointLSN numeric(25,0) NULL', 'DatabaseBackupLSN numeric(25,0) NULL',
  'BackupStartDate datetime NULL', 'BackupFinishDate datetime NULL', 'SortOrder smallint NULL', 'CodePage smallint NULL',
  'UnicodeLocaleId int NULL', 'UnicodeComparisonStyle int NULL', 'CompatibilityLevel tinyint NULL', 'SoftwareVendorId int NULL',
  'SoftwareVersionMajor int NULL', 'SoftwareVersionMinor int NULL', 'SoftwareVersionBuild int NULL', 'MachineName nvarchar(128) NULL',
  'Flags int NULL', 'BindingID uniqueidentifier NULL', 'RecoveryForkID uniqueidentifier NULL', 'Collation nvarchar(128) NULL',
  'FamilyGUID uniqueidentifier NULL', 'HasBulkLoggedData bit NULL', 'IsSnapshot bit NULL', 'IsReadOnly bit NULL', 'IsSingleUser bit NULL',
  'HasBackupChecksums bit NULL', 'IsDamaged bit NULL', 'BeginsLogChain bit NULL', 'HasIncompleteMetaData bit NULL', 'IsForceOffline bit NULL',
  'IsCopyOnly bit NULL', 'FirstRecoveryForkID uniqueidentifier NULL', 'ForkPointLSN numeric(25,0) NULL', 'RecoveryModel nvarchar(60) NULL',
  'DifferentialBaseLSN numeric(25,0) NULL', 'DifferentialBaseGUID uniqueidentifier NULL', 'BackupTypeDescription nvarchar(60) NULL',
  'BackupSetGUID uniqueidentifier NULL', 'CompressedBackupSize bigint NULL',
];

/** The HEADERONLY result set by major version: 2012 added Containment, 2014 the encryption columns, 2022 three more. */
export function headerOnlyColumns(majorVersion: number): string[] {
  const columns = [...HEADER_COLUMNS_2008R2];
  if (majorVersion >= 11) columns.push('Containment tinyint NULL');
  if (majorVersion >= 12) columns.push('KeyAlgorithm nvarchar(32) NULL', 'EncryptorThumbprint varbinary(20) NULL', 'EncryptorType nvarchar(32) NULL');
  if (majorVersion >= 16) columns.push('LastValidRestoreTime datetime NULL', 'TimeZone nvarchar(32) NULL', 'CompressionAlgorithm nvarchar(32) NULL');
  return columns;
}

/** One batch: the temporary table, INSERT ... EXEC of HEADERONLY, and the columns Lifeboat reads (LSNs as text). */
export function headerOnlyBatch(device: string, majorVersion: number): string {
  const restore = `RESTORE HEADERONLY FROM DISK = ${quoteString(device)}`;
  return [
    `CREATE TABLE #lifeboat_header (${headerOnlyColumns(majorVersion).join(', ')});`,
    `INSERT INTO #lifeboat_header EXEC (${quoteString(restore)});`,
    `SELECT DatabaseName, BackupType, Position, ServerName, ` +
      `CONVERT(varchar(25), FirstLSN) AS FirstLSN, CONVERT(varchar(25), LastLSN) AS LastLSN, ` +
      `CONVERT(varchar(25), CheckpointLSN) AS CheckpointLSN, CONVERT(varchar(25), DatabaseBackupLSN) AS DatabaseBackupLSN, ` +
      `CONVERT(varchar(25), DifferentialBaseLSN) AS DifferentialBaseLSN, CONVERT(varchar(36), DifferentialBaseGUID) AS DifferentialBaseGUID, ` +
      `CONVERT(varchar(25), ForkPointLSN) AS ForkPointLSN, CONVERT(varchar(36), FamilyGUID) AS FamilyGUID, ` +
      `CONVERT(varchar(23), BackupStartDate, 126) AS BackupStartDate, CONVERT(varchar(23), BackupFinishDate, 126) AS BackupFinishDate, ` +
      `IsCopyOnly, IsDamaged, HasBackupChecksums, RecoveryModel, ` +
      `CONVERT(varchar(20), BackupSize) AS BackupSize, CONVERT(varchar(20), CompressedBackupSize) AS CompressedBackupSize ` +
      `FROM #lifeboat_header ORDER BY Position;`,
    `DROP TABLE #lifeboat_header;`,
  ].join('\n');
}

export interface HeaderRow {
  DatabaseName: string;
  BackupType: number;
  Position: number;
  ServerName?: string | null;
  FirstLSN: string;
  LastLSN: string;
  CheckpointLSN: string;
  DatabaseBackupLSN: string | null;
  DifferentialBaseLSN: string | null;
  DifferentialBaseGUID?: string | null;
  ForkPointLSN?: string | null;
  FamilyGUID?: string | null;
  BackupStartDate: string;
  BackupFinishDate: string;
  IsCopyOnly: boolean | number;
  IsDamaged: boolean | number;
  HasBackupChecksums: boolean | number;
  RecoveryModel: string;
  BackupSize?: string | null;
  CompressedBackupSize?: string | null;
}

/** HEADERONLY BackupType: 1 database, 2 log, 4 file, 5 differential database, 6 differential file, 7 partial, 8 differential partial. */
const BACKUP_TYPES: Record<number, SqlBackupType> = { 1: 'D', 5: 'I', 2: 'L', 4: 'F', 6: 'G', 7: 'P', 8: 'Q' };

/**
 * A HEADERONLY row as a backup set. Its dates are the server's local time without a zone, converted with
 * the server's current UTC offset (a backup taken before a daylight-saving change is off by that change).
 */
export function headerRowToBackupSet(row: HeaderRow, device: string, utcOffsetMinutes: number): SqlBackupSet | undefined {
  const type = BACKUP_TYPES[row.BackupType];
  if (!type) return undefined;
  const model = (row.RecoveryModel ?? '').toUpperCase();
  return {
    id: `${device}#${row.Position}`,
    databaseName: row.DatabaseName,
    type,
    firstLsn: row.FirstLSN,
    lastLsn: row.LastLSN,
    checkpointLsn: row.CheckpointLSN,
    databaseBackupLsn: row.DatabaseBackupLSN ?? '0',
    differentialBaseLsn: type === 'D' ? null : (row.DifferentialBaseLSN ?? null),
    differentialBaseGuid: row.DifferentialBaseGUID ?? null,
    backupStartDate: serverLocalToUtc(row.BackupStartDate, utcOffsetMinutes),
    backupFinishDate: serverLocalToUtc(row.BackupFinishDate, utcOffsetMinutes),
    isCopyOnly: !!row.IsCopyOnly,
    isDamaged: !!row.IsDamaged,
    hasBackupChecksums: !!row.HasBackupChecksums,
    recoveryModel: model === 'SIMPLE' ? 'SIMPLE' : model.startsWith('BULK') ? 'BULK-LOGGED' : 'FULL',
    forkPointLsn: row.ForkPointLSN ?? null,
    familyGuid: row.FamilyGUID ?? undefined,
    devices: [device],
    position: row.Position,
    backupSizeBytes: row.BackupSize ? Number(row.BackupSize) : undefined,
    compressedSizeBytes: row.CompressedBackupSize ? Number(row.CompressedBackupSize) : undefined,
    serverName: row.ServerName ?? undefined,
  };
}

/** RESTORE FILELISTONLY of one set: its files' logical and physical names (sizes fit a JS number). */
export function fileListOnlyStatement(devices: readonly string[], position: number): string {
  return `RESTORE FILELISTONLY FROM ${devices.map((d) => `DISK = ${quoteString(d)}`).join(', ')} WITH FILE = ${position};`;
}

export interface FileListRow {
  LogicalName: string;
  PhysicalName: string;
  Type: string;
  FileGroupName: string | null;
  Size: number | string | null;
}

export function fileListRowToFile(row: FileListRow): SqlDatabaseFile {
  const type = (['D', 'L', 'S', 'F'] as const).find((t) => t === row.Type?.trim()) ?? 'D';
  return { logicalName: row.LogicalName, physicalName: row.PhysicalName, type, fileGroupName: row.FileGroupName ?? null, sizeBytes: row.Size === null ? undefined : Number(row.Size) };
}
