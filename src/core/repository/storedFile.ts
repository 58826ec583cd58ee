// How one stored file is described wherever it is listed (a backup's manifest, a WAL segment's sidecar):
// its name, the layers applied to it, size and SHA-256 on disk and the size of what was stored. In zod's
// tree-shakeable "mini" form: restore_command and archive_command read these on every call, and the full
// zod library costs more to load than moving a segment.
import * as z from 'zod/mini';

export const ENCRYPTION_ALG = 'aes-256-gcm-chunked-v1';

/** Trailing zeros not stored; sourceBytes is the full length (see zeroTail.ts). WAL segments only. */
export const ZERO_TAIL = 'zero-tail';
/**
 * Outer encodings of a stored file, in the order they were applied; decoding undoes them in reverse. A
 * reader that meets a layer it does not know rejects the entry rather than decoding it wrongly.
 */
export const layerSchema = z.enum([ZERO_TAIL, 'zstd', 'gzip', ENCRYPTION_ALG]);
export type Layer = z.infer<typeof layerSchema>;

const count = () => z.number().check(z.int(), z.nonnegative());

export const storedFileSchema = z.object({
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/)),
  /** What the file holds, e.g. "base" (tar of the data directory), "dump", "globals". */
  role: z.string(),
  layers: z.array(layerSchema),
  /** Size and SHA-256 of the bytes on disk. */
  bytes: count(),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** Size of what the tool produced, before Lifeboat's layers. */
  sourceBytes: count(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;
