// A service's drill history (drills.list, newest first), reloaded when one of its drills ends.
import { useCallback, useEffect } from 'react';
import type { DrillView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { useLoaded } from './useLoaded';
import type { Loaded } from './useLoaded';

export function useDrills(serviceId: string, enabled: boolean): Loaded<DrillView[]> {
  const load = useCallback(() => appClient().call('drills.list', { serviceId }), [serviceId]);
  const loaded = useLoaded(load, enabled);
  const { refresh } = loaded;

  useEffect(() => {
    if (!enabled) return;
    return appClient().on('job.changed', (job) => {
      if (job.kind === 'drill' && job.serviceId === serviceId && (job.state === 'succeeded' || job.state === 'failed')) void refresh();
    });
  }, [enabled, serviceId, refresh]);

  return loaded;
}
