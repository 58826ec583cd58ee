// The SQL Server slice of the contract: backups, history, restore plans and scripts, verify and drills.
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';

export const sqlServerMethodInputs = {} satisfies Record<string, z.ZodType>;

export interface SqlServerMethodOutputs {}
