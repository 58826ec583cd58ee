// What Lifeboat last learned of each registered PostgreSQL server's place in a topology (system identifier,
// primary or standby, upstream, application_name), kept on disk so that a standby that is down now is still
// known as "the standby of that primary" and shows as disconnected rather than vanishing from the view.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../storage/atomicWrite';
import type { KnownRole } from './postgresReplicationView';

export class TopologyMemory {
  private roles = new Map<string, KnownRole>();
  private loaded = false;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(private readonly path: string) {}

  async get(serviceId: string): Promise<KnownRole | undefined> {
    await this.load();
    return this.roles.get(serviceId);
  }

  /** Everything remembered, for many lookups at once. */
  async snapshot(): Promise<ReadonlyMap<string, KnownRole>> {
    await this.load();
    return this.roles;
  }

  async remember(serviceId: string, role: KnownRole): Promise<void> {
    await this.load();
    const before = this.roles.get(serviceId);
    this.roles.set(serviceId, role);
    // Only a change of place is worth a write; seenAt alone changes every few seconds while sampling.
    if (before && before.systemIdentifier === role.systemIdentifier && before.role === role.role && before.upstream === role.upstream && before.applicationName === role.applicationName) return;
    // A fleet view learns hundreds of places at once: the queued writes after the first find nothing left
    // to write, so the file is written a few times, not once per server with everything before it.
    this.dirty = true;
    this.writing = this.writing
      .then(() => {
        if (!this.dirty) return;
        this.dirty = false;
        return writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.roles), null, 2) + '\n');
      })
      .catch(() => undefined);
    await this.writing;
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, KnownRole>;
      for (const [id, role] of Object.entries(parsed)) this.roles.set(id, role);
    } catch {
      // No file yet, or a damaged one: start from what the servers say now.
    }
  }
}
