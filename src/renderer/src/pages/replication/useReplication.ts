// A service's replication page data: the status view, and the session's lag samples, kept live. It
// subscribes to 'replication.sample' before loading the history (so nothing falls between the two), starts
// the sampling job (the core returns the running one if there is one), and reloads the view after samples,
// at most once per interval. Sampling the page started stops when the page closes: the job holds one of the
// job runner's slots, and backups must not queue behind a chart nobody looks at.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplicationSample, ReplicationView } from '../../../../shared/replication';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { useLoaded, type Loaded } from '../recovery/useLoaded';
import { appendSample } from './lagSeries';

export interface ReplicationData {
  status: Loaded<ReplicationView>;
  samples: ReplicationSample[];
  intervalMs: number;
  sampling: boolean;
  samplingError?: WireError;
  startSampling(): Promise<void>;
  stopSampling(): Promise<void>;
}

const CAPACITY = 720;

export function useReplication(serviceId: string, enabled: boolean): ReplicationData {
  const load = useCallback(() => appClient().call('replication.status', { serviceId }), [serviceId]);
  const status = useLoaded(load, enabled);
  const { refresh } = status;
  const [samples, setSamples] = useState<ReplicationSample[]>([]);
  const [intervalMs, setIntervalMs] = useState(5000);
  const [sampling, setSampling] = useState(false);
  const [samplingError, setSamplingError] = useState<WireError>();
  const lastRefresh = useRef(0);
  const startedHere = useRef(false);

  const startSampling = useCallback(async () => {
    try {
      startedHere.current = true;
      await appClient().call('replication.startSampling', { serviceId });
      setSampling(true);
      setSamplingError(undefined);
    } catch (err) {
      setSamplingError(toWireError(err));
    }
  }, [serviceId]);

  const stopSampling = useCallback(async () => {
    try {
      await appClient().call('replication.stopSampling', { serviceId });
      setSampling(false);
    } catch (err) {
      setSamplingError(toWireError(err));
    }
  }, [serviceId]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const unsubscribe = appClient().on('replication.sample', (sample) => {
      if (sample.serviceId !== serviceId) return;
      setSamples((list) => appendSample(list, sample, CAPACITY));
      if (Date.now() - lastRefresh.current >= 4000) {
        lastRefresh.current = Date.now();
        void refresh();
      }
    });
    const unsubscribeJobs = appClient().on('job.changed', (job) => {
      if (job.kind === 'replication.sample' && job.serviceId === serviceId && ['succeeded', 'failed', 'cancelled'].includes(job.state)) setSampling(false);
    });
    void (async () => {
      try {
        const history = await appClient().call('replication.history', { serviceId });
        if (!live) return;
        setIntervalMs(history.intervalMs);
        setSamples((list) => history.samples.reduce((acc, s) => appendSample(acc, s, CAPACITY), list));
        if (!history.sampling) await startSampling();
        else setSampling(true);
      } catch (err) {
        if (live) setSamplingError(toWireError(err));
      }
    })();
    return () => {
      live = false;
      unsubscribe();
      unsubscribeJobs();
      if (startedHere.current) {
        startedHere.current = false;
        void appClient().call('replication.stopSampling', { serviceId }).catch(() => undefined);
      }
    };
  }, [enabled, serviceId, refresh, startSampling]);

  return { status, samples, intervalMs, sampling, samplingError, startSampling, stopSampling };
}
