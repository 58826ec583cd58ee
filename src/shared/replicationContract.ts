// The replication slice of the contract: live replication and HA status, lag sampling and promotion.
// Merged into methodInputs / MethodOutputs / EventPayloads by contract.ts.
import { z } from 'zod';

export const replicationMethodInputs = {} satisfies Record<string, z.ZodType>;

export interface ReplicationMethodOutputs {}

export interface ReplicationEventPayloads {}
