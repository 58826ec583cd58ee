// The fleet as the window knows it: services.list, refreshed whenever the core says services changed.
import { create } from 'zustand';
import type { ServiceView } from '../../../shared/domain';
import type { WireError } from '../../../shared/errors';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';

interface ServicesState {
  services: ServiceView[];
  loaded: boolean;
  error?: WireError;
  /** Subscribes to services.changed, then loads the list; returns the unsubscribe function. */
  start(): () => void;
  refresh(): Promise<void>;
  /** Puts a view the core just returned (after add, update or test) in place without waiting for the event. */
  upsert(view: ServiceView): void;
  drop(id: string): void;
}

// Several refreshes can overlap (events in bursts); only the latest one may write.
let refreshSeq = 0;

export const useServicesStore = create<ServicesState>((set, get) => ({
  services: [],
  loaded: false,
  start() {
    const unsubscribe = appClient().on('services.changed', () => void get().refresh());
    void get().refresh();
    return unsubscribe;
  },
  async refresh() {
    const seq = ++refreshSeq;
    try {
      const services = await appClient().call('services.list', {});
      if (seq === refreshSeq) set({ services, loaded: true, error: undefined });
    } catch (err) {
      if (seq === refreshSeq) set({ loaded: true, error: toWireError(err) });
    }
  },
  upsert(view) {
    set((s) => {
      const index = s.services.findIndex((v) => v.service.id === view.service.id);
      if (index < 0) return { services: [...s.services, view] };
      const services = s.services.slice();
      services[index] = view;
      return { services };
    });
  },
  drop(id) {
    set((s) => ({ services: s.services.filter((v) => v.service.id !== id) }));
  },
}));
