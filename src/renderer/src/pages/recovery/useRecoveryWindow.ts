// The recoverable window (window.get), reloaded when more WAL is archived (the WAL panel's status changes)
// and when a backup of this service ends.
import { useCallback, useEffect } from 'react';
import type { WindowView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { changesBackupList } from '../backups/backupRows';
import { useLoaded } from './useLoaded';
import type { Loaded } from './useLoaded';

/**
 * `walStamp` changes whenever the archive grows (e.g. "17:000000010000000000000011"); the window follows it.
 */
export function useRecoveryWindow(serviceId: string, enabled: boolean, walStamp: string | undefined): Loaded<WindowView> {
  const load = useCallback(() => appClient().call('window.get', { serviceId }), [serviceId]);
  const loaded = useLoaded(load, enabled);
  const { refresh } = loaded;

  useEffect(() => {
    if (enabled && walStamp !== undefined) void refresh();
  }, [enabled, walStamp, refresh]);

  useEffect(() => {
    if (!enabled) return;
    return appClient().on('job.changed', (job) => {
      if (changesBackupList(job, serviceId)) void refresh();
    });
  }, [enabled, serviceId, refresh]);

  return loaded;
}
