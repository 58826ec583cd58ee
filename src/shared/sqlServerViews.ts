// What the doors see of SQL Server backups, history, restore plans and drills (payloads survive JSON:
// ISO strings for times, decimal strings for LSNs).
import type { WireError } from './errors';
import type { SqlBackupSet, SqlDatabaseFile, SqlRecoverableWindow, SqlRestorePlan } from './sqlServer';

export type SqlBackupKind = 'full' | 'diff' | 'log';

/** What a backup job returns when it succeeds. */
export interface SqlBackupResult {
  serviceId: string;
  database: string;
  kind: SqlBackupKind;
  /** The path SQL Server wrote: on the server (or a share it can write), not on this workstation. */
  device: string;
  copyOnly: boolean;
  compressed: boolean;
  /** Why COMPRESSION was left out, when it was (e.g. Express edition). */
  compressionNote?: string;
  encrypted: boolean;
  statement: string;
  /** The server's last messages, e.g. "BACKUP DATABASE successfully processed 0 pages in ...". */
  messages: string[];
}

/** One command of Ola Hallengren's DatabaseBackup, from his dbo.CommandLog (@LogToTable = 'Y'). */
export interface SqlCommandLogEntry {
  id: string;
  databaseName: string;
  kind: 'full' | 'diff' | 'log' | 'verify';
  /** His CommandType: BACKUP_DATABASE, BACKUP_LOG, RESTORE_VERIFYONLY. */
  commandType: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** unfinished: no EndTime (running, or the job died before writing it). */
  state: 'succeeded' | 'failed' | 'unfinished';
  errorNumber: number | null;
  errorMessage?: string;
  command: string;
  /** The files the command names (TO DISK / URL). */
  files: string[];
  /** The first file read by his folder layout: Server$Instance_Database_TYPE_yyyymmdd_hhmmss. */
  layout?: { server: string; database: string; kind: 'FULL' | 'DIFF' | 'LOG'; stamp: string };
}

export interface SqlCommandLogView {
  serviceId: string;
  /** Where the table was read: "[master].dbo.CommandLog". */
  source: string;
  entries: SqlCommandLogEntry[];
}

export interface SqlHistoryView {
  serviceId: string;
  /** msdb (backupset/backupmediafamily) or a folder read with RESTORE HEADERONLY. */
  source: 'msdb' | 'folder';
  folder?: string;
  database?: string;
  sets: SqlBackupSet[];
  warnings: string[];
}

export interface SqlWindowView {
  serviceId: string;
  databaseName: string;
  now: string;
  window: SqlRecoverableWindow;
  sets: SqlBackupSet[];
}

export interface SqlScriptView {
  statements: Array<{ sql: string; stepIndex: number | null; comment: string }>;
  text: string;
}

export interface SqlPlanView {
  serviceId: string;
  databaseName: string;
  asDatabase: string;
  /** The restore would overwrite a database of that name (REPLACE): the user must type its name to run it. */
  replaces: boolean;
  plan: SqlRestorePlan;
  fileList: SqlDatabaseFile[];
  script: SqlScriptView;
  /** The server's UTC offset in minutes, used to write STOPAT in the server's local time. */
  serverUtcOffsetMinutes: number;
}

export interface SqlRestoreResult {
  serviceId: string;
  databaseName: string;
  asDatabase: string;
  replaced: boolean;
  steps: number;
  /** The STOPAT written on the last log, or "latest". */
  target: string;
}

/** One backup set a verification reached, in chain order. */
export interface SqlVerifiedSet {
  backupSetId: string;
  type: 'D' | 'I' | 'L';
  devices: string[];
  ok: boolean;
  /** What SQL Server answered, when RESTORE VERIFYONLY refused this set. */
  error?: WireError;
}

/** One run of `sqlserver.verify` (RESTORE VERIFYONLY ... WITH CHECKSUM over the latest chain), kept after its
 * job ended so runbooks and reports can say when the backups were last proven readable. */
export interface SqlVerificationRecord {
  /** The job that ran it. */
  jobId: string;
  serviceId: string;
  database: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** The sets reached; after a refused set the verification stops, so later sets are not listed. */
  sets: SqlVerifiedSet[];
  /** Why it failed: a refused set's error, or what stopped it before any set (no chain, no connection). */
  error?: WireError;
}
