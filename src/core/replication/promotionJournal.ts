// Promotions as they happened, one JSON line each in state/promotions.jsonl. Each append rewrites the file
// atomically (temp file, fsync, rename), so a crash leaves the old journal or the new, never a torn line.
import { readFile } from 'node:fs/promises';
import type { PromotionRecord } from '../../shared/replication';
import { writeFileAtomic } from '../storage/atomicWrite';

export class PromotionJournal {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  append(record: PromotionRecord): Promise<void> {
    const next = this.chain.then(async () => {
      const before = await readFile(this.path, 'utf8').catch(() => '');
      await writeFileAtomic(this.path, before + JSON.stringify(record) + '\n');
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Newest first. */
  async list(serviceId?: string): Promise<PromotionRecord[]> {
    await this.chain;
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const records: PromotionRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as PromotionRecord);
      } catch {
        // A line that does not parse was not written by this journal; skip it rather than lose the rest.
      }
    }
    return records.filter((r) => !serviceId || r.serviceId === serviceId).reverse();
  }
}
