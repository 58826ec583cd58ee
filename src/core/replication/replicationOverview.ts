// One line per service for the fleet overview: its role, health and a summary in words. Pure.
import type { ReplicationOverviewRow, ReplicationView } from '../../shared/replication';
import { flatten } from './postgresReplicationView';

const mb = (n: number) => (n === 0 ? '0 B' : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function overviewRow(view: ReplicationView): ReplicationOverviewRow {
  if (view.engine === 'postgres') {
    const standbys = flatten(view.standbys);
    let summary: string;
    if (view.role === 'standby') {
      const s = view.standby!;
      summary = s.receiverStatus === 'streaming' ? `standby, ${s.caughtUp ? 'caught up' : `${mb(s.unreplayedBytes ?? 0)} not replayed`}${s.replayPaused ? ', replay paused' : ''}` : 'standby, disconnected from its upstream';
    } else {
      const streaming = standbys.filter((s) => s.state === 'streaming').length;
      const worst = Math.max(0, ...standbys.map((s) => s.replayLagBytes ?? 0));
      const down = standbys.length - streaming;
      summary = standbys.length ? `${streaming} of ${standbys.length} standby${standbys.length === 1 ? '' : 's'} streaming${down ? `, ${down} not` : ''}, worst ${mb(worst)} behind` : 'no standbys';
      if (view.archiver?.failing) summary += ', archiving failing';
    }
    return { serviceId: view.serviceId, engine: 'postgres', role: view.role, health: view.health, summary, checkedAt: view.checkedAt };
  }
  const groups = view.availabilityGroups.length;
  const shipping = view.logShipping.primaries.length + view.logShipping.secondaries.length;
  const local = view.availabilityGroups.flatMap((g) => g.replicas.filter((r) => r.isLocal).map((r) => r.role ?? '?'));
  const summary = [groups ? `${groups} availability group${groups === 1 ? '' : 's'}` : '', shipping ? `${shipping} log-shipped database${shipping === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ') || 'no availability groups or log shipping';
  return { serviceId: view.serviceId, engine: 'sqlserver', role: local.length ? [...new Set(local)].join('/').toLowerCase() : groups || shipping ? 'member' : 'standalone', health: view.health, summary, checkedAt: view.checkedAt };
}
