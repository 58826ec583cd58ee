// The SQL Server slice of the contract: backups, history, restore plans and scripts, verify and drills.
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';
import { serviceIdSchema } from './domain';
import type { Job } from './jobs';
import type { DrillView } from './recovery';
import type { SqlCommandLogView, SqlHistoryView, SqlPlanView, SqlScriptView, SqlVerificationRecord, SqlWindowView } from './sqlServerViews';

/** A SQL Server database name (sysname): 1-128 characters; brackets and quotes are escaped, never refused. */
const databaseName = z.string().min(1).max(128);

/** A point to restore to: a time with its zone (STOPAT is written in the server's local time), the latest, or a log record. */
export const sqlRestoreTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('time'),
      time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/, 'an ISO 8601 time with its zone, e.g. 2026-11-25T14:03:00+01:00'),
    })
    .strict(),
  z.object({ kind: z.literal('latest') }).strict(),
  /** A log record (a finding's LSN): STOPBEFOREMARK, or STOPATMARK when inclusive; `time` picks the chain. */
  z
    .object({
      kind: z.literal('mark'),
      lsn: z.string().regex(/^\d{1,25}$/, 'a decimal LSN such as 98000000030400001'),
      inclusive: z.boolean(),
      time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/, 'an ISO 8601 time with its zone, e.g. 2026-11-25T14:03:00+01:00'),
    })
    .strict(),
]);

const planInput = z
  .object({
    serviceId: serviceIdSchema,
    /** The database whose history is planned; default: the service's database. */
    database: databaseName.optional(),
    target: sqlRestoreTargetSchema,
    /** The name the restored database gets on the service's server. */
    asDatabase: databaseName,
  })
  .strict();

export const sqlServerMethodInputs = {
  /** Starts a BACKUP job on the server; the file lands in policy.sqlServer.backupDirectory, on the server. */
  'sqlserver.backup': z
    .object({
      serviceId: serviceIdSchema,
      kind: z.enum(['full', 'diff', 'log']),
      database: databaseName.optional(),
      copyOnly: z.boolean().default(false),
    })
    .strict(),
  /** Backup sets from msdb, or from the backup files in a folder on the server (RESTORE HEADERONLY). */
  'sqlserver.history': z
    .object({
      serviceId: serviceIdSchema,
      database: databaseName.optional(),
      folder: z.string().min(1).max(1024).optional(),
    })
    .strict(),
  'sqlserver.window': z.object({ serviceId: serviceIdSchema, database: databaseName.optional() }).strict(),
  /** Ola Hallengren's dbo.CommandLog: his DatabaseBackup's backups and verifications, with durations and errors. */
  'sqlserver.commandLog': z
    .object({
      serviceId: serviceIdSchema,
      database: databaseName.optional(),
      /** The database his Maintenance Solution is installed in; default master. */
      logDatabase: databaseName.default('master'),
      limit: z.number().int().min(1).max(5000).default(200),
    })
    .strict(),
  /** The restore chain for a target, each choice explained, and the T-SQL script (nothing runs). */
  'sqlserver.plan': planInput,
  /** The T-SQL script alone, for copying into SSMS or a runbook (nothing runs). */
  'sqlserver.restoreScript': planInput,
  /** Runs the plan's script as a job; overwriting an existing database needs `confirmReplace` = its name. */
  'sqlserver.restore': planInput.extend({ confirmReplace: databaseName.optional() }).strict(),
  /** RESTORE VERIFYONLY ... WITH CHECKSUM of every backup in the latest chain; the outcome is recorded. */
  'sqlserver.verify': z.object({ serviceId: serviceIdSchema, database: databaseName.optional() }).strict(),
  /** The recorded verifications of a service, newest first (failed ones too; cancelled ones are not kept). */
  'sqlserver.verifications': z.object({ serviceId: serviceIdSchema, limit: z.number().int().min(1).max(100).default(20) }).strict(),
  /** Restores the latest chain under a scratch name, runs DBCC CHECKDB, measures the RTO, drops it. */
  'sqlserver.drill': z.object({ serviceId: serviceIdSchema, database: databaseName.optional() }).strict(),
  'sqlserver.drills': z.object({ serviceId: serviceIdSchema }).strict(),
} satisfies Record<string, z.ZodType>;

export interface SqlServerMethodOutputs {
  'sqlserver.backup': Job;
  'sqlserver.history': SqlHistoryView;
  'sqlserver.window': SqlWindowView;
  'sqlserver.commandLog': SqlCommandLogView;
  'sqlserver.plan': SqlPlanView;
  'sqlserver.restoreScript': SqlScriptView;
  'sqlserver.restore': Job;
  'sqlserver.verify': Job;
  'sqlserver.verifications': SqlVerificationRecord[];
  'sqlserver.drill': Job;
  'sqlserver.drills': DrillView[];
}
