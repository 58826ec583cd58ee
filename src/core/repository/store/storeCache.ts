// The object stores of repository locations, opened once and shared: each open made a new SDK client (and
// read credentials from the keychain), and every backup, restore, listing and fleet view opened its own, so
// each call paid for new connections and none of the clients was ever closed. A store is kept for a few
// minutes, then opened afresh (credentials changed in the keychain by another Lifeboat process are then
// read); one that failed with AUTH_FAILED or UNREACHABLE is opened afresh at once, and a location whose
// credentials Lifeboat changes itself is forgotten at once. Folder stores hold nothing open: not cached.
import { LifeboatError } from '../../lifeboatError';
import { openRepositoryStore, type StoreAccess } from './openRepositoryStore';
import { formatRepositoryLocation, parseRepositoryLocation } from './parseRepositoryLocation';
import type { RepositoryStore } from './repositoryStore';

/** How long an opened store is reused. */
const REUSE_MS = 5 * 60_000;
/** Failures after which the next open builds a new client (new credentials, a server back at a new address). */
const REOPEN_AFTER = new Set(['AUTH_FAILED', 'UNREACHABLE']);

interface Kept {
  store: Promise<RepositoryStore>;
  openedAt: number;
  /** The credentials' source it was opened with (the fleet file's, as JSON). */
  access: string;
}

export class StoreCache {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The store at location, shared: its close() does nothing (the cache keeps the connections). A replaced
   * store is not closed either: a running job may still read through it; its idle connections end on their own.
   */
  open(location: string, access: StoreAccess): Promise<RepositoryStore> {
    const parsed = parseRepositoryLocation(location);
    if (parsed.kind === 'posix') return openRepositoryStore(parsed, access);
    const name = formatRepositoryLocation(parsed);
    const source = JSON.stringify(access.credentials ?? null);
    const found = this.kept.get(name);
    if (found && found.access === source && this.now() - found.openedAt < REUSE_MS) return found.store;
    const store = openRepositoryStore(parsed, access).then((opened) => shared(opened, () => this.forgetIf(name, store)));
    // A failed open (credentials not in the keychain yet) is tried again next time.
    store.catch(() => this.forgetIf(name, store));
    this.kept.set(name, { store, openedAt: this.now(), access: source });
    return store;
  }

  /** The next open of location builds a new store (its credentials changed). */
  forget(location: string): void {
    this.kept.delete(formatRepositoryLocation(parseRepositoryLocation(location)));
  }

  private forgetIf(name: string, store: Promise<RepositoryStore>): void {
    if (this.kept.get(name)?.store === store) this.kept.delete(name);
  }
}

/** The store, with close() left to the cache and a failure that calls for a new client reported to it. */
function shared(store: RepositoryStore, reopen: () => void): RepositoryStore {
  const watch = <T>(answer: Promise<T>): Promise<T> =>
    answer.catch((err: unknown) => {
      if (err instanceof LifeboatError && REOPEN_AFTER.has(err.code)) reopen();
      throw err;
    });
  return {
    name: store.name,
    location: store.location,
    put: (key, source, options) => watch(store.put(key, source, options)),
    openWriter: (key, options) => watch(store.openWriter(key, options)),
    getBytes: (key, options) => watch(store.getBytes(key, options)),
    get: (key, options) => watch(store.get(key, options)),
    stat: (key, options) => watch(store.stat(key, options)),
    list: (prefix, options) => store.list(prefix, options),
    listFolders: (folder, options) => watch(store.listFolders(folder, options)),
    delete: (key, options) => watch(store.delete(key, options)),
    deletePrefix: (prefix, options) => watch(store.deletePrefix(prefix, options)),
    createIfAbsent: (key, bytes, options) => watch(store.createIfAbsent(key, bytes, options)),
    cleanIncomplete: (prefix, options) => watch(store.cleanIncomplete(prefix, options)),
    close: async () => undefined,
  };
}
