// Jobs as the window knows them, fed by job.changed events; subscribe first, then list, keep the highest revision.
import { create } from 'zustand';
import type { Job } from '../../../shared/jobs';
import type { WireError } from '../../../shared/errors';
import { appClient } from '../client/appClient';
import { toWireError } from '../client/lifeboatClient';
import { mergeJob } from './mergeJob';

interface JobsState {
  byId: Record<string, Job>;
  loaded: boolean;
  error?: WireError;
  /** Subscribes to job.changed, then loads jobs.list; returns the unsubscribe function. */
  start(): () => void;
  cancel(id: string): Promise<void>;
  /** Puts jobs a call just returned (e.g. backups.start) in place without waiting for their events. */
  remember(jobs: Job[]): void;
}

export const useJobsStore = create<JobsState>((set) => ({
  byId: {},
  loaded: false,
  start() {
    const client = appClient();
    // Events that arrive while the list is in flight are merged, not lost: revisions decide who wins.
    const unsubscribe = client.on('job.changed', (job) => set((s) => ({ byId: mergeJob(s.byId, job) })));
    client.call('jobs.list', {}).then(
      (jobs) => set((s) => ({ byId: jobs.reduce(mergeJob, s.byId), loaded: true, error: undefined })),
      (err: unknown) => set({ loaded: true, error: toWireError(err) }),
    );
    return unsubscribe;
  },
  async cancel(id) {
    try {
      const job = await appClient().call('jobs.cancel', { id });
      set((s) => ({ byId: mergeJob(s.byId, job), error: undefined }));
    } catch (err) {
      set({ error: toWireError(err) });
    }
  },
  remember(jobs) {
    set((s) => ({ byId: jobs.reduce(mergeJob, s.byId) }));
  },
}));
