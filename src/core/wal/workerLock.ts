// One background worker per spool (the pusher, the prefetcher): a lock file created with O_EXCL that holds
// the worker's pid and is touched while it runs. A holder that is gone (no such pid) or stopped touching
// the file (its pid was reused) is replaced. Two workers at once, in the short race of a takeover, are
// harmless: every push and every fetch is idempotent and lands by rename.
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { isAlive } from '../jobs/processAlive';

/** A worker touches its lock this often; one untouched for STALE_MS is dead whatever its pid says. */
export const TOUCH_EVERY_MS = 2_000;
const STALE_MS = 15_000;

export interface WorkerLock {
  release(): Promise<void>;
}

async function heldByLiveWorker(path: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const age = Date.now() - info.mtimeMs;
    // Created this instant, its pid not written yet.
    if (!text.trim()) return age < 1_000;
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 0 && age < STALE_MS && isAlive(pid);
  } catch {
    return false;
  }
}

/** Is a worker holding this lock now? */
export const workerRunning = heldByLiveWorker;

/** The lock for this process, or undefined when a live worker holds it. */
export async function claimWorkerLock(path: string): Promise<WorkerLock | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      const touching = setInterval(() => void utimes(path, new Date(), new Date()).catch(() => undefined), TOUCH_EVERY_MS);
      touching.unref();
      return {
        release: async () => {
          clearInterval(touching);
          // Only our own file: a worker that took over after we stalled keeps its lock.
          if ((await readFile(path, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await heldByLiveWorker(path)) return undefined;
      await unlink(path).catch(() => undefined);
    }
  }
  return undefined;
}
