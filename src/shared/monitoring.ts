// What the doors see of schedules, fleet compliance, notifications, webhooks and headless agents; and the
// fleet file's `notifications` and `scheduling` sections.
import { z } from 'zod';
import type { Job } from './jobs';
import type { ScheduleKind } from './domain';
import type { ReplicationHealth } from './replication';

export const webhookNameSchema = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"');

/** config-invalid: an edit of the fleet file that a long-lived door (the agent) could not apply. */
export const NOTIFICATION_KINDS = ['job-failed', 'rpo-breach', 'replication-lag', 'archiver-failed', 'config-invalid', 'test'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A webhook as the fleet file holds it: where to POST, and the name of the header that carries the secret.
 * The secret's value lives only in the keychain. */
export const webhookSchema = z
  .object({
    name: webhookNameSchema,
    url: z.string().url().max(2048).refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL'),
    secretHeader: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name such as X-Lifeboat-Token').optional(),
    /** Only these kinds are sent; default: all. */
    kinds: z.array(z.enum(NOTIFICATION_KINDS)).optional(),
  })
  .strict();
export type Webhook = z.infer<typeof webhookSchema>;

export const notificationSettingsSchema = z
  .object({
    /** Desktop notifications in the app (Electron) and in browser mode; default on. */
    desktop: z.boolean().optional(),
    webhooks: z.array(webhookSchema).max(20).optional(),
  })
  .strict();
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const schedulingSettingsSchema = z
  .object({
    /** Scheduled jobs running at once across the fleet (default 2). */
    concurrency: z.number().int().min(1).max(32).optional(),
  })
  .strict();
export type SchedulingSettings = z.infer<typeof schedulingSettingsSchema>;

/** How fleet-wide views (dashboard, fleet page, report, runbook --all, replication overview) ask the servers. */
export const fleetViewsSettingsSchema = z
  .object({
    /** How long a view waits for one service's server before its facts count as unknown (default 2). */
    serverTimeLimitSeconds: z.number().min(0.1).max(120).optional(),
    /** Services whose facts are gathered at the same time (default 32). */
    concurrency: z.number().int().min(1).max(256).optional(),
    /** Connections open at once to the fleet's servers, one per server (default 256). */
    maxConnections: z.number().int().min(1).max(4096).optional(),
  })
  .strict();
export type FleetViewsSettings = z.infer<typeof fleetViewsSettingsSchema>;

export type Severity = 'critical' | 'warning' | 'info';

export interface NotificationRecord {
  id: string;
  at: string;
  kind: NotificationKind;
  severity: Severity;
  serviceId?: string;
  title: string;
  message: string;
  hint?: string;
  jobId?: string;
}

export interface WebhookView {
  name: string;
  url: string;
  secretHeader?: string;
  kinds?: NotificationKind[];
  /** A secret value is in the keychain (never the value). */
  hasSecret: boolean;
}

export interface WebhookDelivery {
  webhook: string;
  notificationId: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
  at: string;
}

export interface ScheduleView {
  key: string;
  serviceId: string;
  kind: ScheduleKind;
  cron: string;
  timeZone: string;
  /** In words, e.g. "every day at 02:00 (Europe/Berlin)". */
  description: string;
  runMissed: boolean;
  nextRun?: string;
  lastRun?: { slot: string; startedAt: string; jobId?: string; outcome: ScheduleOutcome; detail?: string };
  /** Runs that fell due while Lifeboat was not running. */
  missed?: { count: number; first: string; last: string; ranAtStart: boolean };
  /** The schedule cannot run (bad cron, a kind the engine does not have). */
  error?: string;
}

export type ScheduleOutcome = 'started' | 'succeeded' | 'failed' | 'cancelled' | 'skipped-overlap' | 'skipped-locked' | 'error';

export type ComplianceLevel = 'ok' | 'warning' | 'breach' | 'unknown';

/** A fact of a service that could not be learned this time: why, and the last answer Lifeboat kept. */
export interface UnknownFact {
  fact: FleetFactName;
  /** e.g. "no answer within 2 s". */
  reason: string;
  /** The last value learned, in words, and when: shown as "unknown: <reason>, last known <text> at <at>". */
  lastKnown?: { text: string; at: string };
}

export const FLEET_FACTS = ['backups', 'window', 'drills', 'replication', 'wal'] as const;
export type FleetFactName = (typeof FLEET_FACTS)[number];

/**
 * One service judged by the one compliance rule (compliance.ts): the dashboard, the fleet page and the fleet
 * report all show these verdicts, so they cannot disagree.
 */
/** One repository of a service (policy.repositories) as the 3-2-1 view sees it. */
export interface RepositoryCopyView {
  location: string;
  storage: 'folder' | 's3' | 'azure';
  /** Object storage counts as off this machine and site; a folder cannot be told from a local disk. */
  offsite: boolean;
  /** It holds the newest backup of the service's first repository. */
  holdsNewest: boolean;
  /** ...and that copy was verified (read back after copying, or verified since). */
  verified: boolean;
  backups: number;
  /** Bytes of the service's backups and WAL stored there, and how many of them arrived in the last 7 days. */
  storedBytes: number;
  walBytes: number;
  growth7dBytes: number;
  /** Why the repository could not be read (then nothing above is known). */
  error?: string;
}

/** 3-2-1 for a service: copies of its newest backup, on how many kinds of storage, one off-site. */
export interface BackupCopiesView {
  level: ComplianceLevel;
  /** e.g. "2 copies (2 verified), 2 kinds of storage, 1 off-site" or "1 copy only". */
  text: string;
  copies: number;
  verified: number;
  storageKinds: number;
  offsite: boolean;
  repositories: RepositoryCopyView[];
}

export interface ServiceCompliance {
  serviceId: string;
  name: string;
  engine: 'postgres' | 'sqlserver';
  team?: string;
  owner?: string;
  tags: string[];
  /** The server's version from the last connection test, e.g. "15.8"; absent until tested. */
  version?: string;
  /** The worst of backup, rto and replication ('unknown' only when nothing is worse): for sorting and filters. */
  state: ComplianceLevel;
  backup: { level: ComplianceLevel; text: string; lastGoodAt?: string; ageSeconds?: number; rpoSeconds?: number };
  window?: { from: string; to: string };
  rto: { level: ComplianceLevel; text: string; lastDrillAt?: string; rtoMs?: number; targetMs?: number };
  replication: { level: ComplianceLevel; text: string; health?: ReplicationHealth };
  nextRun?: { at: string; kind: ScheduleKind };
  missedRuns: number;
  /** Lifeboat-kept PostgreSQL services only: where copies of the newest backup are (3-2-1). */
  copies?: BackupCopiesView;
  /** Facts not learned within the time limit (or failing), each with the last value kept. */
  unknown: UnknownFact[];
}

/** The fleet page's table: every service's verdicts, read concurrently with a per-service time limit. */
export interface FleetOverviewView {
  generatedAt: string;
  /** How long one service may take before its facts count as unknown. */
  timeLimitMs: number;
  services: ServiceCompliance[];
}

export interface DailyOutcome {
  day: string;
  succeeded: number;
  failed: number;
}

export interface StorageSeries {
  serviceId: string;
  /** Backups and archived WAL. */
  storedBytes: number;
  /** Of which archived WAL. */
  walBytes: number;
  /** Bytes added over the last 7 and 30 days (backups that still exist). */
  growth7d: number;
  growth30d: number;
  points: Array<{ day: string; bytes: number }>;
}

export interface FailureView {
  jobId: string;
  kind: string;
  serviceId?: string;
  title: string;
  at: string;
  error: { code: string; message: string; hint: string };
  source: string;
}

export interface DashboardView {
  generatedAt: string;
  services: ServiceCompliance[];
  rates: Array<{ days: 7 | 30; succeeded: number; failed: number; successRate: number | null }>;
  daily: DailyOutcome[];
  storage: StorageSeries[];
  failures: FailureView[];
  notifications: NotificationRecord[];
  agents: AgentView[];
  /** The agents' most recent jobs (from the repository's shared journal), newest first. */
  agentJobs: AgentJob[];
}

export interface AgentView {
  name: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeen: string;
  /** No heartbeat for more than three intervals. */
  stale: boolean;
}

/** A job an agent ran, as it wrote it into the repository's shared journal. */
export type AgentJob = Job & { agent: string };
