// What the core says about itself (version, config path, data dir, secret backend), loaded once.
import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';
import type { WireError } from '../../../shared/errors';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';

interface AppInfoState {
  info?: AppInfo;
  error?: WireError;
  load(): Promise<void>;
}

export const useAppInfoStore = create<AppInfoState>((set) => ({
  async load() {
    try {
      set({ info: await appClient().call('app.info', {}), error: undefined });
    } catch (err) {
      set({ error: toWireError(err) });
    }
  },
}));
