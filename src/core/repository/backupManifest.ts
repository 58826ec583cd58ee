// The manifest of one backup: written last, atomically; a backup without one is not a backup. It lists every
// stored file with its size and SHA-256, how it was encoded, and what the backup covers.
import { z } from 'zod';
import { ENCRYPTION_ALG, storedFileSchema } from './storedFile';

export const MANIFEST_FORMAT = 1;
export const COMPRESSIONS = ['zstd', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string(),
  serviceId: z.string(),
  engine: z.enum(['postgres', 'sqlserver']),
  kind: z.enum(['physical', 'logical']),
  startedAt: z.string(),
  finishedAt: z.string(),
  compression: z.enum(COMPRESSIONS),
  encryption: z.object({ alg: z.literal(ENCRYPTION_ALG), keyFingerprint: z.string() }).nullable(),
  server: z.object({ host: z.string(), port: z.number(), database: z.string(), version: z.string(), major: z.number() }),
  tools: z.record(z.string(), z.string()),
  files: z.array(storedFileSchema).min(1),
  physical: z
    .object({
      startLsn: z.string(),
      stopLsn: z.string(),
      timeline: z.number().int(),
      walMethod: z.literal('fetch'),
      checkpoint: z.enum(['fast', 'spread']),
      /** The server's own backup_manifest: inside the base tar (pg_basebackup), or its own stored file
       * (role "server-manifest") when Lifeboat read BASE_BACKUP itself for a cluster with tablespaces. */
      serverManifest: z.enum(['inside base tar', 'own file']),
      /** The cluster's extra tablespaces, each a tar of its own (role "tablespace"), restored where a
       * tablespace mapping says, by default where they were. */
      tablespaces: z.array(z.object({ oid: z.string(), name: z.string(), location: z.string(), file: z.string() })).optional(),
      /** Data-directory bytes pg_basebackup sent (its -P count), before any compression. */
      dataBytes: z.number().int().nonnegative().optional(),
    })
    .optional(),
  logical: z
    .object({
      database: z.string(),
      format: z.literal('custom'),
      /** pg_dump's own compression inside the archive, when Lifeboat did not add a layer. */
      archiveCompression: z.string(),
      globals: z.boolean(),
    })
    .optional(),
  lifeboatVersion: z.string(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** What happened to a backup after it was taken (verifications); kept apart so the manifest never changes. */
export const historyEntrySchema = z.object({
  at: z.string(),
  action: z.enum(['verify']),
  ok: z.boolean(),
  detail: z.string(),
  durationMs: z.number().optional(),
  code: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
