// The fleet's verdicts (monitoring.fleet: RPO, window, last good backup, drills against the RTO, replication,
// next run) for the fleet page and a service's overview. Asking every server takes a while, so the answer is
// kept between pages, asked again when a job that changes a verdict ends, and a service's replication health
// follows its 'replication.sample' events while it is sampled.
import { create } from 'zustand';
import type { WireError } from '../../../shared/errors';
import type { FleetOverviewView, ServiceCompliance } from '../../../shared/monitoring';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';

interface FleetOverviewState {
  /** Per service id; empty until the first answer. */
  byId: Record<string, ServiceCompliance>;
  generatedAt?: string;
  timeLimitMs?: number;
  /** An answer is on its way. */
  loading: boolean;
  /** The first answer arrived (or failed). */
  loaded: boolean;
  error?: WireError;
  /** Subscribes to the events that change a verdict; returns the unsubscribe function. */
  start(): () => void;
  load(): Promise<void>;
}

/** Jobs whose end changes what the fleet page shows. */
const VERDICT_JOBS = /^(backup|verify|drill|retention|restore|wal|sqlserver)/;
/** Several jobs often end together (a backup of many services): one question for all of them. */
const SETTLE_MS = 1500;

let loadSeq = 0;
let settleTimer: ReturnType<typeof setTimeout> | undefined;

export const useFleetOverviewStore = create<FleetOverviewState>((set, get) => ({
  byId: {},
  loading: false,
  loaded: false,
  start() {
    const offSample = appClient().on('replication.sample', (sample) => {
      const row = get().byId[sample.serviceId];
      if (!row || sample.error || row.unknown.some((u) => u.fact === 'replication')) return;
      set({ byId: { ...get().byId, [sample.serviceId]: { ...row, replication: { ...row.replication, health: sample.health } } } });
    });
    const offJob = appClient().on('job.changed', (job) => {
      const ended = job.state === 'succeeded' || job.state === 'failed';
      if (!ended || !VERDICT_JOBS.test(job.kind) || !get().loaded) return;
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => void get().load(), SETTLE_MS);
    });
    return () => {
      offSample();
      offJob();
      clearTimeout(settleTimer);
    };
  },
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const view: FleetOverviewView = await appClient().call('monitoring.fleet', {});
      if (seq !== loadSeq) return;
      set({
        byId: Object.fromEntries(view.services.map((s) => [s.serviceId, s])),
        generatedAt: view.generatedAt,
        timeLimitMs: view.timeLimitMs,
        loading: false,
        loaded: true,
        error: undefined,
      });
    } catch (err) {
      if (seq === loadSeq) set({ loading: false, loaded: true, error: toWireError(err) });
    }
  },
}));
