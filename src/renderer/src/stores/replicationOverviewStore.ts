// Replication health per service for the fleet table: replication.overview when the fleet opens, and a
// service's health updated live from its 'replication.sample' events while it is being sampled.
import { create } from 'zustand';
import type { ReplicationOverviewRow } from '../../../shared/replication';
import type { WireError } from '../../../shared/errors';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';

interface ReplicationOverviewState {
  rows: Record<string, ReplicationOverviewRow>;
  loading: boolean;
  error?: WireError;
  /** Subscribes to samples, then loads the overview; returns the unsubscribe function. */
  start(): () => void;
  load(): Promise<void>;
}

let loadSeq = 0;

export const useReplicationOverviewStore = create<ReplicationOverviewState>((set, get) => ({
  rows: {},
  loading: false,
  start() {
    const unsubscribe = appClient().on('replication.sample', (sample) => {
      const row = get().rows[sample.serviceId];
      if (!row || sample.error || sample.at <= row.checkedAt) return;
      set({ rows: { ...get().rows, [sample.serviceId]: { ...row, health: sample.health, checkedAt: sample.at } } });
    });
    void get().load();
    return unsubscribe;
  },
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const list = await appClient().call('replication.overview', {});
      if (seq === loadSeq) set({ rows: Object.fromEntries(list.map((r) => [r.serviceId, r])), loading: false, error: undefined });
    } catch (err) {
      if (seq === loadSeq) set({ loading: false, error: toWireError(err) });
    }
  },
}));
