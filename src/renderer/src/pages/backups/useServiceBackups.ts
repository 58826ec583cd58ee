// One service's backups and retention dry run, loaded together and reloaded when a backup or a verification
// of that service ends (job.changed), so verified dates and new backups appear without a click.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupView, RetentionPlanView } from '../../../../shared/backups';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { changesBackupList } from './backupRows';

export interface ServiceBackups {
  /** undefined until the first answer. */
  backups?: BackupView[];
  error?: WireError;
  plan?: RetentionPlanView;
  planError?: WireError;
  refresh(): Promise<void>;
}

export function useServiceBackups(serviceId: string, enabled: boolean): ServiceBackups {
  const [backups, setBackups] = useState<BackupView[]>();
  const [error, setError] = useState<WireError>();
  const [plan, setPlan] = useState<RetentionPlanView>();
  const [planError, setPlanError] = useState<WireError>();
  // Overlapping refreshes (two jobs ending together): only the latest may write.
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    const client = appClient();
    const [list, retention] = await Promise.allSettled([client.call('backups.list', { serviceId }), client.call('retention.plan', { serviceId })]);
    if (mine !== seq.current) return;
    if (list.status === 'fulfilled') {
      setBackups(list.value);
      setError(undefined);
    } else setError(toWireError(list.reason));
    if (retention.status === 'fulfilled') {
      setPlan(retention.value);
      setPlanError(undefined);
    } else setPlanError(toWireError(retention.reason));
  }, [serviceId]);

  useEffect(() => {
    if (!enabled) return;
    const unsubscribe = appClient().on('job.changed', (job) => {
      if (changesBackupList(job, serviceId)) void refresh();
    });
    void refresh();
    return unsubscribe;
  }, [enabled, serviceId, refresh]);

  return { backups, error, plan, planError, refresh };
}
