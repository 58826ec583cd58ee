// What Lifeboat needs from a backup engine a team already runs (pgBackRest, Barman): its backups and archive
// as Lifeboat's shapes, and its own commands for backups, verification, retention and restores. Each engine
// drives its CLI and reads its JSON or documented text; none parses the engine's repository files.
import type { BackupEngine } from '../../shared/domain';
import type { JobContext } from '../jobs/jobRunner';
import type { EngineAccount } from './engineProcess';

/** One backup as the engine lists it, in Lifeboat's words. */
export interface EngineBackup {
  /** The engine's own name for it (pgBackRest's label, Barman's backup id). */
  label: string;
  type: 'full' | 'diff' | 'incr';
  startedAt: string;
  finishedAt: string;
  /** The earliest time it restores to: its stop, rounded up where the engine keeps whole seconds. */
  consistentAt: string;
  startLsn: string;
  stopLsn: string;
  timeline: number;
  /** The database's size, and what the engine stores for this backup. */
  sizeBytes: number;
  storedBytes: number;
  /** The backups this one needs (an incremental's prior backups). */
  references: string[];
  /** The server's major version, e.g. "15". */
  serverVersion: string;
  /** The engine marks it unusable (pgBackRest: error, Barman: FAILED), in its words. */
  problem?: string;
}

/** A point to restore to, as both engines name their targets. */
export type EngineTarget =
  /** time: PostgreSQL's recovery_target_time text, with its zone. */
  | { kind: 'time'; time: string; inclusive: boolean }
  | { kind: 'lsn'; lsn: string; inclusive: boolean }
  | { kind: 'xid'; xid: string; inclusive: boolean }
  | { kind: 'name'; name: string }
  | { kind: 'latest' }
  | { kind: 'immediate' };

export interface EngineRestoreRequest {
  /** An empty folder the engine's account can write: the scratch cluster's data directory. */
  dataDir: string;
  /** Where the backup's extra tablespaces go (inside the scratch folder). */
  tablespaceDir: string;
  backupLabel: string;
  target: EngineTarget;
  timeline: number;
}

export interface EngineRetention {
  /** The engine's policy in its own words, e.g. "repo1-retention-full=2". */
  policy: string;
  keep: Array<{ label: string; reasons: string[] }>;
  remove: Array<{ label: string; reason: string }>;
}

export interface EngineRepositoryFacts {
  /** Where the engine keeps the backups, e.g. "pgBackRest repo1 /var/lib/pgbackrest". */
  location: string;
  encrypted: boolean;
  compression: string;
}

/** Stored WAL as the engine reports it, for storage figures: bytes and when they were archived. */
export interface EngineStoredWal {
  bytes: number;
  archivedAt: string;
}

export interface ExistingEngine {
  readonly kind: Exclude<BackupEngine, 'lifeboat'>;
  /** The engine's name as its authors spell it. */
  readonly label: string;
  /** Where the service lives in the engine: "stanza main", "server pg". */
  readonly place: string;
  readonly account: EngineAccount;
  /** How a restored copy gets its WAL: 'relay' when the engine's restore_command reads its repository (the
   * scratch account must not), 'copied' when the engine copies the WAL into the data directory itself. */
  readonly recoveryWal: 'relay' | 'copied';
  /** Oldest first. */
  backups(signal?: AbortSignal): Promise<EngineBackup[]>;
  repositoryFacts(signal?: AbortSignal): Promise<EngineRepositoryFacts>;
  /** What the engine itself says is wrong with the service's backups or archive, in its words (pgBackRest:
   * info's stanza and repository status; Barman: each check `barman check` reports FAILED). */
  reportedProblems(signal?: AbortSignal): Promise<string[]>;
  /** Names of the archived WAL files: segments and timeline histories. */
  archivedWal(signal?: AbortSignal): Promise<string[]>;
  /** The archive's size as the engine reports it (pgBackRest: each stored file repo-ls lists, with its time;
   * Barman: per backup, the WAL show-backup counts from it to the next backup, dated at the backup's end). */
  storedWal(signal?: AbortSignal): Promise<EngineStoredWal[]>;
  /** Copies one archived file, plain, to dest (in a folder the engine's account can write); false when the
   * engine does not have it. */
  fetchWal(name: string, dest: string, signal?: AbortSignal): Promise<boolean>;
  /** type: the engine's backup type where it has several (pgBackRest); undefined is the engine's default. */
  backup(ctx: JobContext, type?: 'full' | 'diff' | 'incr'): Promise<{ label?: string; detail: string }>;
  /** The engine's own verification of one backup (pgBackRest verifies the whole stanza). */
  verify(ctx: JobContext, label: string): Promise<{ ok: boolean; detail: string; verified: string[] }>;
  retention(apply: boolean, signal?: AbortSignal): Promise<EngineRetention>;
  restore(ctx: JobContext, request: EngineRestoreRequest): Promise<void>;
  /** The engine's own commands for a whole-cluster restore on the service's server, step by step. */
  wholeClusterSteps(request: { backupLabel: string; target: EngineTarget; timeline: number; timePlaceholder?: string }): Array<{ title: string; why: string; commands: string[] }>;
}
