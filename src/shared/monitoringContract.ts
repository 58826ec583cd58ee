// The monitoring slice of the contract: schedules, the dashboard, notifications and webhooks.
// Merged into methodInputs / MethodOutputs / EventPayloads by contract.ts.
import { z } from 'zod';

export const monitoringMethodInputs = {} satisfies Record<string, z.ZodType>;

export interface MonitoringMethodOutputs {}

export interface MonitoringEventPayloads {}
