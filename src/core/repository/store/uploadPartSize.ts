// How big an object store's upload parts are. An upload of unknown length sends a part only once it is full,
// so a part as large as the whole object sends everything after the stream ends: a backup then waits, after
// pg_basebackup is done, for its last part to go up. Small parts go up while the stream is produced, but the
// stores cap the parts of one object (S3 10,000, Azure 50,000 blocks), so parts must grow with the object.
// When the caller can tell how big the object may get (PutOptions.expectedBytes), the part is the smallest
// that still holds half as much again; when it cannot, the store's default, which holds a large object.

export interface PartSizing {
  /** The store's smallest part worth its request. */
  min: number;
  /** The store's largest part. */
  max: number;
  /** Parts one object may have. */
  maxParts: number;
  /** The part when nothing is known: large enough for big objects. */
  fallback: number;
}

const MiB = 1 << 20;

/**
 * S3's parts: 5 MiB at least (S3's own minimum: the last part, sent after the stream ends, is then at most
 * 5 MiB), 5 GiB at most, 10,000 per object; 32 MiB parts hold 312 GiB.
 */
export const S3_PARTS: PartSizing = { min: 5 * MiB, max: 5 * 1024 * MiB, maxParts: 10_000, fallback: 32 * MiB };
/** Azure's blocks: 4 MiB go up about as fast as larger ones (npm run bench:objectstore), 4,000 MiB at most, 50,000 per blob; 8 MiB hold 390 GiB. */
export const AZURE_BLOCKS: PartSizing = { min: 4 * MiB, max: 4000 * MiB, maxParts: 50_000, fallback: 8 * MiB };
/** Room over the caller's estimate: a cluster grows while it is backed up, and estimates are estimates. */
const HEADROOM = 1.5;

/** Bytes per part for an object of about expectedBytes (undefined: unknown), in whole MiB. */
export function uploadPartSize(expectedBytes: number | undefined, sizing: PartSizing): number {
  if (expectedBytes === undefined || !Number.isFinite(expectedBytes) || expectedBytes < 0) return sizing.fallback;
  const needed = Math.ceil((expectedBytes * HEADROOM) / sizing.maxParts / MiB) * MiB;
  return Math.min(sizing.max, Math.max(sizing.min, needed));
}
