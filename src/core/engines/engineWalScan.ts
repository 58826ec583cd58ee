// What Lifeboat's WAL scanner found in a pgBackRest or Barman archive, per segment: commit times and named
// restore points. The engines report neither, so a segment is fetched through the engine's own command
// (archive-get, get-wal) into a private folder, scanned once and remembered in state/engine-wal/<service>.json
// (archived WAL never changes; entries the engine no longer lists are dropped on save).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/atomicWrite';
import { scanWalSegment } from '../wal/walRecordScan';
import { engineWritableDir } from './engineProcess';
import type { ExistingEngine } from './existingEngine';

export interface SegmentFacts {
  first?: string;
  last?: string;
  /** Named restore points in the segment; absent in entries written before Lifeboat remembered them. */
  points?: Array<{ name: string; lsn: string }>;
}

interface CacheFile {
  segments: Record<string, SegmentFacts>;
  histories: Record<string, string>;
}

export interface EngineWalScan {
  /** A segment's facts, scanned now unless remembered (with its restore points when `points` is asked for). */
  segment(name: string, needs?: 'points'): Promise<SegmentFacts>;
  /** What is remembered of a segment, without fetching it. */
  remembered(name: string): SegmentFacts | undefined;
  /** A timeline history file's text ('' when the engine does not have it). */
  history(name: string): Promise<string>;
  /** Removes the work folder and remembers what was learned, for the names the engine still lists. */
  close(listed: Set<string>): Promise<void>;
}

export async function openEngineWalScan(engine: ExistingEngine, o: { stateDir: string; serviceId: string; signal?: AbortSignal }): Promise<EngineWalScan> {
  const cacheFile = join(o.stateDir, 'engine-wal', `${o.serviceId}.json`);
  const cache: CacheFile = await readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as CacheFile).catch(() => ({ segments: {}, histories: {} }));
  let changed = false;
  let workDir: string | undefined;
  const fetchPlain = async (name: string): Promise<Buffer | undefined> => {
    workDir ??= await engineWritableDir(engine.account);
    const dest = join(workDir, name);
    if (!(await engine.fetchWal(name, dest, o.signal))) return undefined;
    try {
      return await readFile(dest);
    } finally {
      await rm(dest, { force: true });
    }
  };
  return {
    async segment(name, needs) {
      const known = cache.segments[name];
      if (known && (needs !== 'points' || known.points)) return known;
      const bytes = await fetchPlain(name);
      let facts: SegmentFacts = { points: [] };
      try {
        const summary = bytes ? scanWalSegment(bytes) : undefined;
        facts = { first: summary?.firstXactTime, last: summary?.lastXactTime, points: summary?.restorePoints ?? [] };
      } catch {
        // Not readable as WAL of a release the scanner knows: its facts stay unknown, the window still stands.
      }
      cache.segments[name] = facts;
      changed = true;
      return facts;
    },
    remembered: (name) => cache.segments[name],
    async history(name) {
      if (cache.histories[name] === undefined) {
        cache.histories[name] = (await fetchPlain(name))?.toString('utf8') ?? '';
        changed = true;
      }
      return cache.histories[name]!;
    },
    async close(listed) {
      if (workDir) await rm(workDir, { recursive: true, force: true });
      if (!changed) return;
      const keep = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([k]) => listed.has(k)));
      await writeFileAtomic(cacheFile, JSON.stringify({ segments: keep(cache.segments), histories: keep(cache.histories) }) + '\n');
    },
  };
}
