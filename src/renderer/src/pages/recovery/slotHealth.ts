// How worrying Lifeboat's replication slot looks: the WAL the server retains for it fills pg_wal, and an
// inactive slot retains more every minute. Amber above 1 GiB, red above 10 GiB or when WAL was lost.
import type { WalStatusView } from '../../../../shared/recovery';
import type { StatusTone } from '../../components/StatusBadge';
import { formatBytes } from '../../format/jobQuantities';

export const GIB = 1024 ** 3;
export const RETAINED_WARN_BYTES = GIB;
export const RETAINED_ERROR_BYTES = 10 * GIB;

type Slot = NonNullable<WalStatusView['slot']>;

export function retainedTone(bytes: number): StatusTone {
  if (bytes > RETAINED_ERROR_BYTES) return 'error';
  if (bytes > RETAINED_WARN_BYTES) return 'warn';
  return 'ok';
}

/** pg_replication_slots.wal_status: "lost" means WAL the slot needed is gone; "unreserved" that it soon may be. */
export function walStatusTone(walStatus: string | null): StatusTone {
  if (walStatus === 'lost') return 'error';
  if (walStatus === 'unreserved') return 'warn';
  if (walStatus === 'reserved' || walStatus === 'extended') return 'ok';
  return 'untested';
}

export interface SlotWarning {
  tone: 'warn' | 'error';
  text: string;
}

/** The sentences the WAL panel shows under the slot, most serious first. */
export function slotWarnings(slot: Slot): SlotWarning[] {
  const warnings: SlotWarning[] = [];
  if (slot.walStatus === 'lost')
    warnings.push({ tone: 'error', text: 'The server already removed WAL this slot needed: the window has a gap until the next base backup.' });
  const tone = retainedTone(slot.retainedBytes);
  if (tone === 'warn' || tone === 'error')
    warnings.push({
      tone,
      text: `The server retains ${formatBytes(slot.retainedBytes)} of WAL for this slot${tone === 'error' ? ', more than 10 GiB' : ', more than 1 GiB'}: pg_wal grows until Lifeboat archives it. Check that streaming runs.`,
    });
  if (!slot.active) warnings.push({ tone: 'warn', text: 'The slot is inactive: nothing is streaming from it, so the server keeps WAL for it and pg_wal grows until streaming resumes or the slot is dropped.' });
  return warnings.sort((a, b) => (a.tone === b.tone ? 0 : a.tone === 'error' ? -1 : 1));
}
