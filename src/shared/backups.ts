// What the doors see of the backup repository and its backups.
import type { WireError } from './errors';

export interface RepositoryView {
  /** Where it lives: a folder, or an s3:// or azure:// location. */
  path: string;
  /** The kind of storage: a folder (local disk or mounted share), S3 or Azure Blob. */
  storage: 'folder' | 's3' | 'azure';
  format: number;
  createdAt: string;
  encrypted: boolean;
  keyFingerprint?: string;
  /** The key is in this computer's keychain (never the key itself). */
  keyAvailable: boolean;
  /** repo.info only: the repositories created for copies, as the fleet file keeps them (copyRepositories). */
  createdForCopies?: string[];
}

/** How the copy of a new backup into another of its service's repositories went. */
export interface BackupCopyOutcome {
  to: string;
  ok: boolean;
  error?: WireError;
}

export interface BackupView {
  id: string;
  serviceId: string;
  kind: 'physical' | 'logical';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Bytes on disk, and bytes before compression (physical: the data directory pg_basebackup sent). */
  storedBytes: number;
  sourceBytes: number;
  compression: string;
  encrypted: boolean;
  serverVersion: string;
  startLsn?: string;
  stopLsn?: string;
  timeline?: number;
  /** A physical backup's extra tablespaces, each restored where it was unless mapped elsewhere. */
  tablespaces?: Array<{ oid: string; name: string; location: string }>;
  lastVerification?: { at: string; ok: boolean; detail: string };
  /** A backup the service's engine keeps (pgBackRest, Barman), in that engine's words: its label (the id is
   * "<service>:<label>"), its type and the backups it needs. */
  engine?: { name: 'pgbackrest' | 'barman'; label: string; type: 'full' | 'diff' | 'incr'; references: string[]; problem?: string };
}

export interface RetentionPlanView {
  serviceId: string;
  policy: { keep?: number; days?: number };
  /** For a service backed up by pgBackRest or Barman: the engine's own retention, which decides instead. */
  enginePolicy?: string;
  keep: Array<{ id: string; reasons: string[] }>;
  remove: Array<{ id: string; reason: string }>;
}
