// The last answer each service gave for each fleet fact, kept in state/last-known.json beside the fleet file:
// when a host does not answer, a view says "unknown: <reason>, last known <text> at <time>" instead of a
// bare "unknown" (or a wrong "broken"). A cache per workstation: losing it only loses the "last known" part.
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

type Stored = Record<string, Partial<Record<FleetFactName, KnownValue>>>;

export class LastKnownFacts {
  private values: Stored = {};
  private loaded: Promise<void> | undefined;
  private dirty = false;

  constructor(private readonly path: string) {}

  static inDataDir(dataDir: string): LastKnownFacts {
    return new LastKnownFacts(join(dataDir, 'state', 'last-known.json'));
  }

  /** Reads the file once (a missing or broken file is an empty cache). */
  load(): Promise<void> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => {
        const parsed = JSON.parse(text) as unknown;
        this.values = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Stored) : {};
      },
      () => undefined,
    ).catch(() => undefined);
    return this.loaded;
  }

  remember(serviceId: string, fact: FleetFactName, text: string, at: string): void {
    const forService = (this.values[serviceId] ??= {});
    const previous = forService[fact];
    if (previous && previous.text === text && previous.at >= at) return;
    forService[fact] = { text, at };
    this.dirty = true;
  }

  recall(serviceId: string, fact: FleetFactName): KnownValue | undefined {
    return Object.prototype.hasOwnProperty.call(this.values, serviceId) ? this.values[serviceId]![fact] : undefined;
  }

  /** Drops services that left the fleet, then writes the file if anything changed. */
  async save(serviceIds: readonly string[]): Promise<void> {
    const keep = new Set(serviceIds);
    for (const id of Object.keys(this.values)) {
      if (!keep.has(id)) {
        delete this.values[id];
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    this.dirty = false;
    await writeFileAtomic(this.path, JSON.stringify(this.values) + '\n').catch(() => undefined);
  }
}
