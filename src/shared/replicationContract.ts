// The replication slice of the contract: live replication and HA status, lag sampling and promotion.
// Merged into methodInputs / MethodOutputs / EventPayloads by contract.ts.
import { z } from 'zod';
import type { WireError } from './errors';
import { serviceIdSchema } from './domain';
import type { Job } from './jobs';
import type {
  PromotionCheck,
  PromotionRecord,
  ReplicationAlert,
  ReplicationHistoryView,
  ReplicationOverviewRow,
  ReplicationSample,
  ReplicationView,
} from './replication';

export const replicationMethodInputs = {
  /** The full replication view of one service (PostgreSQL or SQL Server). */
  'replication.status': z.object({ serviceId: serviceIdSchema }).strict(),
  /** Every service at a glance: healthy, lagging, broken, unknown or none. */
  'replication.overview': z.object({}).strict(),
  /** The full views of many services at once, each server read once, each service under the fleet views' time
   * limit (runbook --all); a service that could not be read carries its error instead of a view. */
  'replication.statuses': z.object({ serviceIds: z.array(serviceIdSchema).min(1).max(10_000) }).strict(),
  /** Starts (or returns the running) sampling job of a service; interval from policy.replication.sampleInterval. */
  'replication.startSampling': z.object({ serviceId: serviceIdSchema }).strict(),
  'replication.stopSampling': z.object({ serviceId: serviceIdSchema }).strict(),
  /** The lag samples kept for this session (a ring buffer per service). */
  'replication.history': z.object({ serviceId: serviceIdSchema }).strict(),
  /** What promoting this standby now would lose, and whether its old primary still answers. */
  'replication.promotionCheck': z.object({ serviceId: serviceIdSchema }).strict(),
  /** Promotes a PostgreSQL standby; `confirm` must be the service id, typed by the user. */
  'replication.promote': z
    .object({ serviceId: serviceIdSchema, confirm: z.string().max(63), fencedConfirmed: z.boolean().default(false) })
    .strict(),
  /** Promotions recorded in promotions.jsonl, newest first. */
  'replication.promotions': z.object({ serviceId: serviceIdSchema.optional() }).strict(),
} satisfies Record<string, z.ZodType>;

export interface ReplicationMethodOutputs {
  'replication.status': ReplicationView;
  'replication.overview': ReplicationOverviewRow[];
  'replication.statuses': Array<{ serviceId: string; view?: ReplicationView; error?: WireError }>;
  'replication.startSampling': Job;
  'replication.stopSampling': { serviceId: string; stopped: boolean };
  'replication.history': ReplicationHistoryView;
  'replication.promotionCheck': PromotionCheck;
  'replication.promote': PromotionRecord;
  'replication.promotions': PromotionRecord[];
}

export interface ReplicationEventPayloads {
  /** One sample of a service's lag figures, published by its sampling job. */
  'replication.sample': ReplicationSample;
  /** A standby crossed a threshold (or came back under it, or disconnected). */
  'replication.alert': ReplicationAlert;
  /** The server's own archiver (pg_stat_archiver) started failing: its failed count went up since the last
   * sample and no archive succeeded after the failure. */
  'replication.archiverFailing': { serviceId: string; at: string; failedCount: number; lastFailedWal: string | null; lastFailedTime: string | null };
}
