// The fleet's backup repository as the core describes it (location, kind of storage, format, encryption,
// whether the key is here), or null when none is configured. Reloaded whenever a page that depends on it opens: the CLI may change it.
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
  importKey(key: string): Promise<RepositoryView>;
}

// A slow load must not overwrite what a later load or an action already learned.
let loadSeq = 0;

export const useRepositoryStore = create<RepositoryState>((set) => {
  const settle = (info: RepositoryView) => {
    loadSeq += 1;
    set({ info, loaded: true, error: undefined });
    return info;
  };
  return {
    loaded: false,
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
    async importKey(key) {
      return settle(await appClient().call('repo.importKey', { key }));
    },
  };
});
