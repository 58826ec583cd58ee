// Scratch clusters of one service (scratch.list keeps every service's), reloaded when a restore, a drill or a
// copy of this service ends.
import { useCallback, useEffect } from 'react';
import type { ScratchView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { useLoaded } from './useLoaded';
import type { Loaded } from './useLoaded';

const SCRATCH_JOB_KINDS = ['restore.pitr', 'drill', 'scratch.copy'];

export function useScratchClusters(serviceId: string, enabled: boolean): Loaded<ScratchView[]> {
  const load = useCallback(async () => (await appClient().call('scratch.list', {})).filter((s) => s.serviceId === serviceId), [serviceId]);
  const loaded = useLoaded(load, enabled);
  const { refresh } = loaded;

  useEffect(() => {
    if (!enabled) return;
    return appClient().on('job.changed', (job) => {
      if (!SCRATCH_JOB_KINDS.includes(job.kind)) return;
      if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') void refresh();
    });
  }, [enabled, refresh]);

  return loaded;
}
