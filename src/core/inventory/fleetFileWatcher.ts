// Follows edits of the fleet file made outside Lifeboat (an editor, git pull, configuration management) while
// a long-lived door runs. It watches the file's folder, since editors replace a file by renaming a new one
// over it and a watch on the file itself would stay on the old inode, and also compares the file's stat every
// few seconds, since network file systems send no events; both are debounced. A good edit goes through the
// same parser and validator as a start and is applied in place; a broken one leaves the last good fleet in
// use and is reported once, with its line and field.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { WireError } from '../../shared/errors';
import { LifeboatError, toWireError } from '../lifeboatError';
import { FleetFile } from './fleetFile';

export interface FleetFileWatcherOptions {
  /** An edit was applied; the ids of the services it added, removed or changed (none: settings only). */
  onApplied(changedIds: string[]): void;
  /** An edit could not be applied; the fleet in use is the last good one. */
  onRejected(error: WireError): void;
  /** Quiet time after the last change before the file is read (an editor writes in several steps). */
  debounceMs?: number;
  statIntervalMs?: number;
}

export interface FleetFileWatcher {
  stop(): void;
  /** Reads the file now and applies or reports an edit (the watch and the stat check do the same). */
  check(): Promise<void>;
}

/** What changes when the file is written or replaced; "missing" while it is not there. */
async function fileSignature(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : 'missing';
}

export function watchFleetFile(fleet: FleetFile, o: FleetFileWatcherOptions): FleetFileWatcher {
  const path = fleet.path;
  // Nothing seen yet: the first look reads the file, so an edit made while the core started is not missed.
  let seen = '';
  let lastRejected: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let debounce: NodeJS.Timeout | undefined;

  /** force: an event said the file changed; the stat may not show it (same size, same timestamp). */
  const readEdit = async (force: boolean): Promise<void> => {
    const signature = await fileSignature(path);
    if (!force && signature === seen) return;
    seen = signature;
    const ownBefore = fleet.sourceText;
    const savingBefore = fleet.saving;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      // Gone (or unreadable): an empty fleet would drop every schedule, so the last good one stays.
      const code = (err as NodeJS.ErrnoException).code;
      return reject(`missing:${code}`, new LifeboatError('CONFIG_INVALID', `The fleet file ${path} cannot be read (${code}).`, 'Put the file back; the last good fleet stays in use until then.'));
    }
    // Lifeboat's own save, a touch that changed nothing, or a broken edit undone.
    if (text === fleet.sourceText) {
      lastRejected = undefined;
      return;
    }
    // Lifeboat saved while this read ran, or was saving when it began: the text read may be the version before
    // its own write, never an edit to adopt (adopting it undid a service just added). The save's own rename
    // brings a watch event and a new signature, and the file is read again then.
    if (savingBefore || fleet.saving || fleet.sourceText !== ownBefore) {
      seen = '';
      return;
    }
    let edited: FleetFile;
    try {
      edited = FleetFile.parse(path, text);
    } catch (err) {
      return reject(text, err);
    }
    lastRejected = undefined;
    o.onApplied(fleet.adopt(edited));
  };

  const reject = (what: string, err: unknown): void => {
    // The same broken content is reported once, not at every look.
    if (what === lastRejected) return;
    lastRejected = what;
    const wire = toWireError(err);
    o.onRejected({ ...wire, hint: `${wire.hint} Until then the last good version stays in use.` });
  };

  const check = (force = true): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = readEdit(force)
      .catch((err: unknown) => reject(`error:${(err as Error).message}`, err))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void check();
        }
      });
    return running;
  };

  const soon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), o.debounceMs ?? 300);
    debounce.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (!name || name === basename(path)) soon();
    });
    watcher.on('error', () => undefined); // the folder went away: the stat check carries on
  } catch {
    // No events here (some network file systems): the stat check alone follows edits.
  }
  const poll = setInterval(() => void check(false), o.statIntervalMs ?? 2000);
  poll.unref();

  return {
    check: () => check(),
    stop: () => {
      stopped = true;
      clearTimeout(debounce);
      clearInterval(poll);
      watcher?.close();
    },
  };
}
