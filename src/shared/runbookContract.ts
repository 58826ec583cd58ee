// The runbooks slice of the contract: per-service runbooks and the fleet report, previewed and exported.
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';

export const runbookMethodInputs = {} satisfies Record<string, z.ZodType>;

export interface RunbookMethodOutputs {}
