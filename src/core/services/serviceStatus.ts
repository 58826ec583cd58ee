// What Lifeboat last learned about each service (connection test results), kept beside the fleet file but
// not in it: status is per workstation, the inventory is the team's.
import { readFile } from 'node:fs/promises';
import type { ServiceView } from '../../shared/domain';
import { writeFileAtomic } from '../storage/atomicWrite';

export type LastTest = NonNullable<ServiceView['lastTest']>;

export class ServiceStatusStore {
  private status: Record<string, LastTest> = {};

  constructor(private readonly path: string) {}

  async load(): Promise<void> {
    try {
      this.status = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, LastTest>;
    } catch {
      // Missing or unreadable status only means "untested"; it is rebuilt by the next test.
      this.status = {};
    }
  }

  get(id: string): LastTest | undefined {
    return this.status[id];
  }

  async set(id: string, test: LastTest): Promise<void> {
    this.status[id] = test;
    await writeFileAtomic(this.path, JSON.stringify(this.status, null, 2));
  }

  async delete(id: string): Promise<void> {
    if (!(id in this.status)) return;
    delete this.status[id];
    await writeFileAtomic(this.path, JSON.stringify(this.status, null, 2));
  }
}
