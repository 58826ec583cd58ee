// The fleet's backup repository as the core describes it (location, kind of storage, format, encryption,
// whether the key is here), or null when none is configured. Reloaded whenever a page that depends on it opens: the CLI may change it.
// Also the repositories created here for copies (policy.repositories): the fleet file records them
// (copyRepositories, in repo.info's createdForCopies); this window's list shows them before the next load.
import { create } from 'zustand';
import type { RepositoryView } from '../../../shared/backups';
import type { WireError } from '../../../shared/errors';
import type { RepositoryCredentialsInput } from '../../../shared/repositoryCredentials';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';

interface RepositoryState {
  /** undefined until loaded; null when the fleet has no repository. */
  info?: RepositoryView | null;
  loaded: boolean;
  error?: WireError;
  load(): Promise<void>;
  /**
   * The calls below reject with the WireError, for the form that made them to show. path is a folder, an s3://
   * or an azure:// location; an object store's credentials go to the keychain or, as names, to the fleet file.
   */
  create(path: string, encrypt: boolean, credentials?: RepositoryCredentialsInput): Promise<RepositoryView>;
  use(path: string, credentials?: RepositoryCredentialsInput): Promise<RepositoryView>;
  /** Creates a repository for copies of the fleet repository's backups: its key, and not the fleet's default. */
  createForCopies(path: string, credentials?: RepositoryCredentialsInput): Promise<RepositoryView>;
  /** Repositories created for copies in this window, newest last. */
  copies: RepositoryView[];
  importKey(key: string): Promise<RepositoryView>;
}

// A slow load must not overwrite what a later load or an action already learned.
let loadSeq = 0;

export const useRepositoryStore = create<RepositoryState>((set, get) => {
  const settle = (info: RepositoryView) => {
    loadSeq += 1;
    set({ info, loaded: true, error: undefined });
    return info;
  };
  return {
    loaded: false,
    copies: [],
    async load() {
      const seq = ++loadSeq;
      try {
        const info = await appClient().call('repo.info', {});
        if (seq === loadSeq) set({ info, loaded: true, error: undefined });
      } catch (err) {
        if (seq === loadSeq) set({ loaded: true, error: toWireError(err) });
      }
    },
    async create(path, encrypt, credentials) {
      return settle(await appClient().call('repo.init', { path, encrypt, ...(credentials ? { credentials } : {}) }));
    },
    async use(path, credentials) {
      return settle(await appClient().call('repo.use', { path, ...(credentials ? { credentials } : {}) }));
    },
    async createForCopies(path, credentials) {
      const first = get().info?.path;
      if (!first) throw { code: 'INVALID_INPUT', message: 'There is no fleet repository to copy yet.', hint: 'Create the fleet repository first.' } satisfies WireError;
      const view = await appClient().call('repo.init', { path, encrypt: true, sameKeyAs: first, makeDefault: false, ...(credentials ? { credentials } : {}) });
      set((s) => ({ copies: [...s.copies.filter((c) => c.path !== view.path), view] }));
      return view;
    },
    async importKey(key) {
      return settle(await appClient().call('repo.importKey', { key }));
    },
  };
});
