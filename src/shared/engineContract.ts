// The backup engines slice of the contract: finding a team's pgBackRest stanzas and Barman servers for the
// service wizard. Everything else an engine does goes through the backups and recovery methods, by service.
// Merged into methodInputs / MethodOutputs by contract.ts.
import { z } from 'zod';

export interface DetectedEngineEntry {
  /** The stanza or server name. */
  name: string;
  /** The engine's own word on it ("ok", "no valid backups", Barman's description). */
  status: string;
  backups?: number;
}

export const engineMethodInputs = {
  /** Lists the stanzas (`pgbackrest info --output=json`) or servers (`barman list-servers`) a config file knows. */
  'engines.detect': z
    .object({
      engine: z.enum(['pgbackrest', 'barman']),
      config: z.string().min(1).max(4096).optional(),
      osUser: z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_.-]*$/i, 'an operating-system account name').optional(),
    })
    .strict(),
} as const;

export interface EngineMethodOutputs {
  'engines.detect': DetectedEngineEntry[];
}
