// The "find the moment" slice of the contract: which transactions dropped, truncated or mass-changed a table
// in a time range, read from the archived WAL (PostgreSQL) or the log backups (SQL Server).
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';
import { serviceIdSchema } from './domain';
import type { Job } from './jobs';
import type { MomentTableView } from './findMoment';

const zonedTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/, 'an ISO 8601 time with its zone, e.g. 2026-11-25T14:03:00+01:00');

export const findMomentMethodInputs = {
  /**
   * Starts a 'find.moment' job: the WAL (or log backups) of the range scanned for DROP, TRUNCATE and DELETE or
   * UPDATE of at least minRows rows in one table; its result is a MomentScanView. Without a range: the last 24
   * hours of the recoverable window. Without a table: every table.
   */
  'findMoment.start': z
    .object({
      serviceId: serviceIdSchema,
      /** schema.table or table; a dropped table's old name is found too. */
      table: z.string().min(1).max(200).optional(),
      from: zonedTime.optional(),
      to: zonedTime.optional(),
      minRows: z.number().int().min(1).max(1_000_000_000).default(100),
    })
    .strict(),
  /** Tables to pick from: the live catalog's, and those in the nearest backup's catalog when it was read before. */
  'findMoment.tables': z.object({ serviceId: serviceIdSchema }).strict(),
} satisfies Record<string, z.ZodType>;

export interface FindMomentMethodOutputs {
  'findMoment.start': Job;
  'findMoment.tables': MomentTableView[];
}
