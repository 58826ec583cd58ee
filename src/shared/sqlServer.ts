// SQL Server backup history and restore plans as every layer sees them. A history row is msdb.backupset
// joined with msdb.backupmediafamily (or one RESTORE HEADERONLY row of a backup file); LSNs are decimal
// strings as SQL Server prints them (numeric(25,0)), compared as BigInt.

/** backupset.type: D full, I differential, L log (F/G/P/Q file and partial kinds are listed but never planned). */
export type SqlBackupType = 'D' | 'I' | 'L' | 'F' | 'G' | 'P' | 'Q';

export interface SqlBackupSet {
  /** backup_set_id (msdb) or "<file>#<position>" for a file read with HEADERONLY. */
  id: string;
  databaseName: string;
  type: SqlBackupType;
  firstLsn: string;
  lastLsn: string;
  checkpointLsn: string;
  databaseBackupLsn: string;
  /** Full: null. Differential and log: the full they depend on (differential_base_lsn). */
  differentialBaseLsn: string | null;
  differentialBaseGuid?: string | null;
  /** ISO times with zone (msdb stores server-local times: the reader converts with the server's offset). */
  backupStartDate: string;
  backupFinishDate: string;
  isCopyOnly: boolean;
  isDamaged: boolean;
  hasBackupChecksums: boolean;
  recoveryModel: 'FULL' | 'BULK-LOGGED' | 'SIMPLE';
  /** Set when the database was restored (a fork): the LSN the new branch starts from. */
  forkPointLsn?: string | null;
  familyGuid?: string;
  /** Recovery fork at the set's first and last LSN (msdb first/last_recovery_fork_guid); they differ on a log that spans a fork. */
  firstRecoveryForkGuid?: string | null;
  lastRecoveryForkGuid?: string | null;
  /** Device paths (backupmediafamily.physical_device_name), one per stripe, in family order. */
  devices: string[];
  /** Position of the set in its media (RESTORE ... WITH FILE = n); default 1. */
  position?: number;
  backupSizeBytes?: number;
  compressedSizeBytes?: number;
  serverName?: string;
  /** The server's UTC offset when the set was taken (msdb backupset.time_zone * 15), for STOPAT in local time. */
  timeZoneOffsetMinutes?: number | null;
}

/** One file of the database as RESTORE FILELISTONLY lists it. */
export interface SqlDatabaseFile {
  logicalName: string;
  physicalName: string;
  /** D data, L log, S filestream/full-text, F full-text catalog. */
  type: 'D' | 'L' | 'S' | 'F';
  fileGroupName?: string | null;
  sizeBytes?: number;
}

export type SqlRestoreTarget =
  | { kind: 'time'; time: string }
  | { kind: 'latest' }
  /**
   * A log record: just before it (STOPBEFOREMARK) or up to and including it (STOPATMARK), as 'lsn:<decimal>'.
   * `time` is when it was written, with its zone: it picks the backups the chain restores through.
   */
  | { kind: 'mark'; lsn: string; inclusive: boolean; time: string };

export interface SqlRestoreStep {
  backupSetId: string;
  type: 'D' | 'I' | 'L';
  devices: string[];
  position: number;
  /** Why this set was chosen, in words a DBA would say. */
  why: string;
  /** Only on the last log when the target is a time. */
  stopAt?: string;
  /** Only on the last log when the target is a log record: "STOPBEFOREMARK = 'lsn:...'" or STOPATMARK. */
  stopMark?: string;
}

export interface SqlRestorePlan {
  databaseName: string;
  target: SqlRestoreTarget;
  steps: SqlRestoreStep[];
  /** Sets passed over and why (damaged, copy-only, superseded, other fork). */
  skipped: Array<{ backupSetId: string; why: string }>;
  warnings: string[];
  /** A plan to "latest" that ends before a break in the LSN chain: the first log it cannot apply, its LSN
   * range, and the LSNs no backup holds (from the chain's end to that log's first LSN). */
  stopsBeforeBreak?: { backupSetId: string; firstLsn: string; lastLsn: string; finishedAt: string; missingFromLsn: string; missingToLsn: string; message: string };
  /** The recoverable window this history gives (first full's finish to the last contiguous log's end). */
  window: SqlRecoverableWindow;
}

export interface SqlRecoverableWindow {
  databaseName: string;
  intervals: Array<{ from: string; to: string; fromLsn: string; toLsn: string }>;
  /** Breaks in the log chain: the missing LSN range and the valid times either side. */
  gaps: Array<{ fromLsn: string; toLsn: string; after?: string; before?: string; cause?: 'missing' | 'damaged' | 'fork'; reason?: string }>;
  fulls: Array<{ id: string; finishedAt: string; usable: boolean; copyOnly: boolean }>;
}
