// Prefetching restore_command (`wal-get --prefetch N %f %p`): one background prefetcher keeps the next N
// segments of the timeline recovery is on in the spool (get/), decrypted, checked and whole, so
// PostgreSQL's next call finds its file there; the call checks the file's SHA-256 against the archive's
// record before handing it over, and a damaged one is refused and fetched again. The prefetcher follows
// what recovery takes (wal-get tells it the last name it was asked for; a file taken from the spool by
// other means counts too) and removes the spool when recovery ends or it has been idle.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { toWireError } from '../lifeboatError';
import type { ServiceArchive } from './serviceArchive';
import { fetchWalFile, walEntryOf } from './walArchive';
import { isSegmentName, parseSegmentName, segmentName } from './walNames';
import { nextChange, type SpoolPaths } from './walSpool';
import { claimWorkerLock, workerRunning } from './workerLock';

export interface PrefetchingGet {
  archive: ServiceArchive;
  /** %f and %p. */
  name: string;
  destPath: string;
  spool: SpoolPaths;
  startPrefetcher: () => void;
  log: (line: string) => void;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

/** Moves a checked file into place: a rename inside pg_wal, a copy where the spool is elsewhere. */
async function handOver(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, `${to}.lifeboat-tmp`);
    await rename(`${to}.lifeboat-tmp`, to);
    await unlink(from).catch(() => undefined);
  }
}

/** The prefetched copy, when it is there and intact; false sends the caller to the repository. */
async function takeFromSpool(g: PrefetchingGet): Promise<boolean> {
  const staged = join(g.spool.get, g.name);
  // Being fetched this moment: wait for it rather than fetch it twice.
  for (let waited = 0; !existsSync(staged) && existsSync(`${staged}.lifeboat-tmp`) && waited < 10_000; waited += 100) await nextChange(g.spool.get, 100);
  if (!existsSync(staged)) return false;
  const entry = await walEntryOf(g.archive.repo, g.archive.serviceId, g.name);
  const actual = await sha256File(staged).catch(() => undefined);
  if (entry && actual === entry.sourceSha256) {
    await handOver(staged, g.destPath);
    return true;
  }
  g.log(`${g.name}: the prefetched copy ${actual === undefined ? 'cannot be read' : `is damaged (SHA-256 ${actual}, the archive says ${entry?.sourceSha256 ?? 'nothing'})`}; fetching it again`);
  await unlink(staged).catch(() => undefined);
  return false;
}

/** Restores one file for recovery, from the spool when prefetched, else from the repository. */
export async function getWithPrefetch(g: PrefetchingGet): Promise<boolean> {
  const found = (await takeFromSpool(g)) || (await fetchWalFile(g.archive.repo, g.archive.serviceId, g.name, g.destPath, g.archive.key, { inMemory: true, blocking: true }));
  // Only segments move recovery forward; history files are probed at every timeline switch.
  if (found && isSegmentName(g.name)) {
    // The file is already handed over: telling the prefetcher is best effort (it may be removing the
    // spool as recovery ends), and must never turn a restored file into a failure.
    try {
      // Made here, not before: a history file asked for as recovery ends must not leave a spool behind.
      await mkdir(g.spool.get, { recursive: true, mode: 0o700 });
      await writeFile(`${g.spool.wanted}.${process.pid}`, g.name);
      await rename(`${g.spool.wanted}.${process.pid}`, g.spool.wanted);
      if (!(await workerRunning(g.spool.prefetcherLock))) g.startPrefetcher();
    } catch (err) {
      g.log(`prefetching after ${g.name} not started: ${(err as Error).message}`);
    }
  }
  return found;
}

export interface PrefetcherOptions {
  openArchive: () => Promise<ServiceArchive>;
  spool: SpoolPaths;
  /** Segments kept ahead of the last one recovery took. */
  depth: number;
  /** Segments fetched at once. */
  parallel: number;
  /** The data directory: recovery has ended when it holds neither recovery.signal nor standby.signal. */
  dataDir: string;
  idleMs: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

type Position = { timeline: number; segNo: number };

const after = (a: Position, b: Position) => a.timeline === b.timeline && a.segNo > b.segNo;

/** The background prefetcher: one per spool, until recovery ends, it is idle for idleMs, or aborted. */
export async function runWalPrefetcher(o: PrefetcherOptions): Promise<void> {
  await mkdir(o.spool.get, { recursive: true, mode: 0o700 });
  const lock = await claimWorkerLock(o.spool.prefetcherLock);
  if (!lock) return;
  const inFlight = new Map<string, Promise<void>>();
  /** Files this prefetcher placed: one that disappears was taken by recovery. */
  const placed = new Set<string>();
  /** Names not in the archive (yet), with when they were last looked for. */
  const absent = new Map<string, number>();
  try {
    const archive = await o.openArchive();
    o.log(`started (pid ${process.pid}, ${o.depth} ahead, ${o.parallel} at once)`);
    let head: Position | undefined;
    let lastWanted = '';
    let fetched = 0;
    let taken = 0;
    let segmentSize: number | undefined;
    let lastProgress = Date.now();
    while (!o.signal?.aborted) {
      if (!existsSync(join(o.dataDir, 'recovery.signal')) && !existsSync(join(o.dataDir, 'standby.signal'))) break;
      const wanted = await readFile(o.spool.wanted, 'utf8').then((t) => t.trim(), () => '');
      // Unreadable this moment: look again, rather than take every placed file for taken (which would move
      // the window on and delete what is staged).
      const listing = await readdir(o.spool.get).catch(() => undefined);
      if (!listing) {
        await nextChange(o.spool.root, 200, o.signal);
        continue;
      }
      const present = new Set(listing.filter(isSegmentName));
      // What wal-get was asked for last is where recovery is (a new timeline included); a placed file that
      // is gone was taken by recovery through another restore_command (a plain move from the spool).
      if (isSegmentName(wanted) && wanted !== lastWanted) {
        lastWanted = wanted;
        // Segment names count in segments of the cluster's size (16 MB unless initdb said otherwise).
        segmentSize ??= (await walEntryOf(archive.repo, archive.serviceId, wanted))?.file.sourceBytes;
        head = parseSegmentName(wanted, segmentSize);
        lastProgress = Date.now();
      }
      for (const name of [...placed].filter((n) => !present.has(n) && !inFlight.has(n))) {
        placed.delete(name);
        taken++;
        const position = parseSegmentName(name, segmentSize);
        if (!head || after(position, head)) {
          head = position;
          lastProgress = Date.now();
        }
      }
      if (head) {
        const window = Array.from({ length: o.depth }, (_, i) => segmentName(head!.timeline, head!.segNo + 1 + i, segmentSize));
        const inWindow = new Set(window);
        // Behind recovery, or on a timeline it left: no longer wanted.
        const stale = [...present].filter((name) => !inWindow.has(name) && !inFlight.has(name));
        for (const name of stale) {
          await unlink(join(o.spool.get, name)).catch(() => undefined);
          placed.delete(name);
        }
        if (stale.length) o.log(`removed ${stale.join(', ')}: behind ${segmentName(head.timeline, head.segNo, segmentSize)}, where recovery is`);
        for (const name of window) {
          if (inFlight.size >= o.parallel) break;
          if (present.has(name) || inFlight.has(name)) continue;
          // Not archived yet: look again now and then (a standby's archive grows), never past it.
          if (Date.now() - (absent.get(name) ?? 0) < 1_000) break;
          const task = fetchWalFile(archive.repo, archive.serviceId, name, join(o.spool.get, name), archive.key, { inMemory: true })
            .then((found) => {
              if (found) {
                placed.add(name);
                fetched++;
                absent.delete(name);
              } else absent.set(name, Date.now());
            })
            .catch((err) => {
              // A damaged file in the archive: recovery's own call will meet the error and report it.
              absent.set(name, Date.now());
              o.log(`${name}: ${toWireError(err).code} ${toWireError(err).message}`);
            })
            .finally(() => inFlight.delete(name));
          inFlight.set(name, task);
        }
      }
      if (inFlight.size === 0 && Date.now() - lastProgress > o.idleMs) break;
      await Promise.race([nextChange(o.spool.get, 200, o.signal), ...inFlight.values()]);
    }
    await Promise.all(inFlight.values());
    o.log(`stopped: ${fetched} fetched ahead, ${taken} taken by recovery`);
  } finally {
    await rm(o.spool.get, { recursive: true, force: true }).catch(() => undefined);
    await lock.release();
  }
}
