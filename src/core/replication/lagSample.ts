// One sample of a replication view: the lag figures of each standby (or AG secondary) at that moment, the
// series the lag chart draws. Pure.
import type { LagPoint, ReplicationSample, ReplicationView } from '../../shared/replication';
import { lagLevel } from './lagThresholds';
import { flatten } from './postgresReplicationView';

export function sampleOf(view: ReplicationView): ReplicationSample {
  const points: LagPoint[] = [];
  if (view.engine === 'postgres') {
    for (const s of flatten(view.standbys))
      points.push({ standby: s.applicationName, serviceId: s.serviceId, state: s.state, replayLagBytes: s.replayLagBytes, replayLagSeconds: s.replayLagSeconds, writeLagBytes: s.writeLagBytes, flushLagBytes: s.flushLagBytes, level: s.level });
    if (view.standby) {
      const s = view.standby;
      const bytes = s.unreplayedBytes === null && s.unreceivedBytes === null ? null : (s.unreplayedBytes ?? 0) + (s.unreceivedBytes ?? 0);
      const seconds = s.caughtUp ? 0 : s.replayDelaySeconds;
      points.push({ standby: view.serviceId, serviceId: view.serviceId, state: s.receiverStatus ?? 'disconnected', replayLagBytes: bytes, replayLagSeconds: seconds, writeLagBytes: s.unreceivedBytes, flushLagBytes: s.unreceivedBytes, level: lagLevel({ seconds, bytes }, view.thresholds) });
    }
  } else {
    for (const d of view.availabilityGroups.flatMap((g) => g.databases)) {
      if (d.isPrimaryReplica) continue;
      const send = d.logSendQueueKb === null ? null : d.logSendQueueKb * 1024;
      const redo = d.redoQueueKb === null ? null : d.redoQueueKb * 1024;
      points.push({
        standby: `${d.replicaServerName}/${d.databaseName}`,
        state: d.synchronizationState ?? 'unknown',
        replayLagBytes: send === null && redo === null ? null : (send ?? 0) + (redo ?? 0),
        replayLagSeconds: d.estimatedDataLossSeconds,
        writeLagBytes: send,
        flushLagBytes: send,
        level: d.level,
      });
    }
  }
  return { serviceId: view.serviceId, at: view.checkedAt, health: view.health, points };
}
