// The last answer each service gave for each fleet fact, kept in state/last-known.json beside the fleet file:
// when a host does not answer, a view says "unknown: <reason>, last known <text> at <time>" instead of a
// bare "unknown" (or a wrong "broken"). It also remembers which services did not answer in time, so the next
// view asks them first and their time limit runs while the others answer. A cache per workstation: losing
// it only loses the "last known" part and that order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetFactName } from '../../shared/monitoring';
import { writeFileAtomic } from '../storage/atomicWrite';

export interface KnownValue {
  /** The value in words, as a view would show it. */
  text: string;
  /** When it was learned (ISO). */
  at: string;
}

interface ServiceMemory {
  facts: Partial<Record<FleetFactName, KnownValue>>;
  /** When a view last had to give up waiting on this service's server. */
  timedOutAt?: string;
}

export class LastKnownFacts {
  private services = new Map<string, ServiceMemory>();
  private loaded: Promise<void> | undefined;
  private dirty = false;

  constructor(private readonly path: string) {}

  static inDataDir(dataDir: string): LastKnownFacts {
    return new LastKnownFacts(join(dataDir, 'state', 'last-known.json'));
  }

  /** Reads the file once (a missing or broken file is an empty cache). */
  load(): Promise<void> {
    this.loaded ??= readFile(this.path, 'utf8')
      .then((text) => {
        const parsed = JSON.parse(text) as { services?: Record<string, ServiceMemory> };
        const stored = parsed && typeof parsed.services === 'object' && parsed.services ? parsed.services : {};
        this.services = new Map(Object.entries(stored).filter(([, m]) => m && typeof m.facts === 'object'));
      })
      .catch(() => undefined);
    return this.loaded;
  }

  private memoryOf(serviceId: string): ServiceMemory {
    let memory = this.services.get(serviceId);
    if (!memory) this.services.set(serviceId, (memory = { facts: {} }));
    return memory;
  }

  remember(serviceId: string, fact: FleetFactName, text: string, at: string): void {
    const facts = this.memoryOf(serviceId).facts;
    const previous = facts[fact];
    if (previous && previous.text === text && previous.at >= at) return;
    facts[fact] = { text, at };
    this.dirty = true;
  }

  recall(serviceId: string, fact: FleetFactName): KnownValue | undefined {
    return this.services.get(serviceId)?.facts[fact];
  }

  /** Whether the last view gave up waiting on this service's server (`at`), or it answered (undefined). */
  noteTimedOut(serviceId: string, at: string | undefined): void {
    const memory = this.memoryOf(serviceId);
    if (memory.timedOutAt === at) return;
    memory.timedOutAt = at;
    this.dirty = true;
  }

  /** Services that did not answer last time first (they will most likely take the whole time limit again). */
  slowestFirst<T extends { id: string }>(services: readonly T[]): T[] {
    const late = (s: T) => (this.services.get(s.id)?.timedOutAt ? 1 : 0);
    return [...services].sort((a, b) => late(b) - late(a));
  }

  /** Drops services that left the fleet, then writes the file if anything changed. */
  async save(serviceIds: readonly string[]): Promise<void> {
    const keep = new Set(serviceIds);
    for (const id of this.services.keys()) {
      if (!keep.has(id)) {
        this.services.delete(id);
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    this.dirty = false;
    await writeFileAtomic(this.path, JSON.stringify({ services: Object.fromEntries(this.services) }) + '\n').catch(() => undefined);
  }
}
