// What the scheduler remembers between runs of Lifeboat (dataDir/state/schedules.json): per schedule, when it
// was first seen and its last run, so runs missed while Lifeboat was closed can be counted at start-up.
import { readFile } from 'node:fs/promises';
import type { ScheduleOutcome } from '../../shared/monitoring';
import { writeFileAtomic } from '../storage/atomicWrite';

export interface ScheduleRecord {
  firstSeen: string;
  lastRun?: { slot: string; startedAt: string; jobId?: string; outcome: ScheduleOutcome; detail?: string };
  missed?: { count: number; first: string; last: string; ranAtStart: boolean; detectedAt: string };
}

export class ScheduleState {
  private records: Record<string, ScheduleRecord> = {};
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as { schedules?: Record<string, ScheduleRecord> };
      this.records = parsed.schedules ?? {};
    } catch (err) {
      // Missing on first start; unreadable is treated the same (no history), never as a crash.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.records = {};
    }
  }

  get(key: string): ScheduleRecord | undefined {
    return this.records[key];
  }

  update(key: string, patch: (current: ScheduleRecord | undefined) => ScheduleRecord): Promise<void> {
    this.records[key] = patch(this.records[key]);
    return this.save();
  }

  private save(): Promise<void> {
    // Writes are serialised; each writes the whole (small) file atomically.
    this.chain = this.chain.then(() => writeFileAtomic(this.path, JSON.stringify({ version: 1, schedules: this.records }, null, 2) + '\n')).catch(() => undefined);
    return this.chain;
  }
}
