// What the doors see of continuous WAL, the recoverable window, point-in-time restores and drills.

export interface WindowView {
  serviceId: string;
  now: string;
  intervals: Array<{ timeline: number; from: string; to: string; toLsn: string; backupIds: string[] }>;
  gaps: Array<{ timeline: number; firstMissing: string; lastMissing: string; segments: number; after?: string; before?: string }>;
  coverage: Array<{ timeline: number; firstSegment: string; lastSegment: string; from?: string; to?: string }>;
  backups: Array<{ id: string; timeline: number; stopTime: string; usable: boolean }>;
  restorePoints: Array<{ name: string; lsn: string }>;
  /** Drawn from pgBackRest's or Barman's backups and archive, with where the service lives in that engine. */
  engine?: { name: 'pgbackrest' | 'barman'; label: string; place: string; /** What the engine itself reports wrong (its info status, its failed checks), in its words. */ problems: string[] };
}

export interface WalStatusView {
  serviceId: string;
  streaming: boolean;
  jobId?: string;
  slot?: { name: string; active: boolean; retainedBytes: number; walStatus: string | null; restartLsn: string | null };
  /** Why the slot could not be read (the server did not answer...); the archive's figures still stand. */
  slotError?: { code: string; message: string };
  archivedSegments: number;
  lastArchived?: { name: string; at: string };
  /** For a server that archives by itself instead: the lines for its postgresql.conf, and the key file they
   * read (an encrypted repository; the postgres account has no keychain). */
  serverCommands: { archiveCommand: string; restoreCommand: string; keyFile?: string };
}

export interface ScratchView {
  id: string;
  serviceId: string;
  backupId: string;
  purpose: 'restore' | 'drill';
  createdAt: string;
  running: boolean;
  target: string;
  reached?: { time?: string; lsn?: string; detail: string };
  /** psql-ready: the unix socket folder and port; no password (local trust inside a private folder). */
  connection: { host: string; port: number; user: string; uri: string };
  osUser: string;
}

export interface DrillView {
  id: string;
  serviceId: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  backupId?: string;
  target: string;
  pointReached?: string;
  rtoMs?: number;
  amcheck?: { ok: boolean; detail: string };
  checks: Array<{ name: string; ok: boolean; value?: number; error?: string }>;
  error?: { code: string; message: string };
}

export interface RestoreCommandsView {
  serviceId: string;
  backupId: string;
  target: string;
  steps: Array<{ title: string; why: string; commands: string[] }>;
}
