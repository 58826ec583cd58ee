// The dashboard's data: the compliance view and the schedules, reloaded when a job ends or a notification
// arrives (at most every few seconds), and every minute so ages keep moving.
import { useCallback, useEffect, useRef } from 'react';
import type { DashboardView, ScheduleView } from '../../../../shared/monitoring';
import { appClient } from '../../client/appClient';
import { useLoaded, type Loaded } from '../recovery/useLoaded';

const FINAL = ['succeeded', 'failed', 'cancelled'];

export function useDashboard(): { dashboard: Loaded<DashboardView>; schedules: Loaded<ScheduleView[]> } {
  const dashboard = useLoaded(useCallback(() => appClient().call('monitoring.dashboard', {}), []), true);
  const schedules = useLoaded(useCallback(() => appClient().call('monitoring.schedules', {}), []), true);
  const last = useRef(0);
  const { refresh } = dashboard;
  const refreshSchedules = schedules.refresh;

  useEffect(() => {
    const reload = () => {
      if (Date.now() - last.current < 3000) return;
      last.current = Date.now();
      void refresh();
      void refreshSchedules();
    };
    const offJobs = appClient().on('job.changed', (job) => {
      if (FINAL.includes(job.state)) reload();
    });
    const offNotes = appClient().on('monitoring.notification', reload);
    const timer = setInterval(() => {
      void refresh();
      void refreshSchedules();
    }, 60_000);
    return () => {
      offJobs();
      offNotes();
      clearInterval(timer);
    };
  }, [refresh, refreshSchedules]);

  return { dashboard, schedules };
}
