// The one contract every door serves: method name -> input schema and output type; event name -> payload.
// Doors call parseInput() before the core sees anything.
import { repositoryCredentialsInputSchema } from './repositoryCredentials';
import { z } from 'zod';
import { connectionSchema, ENGINES, serviceIdSchema, serviceSchema } from './domain';
import type { ConnectionReport, Service, ServiceView } from './domain';
import type { Job } from './jobs';
import type { WireError } from './errors';
import type { BackupView, RepositoryView, RetentionPlanView } from './backups';
import type { DrillView, RestoreCommandsView, ScratchView, WalStatusView, WindowView } from './recovery';
import { sqlServerMethodInputs, type SqlServerMethodOutputs } from './sqlServerContract';
import { replicationMethodInputs, type ReplicationEventPayloads, type ReplicationMethodOutputs } from './replicationContract';
import { runbookMethodInputs, type RunbookMethodOutputs } from './runbookContract';
import { monitoringMethodInputs, type MonitoringEventPayloads, type MonitoringMethodOutputs } from './monitoringContract';
import { engineMethodInputs, type EngineMethodOutputs } from './engineContract';
import { findMomentMethodInputs, type FindMomentMethodOutputs } from './findMomentContract';

const password = z.string().min(1).max(1024);

/** A point to restore to. Times must carry their zone: a zone-less time is the classic restore mistake. */
/** A tablespace's original location → where to restore it (pg_basebackup's --tablespace-mapping OLD=NEW). */
export const tablespaceMappingSchema = z.record(z.string().min(1).max(4096), z.string().min(1).max(4096));

export const restoreTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('time'),
    time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/, 'an ISO 8601 time with its zone, e.g. 2026-11-25T14:03:00+01:00'),
    inclusive: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('lsn'), lsn: z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, 'an LSN such as 0/3000148'), inclusive: z.boolean().default(true) }),
  z.object({ kind: z.literal('name'), name: z.string().min(1).max(63) }),
  /**
   * A transaction: recovery_target_xid, stopping just after its commit (inclusive) or just before it. commitLsn,
   * where its commit record is (a finding gives it), picks the base backup; without it the core looks it up.
   */
  z.object({ kind: z.literal('xid'), xid: z.string().regex(/^[1-9]\d{0,9}$/, 'a transaction id such as 745'), inclusive: z.boolean().default(true), commitLsn: z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, 'an LSN such as 0/3000148').optional() }),
  z.object({ kind: z.literal('latest') }),
  /** The moment a backup became consistent: for a backup with no archived WAL after it (self-contained). */
  z.object({ kind: z.literal('immediate'), backupId: z.string().min(1).max(200) }),
]);

export const methodInputs = {
  'app.info': z.object({}).strict(),
  'services.list': z.object({}).strict(),
  'services.get': z.object({ id: serviceIdSchema }).strict(),
  'services.add': z.object({ service: serviceSchema, password: password.optional() }).strict(),
  'services.update': z.object({ service: serviceSchema, password: password.optional() }).strict(),
  'services.remove': z.object({ id: serviceIdSchema }).strict(),
  'services.test': z.object({ id: serviceIdSchema }).strict(),
  /** Tests a connection the wizard has not saved yet; the password, if given, is used once and dropped. */
  'services.testDraft': z
    .object({ engine: z.enum(ENGINES), connection: connectionSchema, password: password.optional() })
    .strict(),
  /** Turns a PostgreSQL URI or a SQL Server connection string into a connection (password split off). */
  'services.parseConnection': z.object({ text: z.string().min(1).max(4096) }).strict(),
  'secrets.setPassword': z.object({ serviceId: serviceIdSchema, password }).strict(),
  'secrets.clearPassword': z.object({ serviceId: serviceIdSchema }).strict(),
  'repo.info': z.object({}).strict(),
  /**
   * Creates a repository (encrypted unless asked otherwise) and makes it the fleet's default. path is a folder,
   * s3://bucket/prefix or azure://account/container/prefix; an object store's credentials go to the keychain
   * or, as a source, into the fleet file.
   */
  'repo.init': z
    .object({
      path: z.string().min(1).max(4096),
      encrypt: z.boolean().default(true),
      credentials: repositoryCredentialsInputSchema.optional(),
      /** A repository to hold copies of another (policy.repositories): it takes that one's key, not a new one. */
      sameKeyAs: z.string().min(1).max(4096).optional(),
      /** Make it the fleet's default repository (not for a copy's repository). */
      makeDefault: z.boolean().default(true),
    })
    .strict(),
  /** Points the fleet at an existing repository (e.g. on a fresh install). */
  'repo.use': z.object({ path: z.string().min(1).max(4096), credentials: repositoryCredentialsInputSchema.optional() }).strict(),
  /** Stores a repository key (base64) in the keychain; the key can be set, never read back. */
  'repo.importKey': z.object({ key: z.string().min(40).max(100) }).strict(),
  'backups.start': z
    .object({
      serviceIds: z.array(serviceIdSchema).min(1).max(100),
      kind: z.enum(['physical', 'logical']),
      compression: z.enum(['zstd', 'gzip', 'none']).default('zstd'),
      checkpoint: z.enum(['fast', 'spread']).default('fast'),
      /** Physical only: pg_basebackup --max-rate, to spare a busy server's disks (e.g. "50M"). */
      maxRate: z.string().regex(/^\d+[kM]?$/, 'a rate such as 32k or 50M').optional(),
      /** A pgBackRest service's backup type (physical only); default pgBackRest's own (incr, full when none). */
      type: z.enum(['full', 'diff', 'incr']).optional(),
    })
    .strict(),
  'backups.list': z.object({ serviceId: serviceIdSchema }).strict(),
  'backups.verify': z.object({ backupId: z.string().min(1).max(200) }).strict(),
  /** Copies a backup into every other repository of its service that does not hold it yet. */
  'backups.copy': z.object({ backupId: z.string().min(1).max(200) }).strict(),
  /** Unpacks a physical backup into an empty data directory (a whole-cluster restore on its own server). */
  'backups.fetch': z
    .object({
      backupId: z.string().min(1).max(200),
      to: z.string().min(1).max(4096),
      /** A tablespace's original location → where to put it (pg_basebackup's --tablespace-mapping). */
      tablespaceMapping: tablespaceMappingSchema.optional(),
      /** Non-empty tablespace folders whose content may be replaced, each path typed. */
      replaceTablespaces: z.array(z.string().min(1).max(4096)).max(100).optional(),
    })
    .strict(),
  'backups.restore': z
    .object({
      backupId: z.string().min(1).max(200),
      database: z.string().min(1).max(63),
      /** A registered PostgreSQL service whose server receives the database; default: the backup's own. */
      targetServiceId: serviceIdSchema.optional(),
      confirmReplace: z.string().max(63).optional(),
      withGlobals: z.boolean().default(false),
    })
    .strict(),
  'retention.plan': z.object({ serviceId: serviceIdSchema }).strict(),
  'retention.apply': z.object({ serviceId: serviceIdSchema }).strict(),
  'wal.start': z.object({ serviceId: serviceIdSchema }).strict(),
  'wal.stop': z.object({ serviceId: serviceIdSchema }).strict(),
  'wal.status': z.object({ serviceId: serviceIdSchema }).strict(),
  /** Drops Lifeboat's replication slot; `confirm` must be the slot's name, typed by the user. */
  'wal.dropSlot': z.object({ serviceId: serviceIdSchema, confirm: z.string().max(63) }).strict(),
  'window.get': z.object({ serviceId: serviceIdSchema }).strict(),
  'restore.pointInTime': z.object({ serviceId: serviceIdSchema, target: restoreTargetSchema }).strict(),
  /** The exact commands to restore the whole cluster on its own server (for runbooks). */
  'restore.commands': z.object({ serviceId: serviceIdSchema, target: restoreTargetSchema, tablespaceMapping: tablespaceMappingSchema.optional() }).strict(),
  'scratch.list': z.object({}).strict(),
  'scratch.remove': z.object({ id: z.string().min(1).max(200) }).strict(),
  'scratch.copyDatabase': z
    .object({
      id: z.string().min(1).max(200),
      database: z.string().min(1).max(63),
      targetServiceId: serviceIdSchema,
      newName: z.string().min(1).max(63),
      confirmReplace: z.string().max(63).optional(),
    })
    .strict(),
  'drills.start': z.object({ serviceId: serviceIdSchema, target: restoreTargetSchema.optional() }).strict(),
  'drills.list': z.object({ serviceId: serviceIdSchema }).strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.cancel': z.object({ id: z.string().min(1).max(64) }).strict(),
  ...sqlServerMethodInputs,
  ...replicationMethodInputs,
  ...runbookMethodInputs,
  ...monitoringMethodInputs,
  ...engineMethodInputs,
  ...findMomentMethodInputs,
} as const;

export type MethodName = keyof typeof methodInputs;
export type MethodInput<M extends MethodName> = z.input<(typeof methodInputs)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof methodInputs)[M]>;

export interface AppInfo {
  version: string;
  configPath: string;
  dataDir: string;
  secretBackend: string;
  platform: string;
}

export interface ParsedConnection {
  engine: (typeof ENGINES)[number];
  connection: z.output<typeof connectionSchema>;
  /** True when the text carried a password: the caller should offer to store it, never echo it. */
  hadPassword: boolean;
  suggestedId?: string;
}

export interface MethodOutputs extends SqlServerMethodOutputs, ReplicationMethodOutputs, RunbookMethodOutputs, MonitoringMethodOutputs, EngineMethodOutputs, FindMomentMethodOutputs {
  'app.info': AppInfo;
  'services.list': ServiceView[];
  'services.get': ServiceView;
  'services.add': ServiceView;
  'services.update': ServiceView;
  'services.remove': { removed: string };
  'services.test': ConnectionReport;
  'services.testDraft': ConnectionReport;
  'services.parseConnection': ParsedConnection & { password?: never };
  'secrets.setPassword': { serviceId: string; stored: true };
  'secrets.clearPassword': { serviceId: string; cleared: boolean };
  'repo.info': RepositoryView | null;
  'repo.init': RepositoryView;
  'repo.use': RepositoryView;
  'repo.importKey': RepositoryView;
  'backups.start': Job[];
  'backups.list': BackupView[];
  'backups.verify': Job;
  'backups.copy': Job;
  'backups.fetch': Job;
  'backups.restore': Job;
  'retention.plan': RetentionPlanView;
  'retention.apply': RetentionPlanView;
  'wal.start': Job;
  'wal.stop': { serviceId: string; stopped: boolean };
  'wal.status': WalStatusView;
  'wal.dropSlot': { serviceId: string; dropped: string };
  'window.get': WindowView;
  'restore.pointInTime': Job;
  'restore.commands': RestoreCommandsView;
  'scratch.list': ScratchView[];
  'scratch.remove': { removed: string };
  'scratch.copyDatabase': Job;
  'drills.start': Job;
  'drills.list': DrillView[];
  'jobs.list': Job[];
  'jobs.cancel': Job;
}

export type MethodOutput<M extends MethodName> = MethodOutputs[M];

export interface EventPayloads extends ReplicationEventPayloads, MonitoringEventPayloads {
  'job.changed': Job;
  'services.changed': { ids: string[] };
}
export type EventName = keyof EventPayloads;

/** Every handler the core implements, typed from the contract. */
export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methodInputs, name);
}

export type ParseResult<M extends MethodName> = { ok: true; value: ParsedInput<M> } | { ok: false; error: WireError };

/** Validates a raw input against the method's schema; the error names each bad field. */
export function parseInput<M extends MethodName>(method: M, raw: unknown): ParseResult<M> {
  const result = methodInputs[method].safeParse(raw ?? {});
  if (result.success) return { ok: true, value: result.data as ParsedInput<M> };
  const fields = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
  return {
    ok: false,
    error: { code: 'INVALID_INPUT', message: `Invalid input for ${method}: ${fields}`, hint: 'Correct the named fields and try again.' },
  };
}

/** Messages on the wire (IPC and WebSocket). Cancel is part of the protocol, not an afterthought. */
export type ClientMessage =
  | { t: 'call'; id: number; method: string; input: unknown }
  | { t: 'cancel'; id: number };
export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: WireError }
  | { t: 'event'; name: EventName; payload: unknown };

export type { Service, ServiceView, ConnectionReport, Job, BackupView, RepositoryView, RetentionPlanView, WindowView, WalStatusView, ScratchView, DrillView, RestoreCommandsView };
