// What Lifeboat records about a pgBackRest or Barman service's backups, beside its own state (the engine's
// repository is never written): each verification Lifeboat ran through the engine, per backup
// (state/engine-verifications/<service>.json, the last 20 per backup), and each drill
// (state/engine-drills/<service>/<drill id>.json).
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillView } from '../../shared/recovery';
import { writeFileAtomic } from '../storage/atomicWrite';

export interface EngineVerification {
  at: string;
  ok: boolean;
  detail: string;
}

const KEEP_PER_BACKUP = 20;

export class EngineRecords {
  constructor(private readonly stateDir: string) {}

  private verificationsFile(serviceId: string): string {
    return join(this.stateDir, 'engine-verifications', `${serviceId}.json`);
  }

  private drillsDir(serviceId: string): string {
    return join(this.stateDir, 'engine-drills', serviceId);
  }

  /** Per backup label, oldest first. */
  async verifications(serviceId: string): Promise<Record<string, EngineVerification[]>> {
    return readFile(this.verificationsFile(serviceId), 'utf8').then((t) => JSON.parse(t) as Record<string, EngineVerification[]>, () => ({}));
  }

  async addVerification(serviceId: string, labels: string[], outcome: EngineVerification): Promise<void> {
    const all = await this.verifications(serviceId);
    for (const label of labels) all[label] = [...(all[label] ?? []), outcome].slice(-KEEP_PER_BACKUP);
    await writeFileAtomic(this.verificationsFile(serviceId), JSON.stringify(all, null, 2) + '\n');
  }

  async drills(serviceId: string): Promise<DrillView[]> {
    const dir = this.drillsDir(serviceId);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    const drills = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as DrillView));
    return drills.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async addDrill(drill: DrillView): Promise<void> {
    await mkdir(this.drillsDir(drill.serviceId), { recursive: true });
    await writeFileAtomic(join(this.drillsDir(drill.serviceId), `${drill.id}.json`), JSON.stringify(drill, null, 2) + '\n');
  }
}
