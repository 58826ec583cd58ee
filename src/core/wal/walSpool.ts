// The spool of the archive doors: a private folder inside the server's pg_wal where the background pusher
// leaves its answers (push/<segment>.ok or .error) and the prefetcher the segments recovery will ask for
// next (get/<segment>). Inside pg_wal because a handover to PostgreSQL is then a rename on one file system,
// base backups skip pg_wal's subfolders, and PostgreSQL ignores what it does not name.
import { watch } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SPOOL_NAME = 'lifeboat-spool';

export interface SpoolPaths {
  root: string;
  /** Answers of the background pusher: <name>.ok once stored, <name>.error with the reason. */
  push: string;
  pusherLock: string;
  /** Touched by every wal-push --async call: the pusher stops when PostgreSQL no longer calls it. */
  lastPushCall: string;
  /** Segments fetched ahead of recovery, whole and checked, by the prefetcher. */
  get: string;
  prefetcherLock: string;
  /** The last file recovery asked for through wal-get, for the prefetcher to follow. */
  wanted: string;
  log: string;
}

/** pg_wal for a %p path (pg_wal/<name> or pg_wal/RECOVERYXLOG, relative to the data directory). */
export function walDirOf(walPath: string): string {
  return dirname(resolve(walPath));
}

export function defaultSpoolDir(walPath: string): string {
  return join(walDirOf(walPath), SPOOL_NAME);
}

export function spoolPaths(root: string): SpoolPaths {
  return {
    root,
    push: join(root, 'push'),
    pusherLock: join(root, 'pusher.lock'),
    lastPushCall: join(root, 'push', '.last-call'),
    get: join(root, 'get'),
    prefetcherLock: join(root, 'prefetcher.lock'),
    wanted: join(root, 'get', '.wanted'),
    log: join(root, 'worker.log'),
  };
}

/**
 * Resolves at the next change inside dir, or after timeoutMs, whichever comes first. The timeout is the
 * fallback where change notification is not delivered (network file systems), so callers re-check state
 * either way.
 */
export function nextChange(dir: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    let watcher: ReturnType<typeof watch> | undefined;
    const finish = () => {
      clearTimeout(timer);
      watcher?.close();
      signal?.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, timeoutMs);
    try {
      watcher = watch(dir, { persistent: false }, finish);
      watcher.on('error', finish);
    } catch {
      // The folder is gone or cannot be watched: the timeout still ends the wait.
    }
    signal?.addEventListener('abort', finish);
  });
}
