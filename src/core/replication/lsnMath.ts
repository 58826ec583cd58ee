// Differences between PostgreSQL LSNs that the server cannot compute for us (two LSNs read on different
// servers). Parsing is walNames' parseLsn: one LSN arithmetic for the whole core.
import { parseLsn } from '../wal/walNames';

/** a - b in bytes, never negative; null when either is unknown. */
export function lsnDistance(a: string | null | undefined, b: string | null | undefined): number | null {
  if (!a || !b) return null;
  const d = parseLsn(a) - parseLsn(b);
  return d > 0n ? Number(d) : 0;
}
