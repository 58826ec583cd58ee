// The WAL panel's data: wal.status every 5 s while the page is open, and soon after the streaming job of this
// service changes (it started, failed, archived a segment).
import { useCallback, useEffect } from 'react';
import type { WalStatusView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { useLoaded } from './useLoaded';
import type { Loaded } from './useLoaded';

export const WAL_STATUS_POLL_MS = 5000;
/** Streaming progress events come in bursts; one reload for a burst is enough. */
const EVENT_DEBOUNCE_MS = 400;

export function useWalStatus(serviceId: string, enabled: boolean): Loaded<WalStatusView> {
  const load = useCallback(() => appClient().call('wal.status', { serviceId }), [serviceId]);
  const loaded = useLoaded(load, enabled);
  const { refresh } = loaded;

  useEffect(() => {
    if (!enabled) return;
    const poll = setInterval(() => void refresh(), WAL_STATUS_POLL_MS);
    let pending: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = appClient().on('job.changed', (job) => {
      if (job.kind !== 'wal.stream' || job.serviceId !== serviceId) return;
      clearTimeout(pending);
      pending = setTimeout(() => void refresh(), EVENT_DEBOUNCE_MS);
    });
    return () => {
      clearInterval(poll);
      clearTimeout(pending);
      unsubscribe();
    };
  }, [enabled, serviceId, refresh]);

  return loaded;
}
