// Lag samples kept for the session: a fixed-size ring per service, oldest dropped first. Nothing is written
// to disk; a restart starts a new history.
import type { ReplicationSample } from '../../shared/replication';

/** An hour at the default 5 s interval. */
export const HISTORY_CAPACITY = 720;

export class LagHistory {
  private rings = new Map<string, { items: ReplicationSample[]; next: number }>();

  constructor(readonly capacity = HISTORY_CAPACITY) {}

  push(sample: ReplicationSample): void {
    let ring = this.rings.get(sample.serviceId);
    if (!ring) this.rings.set(sample.serviceId, (ring = { items: [], next: 0 }));
    if (ring.items.length < this.capacity) ring.items.push(sample);
    else ring.items[ring.next] = sample;
    ring.next = (ring.next + 1) % this.capacity;
  }

  /** Oldest first. */
  of(serviceId: string): ReplicationSample[] {
    const ring = this.rings.get(serviceId);
    if (!ring) return [];
    return ring.items.length < this.capacity ? [...ring.items] : [...ring.items.slice(ring.next), ...ring.items.slice(0, ring.next)];
  }
}
