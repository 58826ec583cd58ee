// Domain schemas shared by every layer: a service (one microservice's database), its connection and policy.
// zod is plain TypeScript, so the renderer validates with the same schemas the doors use.
import { z } from 'zod';

export const ENGINES = ['postgres', 'sqlserver'] as const;
export type EngineKind = (typeof ENGINES)[number];

/** libpq's sslmode names; for SQL Server: disable = encrypt off, require = encrypt without trusting the
 * certificate chain, verify-full = encrypt and verify. */
export const TLS_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Where a service's password comes from. Only the keychain holds the value; the others name where to look. */
export const passwordSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keychain') }),
  z.object({
    kind: z.literal('env'),
    variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  }),
  z.object({ kind: z.literal('passfile'), path: z.string().min(1).optional() }),
  z.object({ kind: z.literal('none') }),
]);
export type PasswordSource = z.infer<typeof passwordSourceSchema>;

export const serviceIdSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_", starting with a letter or digit');

const hostSchema = z.string().min(1).max(255).regex(/^[^\s/]+$/, 'a host name or address, without spaces or slashes');

export const connectionSchema = z.object({
  host: hostSchema,
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1).max(128),
  user: z.string().min(1).max(128),
  tls: z.enum(TLS_MODES).default('prefer'),
  /** SQL Server only: a named instance (HOST\INSTANCE). */
  instance: z.string().min(1).max(128).optional(),
  password: passwordSourceSchema.default({ kind: 'keychain' }),
});
export type Connection = z.infer<typeof connectionSchema>;

/** Durations are written as people write them in YAML: 15m, 4h, 7d. */
export const durationSchema = z.string().regex(/^\d+(s|m|h|d|w)$/, 'a duration such as 30s, 15m, 4h or 7d');

/** A query a drill runs on the restored copy; its first column must be a number >= min (default 1). */
export const drillCheckSchema = z.object({
  name: z.string().min(1).max(200),
  sql: z.string().min(1).max(10_000),
  database: z.string().min(1).max(128).optional(),
  min: z.number().optional(),
});
export type DrillCheck = z.infer<typeof drillCheckSchema>;

/** When a standby's lag raises an event: warn and critical, in seconds of replay delay and bytes behind. */
export const replicationThresholdsSchema = z.object({
  warnLagSeconds: z.number().min(0).optional(),
  criticalLagSeconds: z.number().min(0).optional(),
  warnLagBytes: z.number().int().min(0).optional(),
  criticalLagBytes: z.number().int().min(0).optional(),
  /** How often the sampling job reads the status; default 5s. */
  sampleInterval: durationSchema.optional(),
});
export type ReplicationThresholds = z.infer<typeof replicationThresholdsSchema>;

/** SQL Server backups: where the server writes them (a path on the server or a share it can write) and the
 * certificate for backup encryption, when the policy asks for it. */
export const sqlServerBackupPolicySchema = z.object({
  backupDirectory: z.string().min(1).max(1024).optional(),
  encryptionCertificate: z.string().min(1).max(128).optional(),
  encryptionAlgorithm: z.enum(['AES_128', 'AES_192', 'AES_256']).optional(),
});
export type SqlServerBackupPolicy = z.infer<typeof sqlServerBackupPolicySchema>;

/** What a schedule starts: PostgreSQL backups (physical, logical; full and diff on a pgBackRest service), SQL
 * Server backups (full, diff, log), or verify, drill and retention for either engine. */
export const SCHEDULE_KINDS = ['physical', 'logical', 'full', 'diff', 'log', 'verify', 'drill', 'retention'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** A time zone the runtime knows (IANA name such as Europe/Berlin, or UTC). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One schedule of a policy: cron (5 fields, or 6 with seconds first) read in an explicit time zone. */
export const scheduleSchema = z.object({
  kind: z.enum(SCHEDULE_KINDS),
  cron: z.string().regex(/^\S+(\s+\S+){4,5}$/, 'a cron expression with 5 fields (minute hour day month weekday), or 6 with seconds first'),
  timeZone: z.string().min(1).max(64).refine(isKnownTimeZone, 'an IANA time zone such as Europe/Berlin or UTC'),
  /** Run once at start-up when a run was missed while Lifeboat was not running. */
  runMissed: z.boolean().optional(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** Who takes and keeps a PostgreSQL service's backups: Lifeboat's own repository, or an engine the team already
 * runs (Lifeboat then reads, drives and restores through that engine and never rewrites its repository). */
export const BACKUP_ENGINES = ['lifeboat', 'pgbackrest', 'barman'] as const;
export type BackupEngine = (typeof BACKUP_ENGINES)[number];

/** An account name, for running an engine's commands as the owner of its repository. */
const osUserSchema = z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_.-]*$/i, 'an operating-system account name');
/** A name an engine puts on a command line: no spaces, quotes or options. */
const engineNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

/** pgBackRest's coordinates of a service: its stanza, the configuration file and repository that hold it. */
export const pgBackRestCoordinatesSchema = z.object({
  stanza: engineNameSchema,
  /** pgBackRest's --config; default /etc/pgbackrest/pgbackrest.conf. */
  config: z.string().min(1).max(4096).optional(),
  /** pgBackRest's --repo when the stanza has several repositories; default pgBackRest's own choice. */
  repo: z.number().int().min(1).max(256).optional(),
  /** The account that runs pgBackRest (owner of its repository, usually postgres); default Lifeboat's own. */
  osUser: osUserSchema.optional(),
});
export type PgBackRestCoordinates = z.infer<typeof pgBackRestCoordinatesSchema>;

/** Barman's coordinates of a service: its server name and Barman's configuration file. */
export const barmanCoordinatesSchema = z.object({
  server: engineNameSchema,
  /** Barman's -c; default /etc/barman.conf. */
  config: z.string().min(1).max(4096).optional(),
  /** The account that runs Barman (usually barman); default Lifeboat's own. */
  osUser: osUserSchema.optional(),
});
export type BarmanCoordinates = z.infer<typeof barmanCoordinatesSchema>;

export const policySchema = z.object({
  /** Default lifeboat. pgbackrest and barman need their coordinates below. */
  engine: z.enum(BACKUP_ENGINES).optional(),
  pgbackrest: pgBackRestCoordinatesSchema.optional(),
  barman: barmanCoordinatesSchema.optional(),
  rpo: durationSchema.optional(),
  rto: durationSchema.optional(),
  retention: z
    .object({
      keep: z.number().int().min(1).optional(),
      days: z.number().int().min(1).optional(),
    })
    .optional(),
  repository: z.string().min(1).optional(),
  /**
   * Every repository that keeps this service's backups and WAL, e.g. [/srv/backups/lifeboat, azure://acct/
   * offsite/lifeboat]: backups are taken into the first and copied into the others, each WAL segment is
   * stored in all of them, and restores take any copy. Overrides `repository`. Copies share the first's key.
   */
  repositories: z.array(z.string().min(1)).min(1).max(4).optional(),
  drillChecks: z.array(drillCheckSchema).optional(),
  replication: replicationThresholdsSchema.optional(),
  sqlServer: sqlServerBackupPolicySchema.optional(),
  schedules: z.array(scheduleSchema).max(50).optional(),
}).superRefine((p, ctx) => {
  if (p.engine === 'pgbackrest' && !p.pgbackrest) ctx.addIssue({ code: 'custom', path: ['pgbackrest'], message: 'pgBackRest needs its stanza (pgbackrest: { stanza: ... })' });
  if (p.engine === 'barman' && !p.barman) ctx.addIssue({ code: 'custom', path: ['barman'], message: 'Barman needs its server name (barman: { server: ... })' });
});
export type Policy = z.infer<typeof policySchema>;

/** The engine that backs a service up: Lifeboat unless the policy names pgBackRest or Barman. */
export function backupEngineOf(service: { engine: EngineKind; policy: Policy }): BackupEngine {
  return service.engine === 'postgres' ? (service.policy.engine ?? 'lifeboat') : 'lifeboat';
}

/** Someone to call about a service: shown in its runbook ("whom to call"). */
export const contactSchema = z.object({
  name: z.string().min(1).max(200),
  role: z.string().max(200).optional(),
  phone: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const serviceSchema = z.object({
  id: serviceIdSchema,
  name: z.string().min(1).max(200),
  owner: z.string().max(200).optional(),
  /** The team that runs the service (runbooks). */
  team: z.string().max(200).optional(),
  contacts: z.array(contactSchema).max(50).optional(),
  engine: z.enum(ENGINES),
  connection: connectionSchema,
  tags: z.array(z.string().min(1).max(64)).default([]),
  policy: policySchema.default({}),
});
export type Service = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;

export type PrivilegeState = 'ok' | 'missing' | 'unknown';

export interface PrivilegeCheck {
  state: PrivilegeState;
  /** In words, e.g. "role orders_app has REPLICATION" or "needs REPLICATION or superuser". */
  detail: string;
}

/** What a connection test learned. Times are ISO strings so the payload survives JSON. */
export interface ConnectionReport {
  engine: EngineKind;
  /** Short version, e.g. "15.18" or "16.0.4135.4". */
  serverVersion: string;
  majorVersion: number;
  /** The server's own banner (version() or @@VERSION). */
  versionString: string;
  edition?: string;
  currentUser: string;
  /** What backups need: physical (PostgreSQL: REPLICATION or superuser; SQL Server: sysadmin or
   * db_backupoperator) and logical (read access to the database). */
  privileges: { physicalBackup: PrivilegeCheck; logicalBackup: PrivilegeCheck };
  warnings: string[];
  latencyMs: number;
  testedAt: string;
}

export type ServiceHealth = 'ok' | 'error' | 'untested';

/** A service as the fleet list shows it: the inventory entry plus what Lifeboat last learned. */
export interface ServiceView {
  service: Service;
  hasStoredPassword: boolean;
  health: ServiceHealth;
  lastTest?: { at: string; report?: ConnectionReport; error?: { code: string; message: string; hint: string } };
}
