// SQL Server HA facts as Lifeboat's view: availability groups (replicas, databases with queues and estimated
// data loss, levels against the thresholds), log shipping against its own thresholds, health, and failover
// guidance as T-SQL for the DBA (Lifeboat never fails over). Pure.
import type {
  AvailabilityDatabaseView,
  AvailabilityGroupView,
  LagLevel,
  LagThresholds,
  LogShippingPrimaryView,
  LogShippingSecondaryView,
  ReplicationHealth,
  SqlServerReplicationView,
} from '../../shared/replication';
import { healthOfLevel, lagLevel, worstHealth, worstLevel } from './lagThresholds';
import type { SqlServerHaFacts } from './sqlServerHaQueries';
import { serverLocalToUtc } from '../sqlserver/serverTime';
import { quoteName } from '../sqlserver/tsqlQuote';

/** msdb and DMV times are the server's wall clock; with its offset they become real instants. */
export function serverLocalToIso(text: string | null, utcOffsetMinutes: number): string | null {
  if (!text) return null;
  const iso = serverLocalToUtc(text, utcOffsetMinutes);
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

function healthLevel(desc: string | null): LagLevel {
  return desc === 'NOT_HEALTHY' ? 'critical' : desc === 'PARTIALLY_HEALTHY' ? 'warn' : 'ok';
}

export function buildSqlServerView(serviceId: string, facts: SqlServerHaFacts, t: LagThresholds): SqlServerReplicationView {
  const offset = facts.server.utc_offset_minutes;
  const issues: string[] = [];
  const guidance: string[] = [];
  const healths: ReplicationHealth[] = [];

  const groups: AvailabilityGroupView[] = facts.groups.map((g) => {
    const replicas = facts.replicas
      .filter((r) => r.group_name === g.group_name)
      .map((r) => ({
        groupName: r.group_name,
        replicaServerName: r.replica_server_name,
        role: r.role_desc,
        availabilityMode: r.availability_mode_desc,
        failoverMode: r.failover_mode_desc,
        connectedState: r.connected_state_desc,
        synchronizationHealth: r.synchronization_health_desc,
        operationalState: r.operational_state_desc,
        isLocal: r.is_local === 1,
        lastConnectError: r.last_connect_error_description || null,
      }));
    const databases: AvailabilityDatabaseView[] = facts.databases
      .filter((d) => d.group_name === g.group_name)
      .map((d) => {
        const send = num(d.log_send_queue_size);
        const redo = num(d.redo_queue_size);
        const loss = d.estimated_data_loss_seconds;
        const bytes = send === null && redo === null ? null : ((send ?? 0) + (redo ?? 0)) * 1024;
        const level = d.is_primary_replica === 1 ? healthLevel(d.synchronization_health_desc) : worstLevel(healthLevel(d.synchronization_health_desc), lagLevel({ seconds: loss, bytes }, t), d.is_suspended === 1 ? 'critical' : 'ok');
        return {
          groupName: d.group_name,
          replicaServerName: d.replica_server_name,
          databaseName: d.database_name ?? '(unknown)',
          isLocal: d.is_local === 1,
          isPrimaryReplica: d.is_primary_replica === 1,
          synchronizationState: d.synchronization_state_desc,
          synchronizationHealth: d.synchronization_health_desc,
          isSuspended: d.is_suspended === 1,
          suspendReason: d.suspend_reason_desc,
          logSendQueueKb: send,
          logSendRateKbPerSec: num(d.log_send_rate),
          redoQueueKb: redo,
          redoRateKbPerSec: num(d.redo_rate),
          estimatedDataLossSeconds: loss,
          estimatedRecoverySeconds: d.estimated_recovery_seconds,
          lastCommitTime: serverLocalToIso(d.last_commit_time, offset),
          lastHardenedLsn: d.last_hardened_lsn,
          level,
        };
      });
    const replicaHealth: ReplicationHealth[] = replicas.map((r) => (r.connectedState === 'DISCONNECTED' ? 'broken' : healthOfLevel(healthLevel(r.synchronizationHealth))));
    const health = worstHealth(healthOfLevel(healthLevel(g.synchronization_health_desc)), ...replicaHealth, ...databases.map((d) => healthOfLevel(d.level)));
    healths.push(health);
    for (const r of replicas) if (r.connectedState === 'DISCONNECTED') issues.push(`Replica ${r.replicaServerName} of ${g.group_name} is disconnected${r.lastConnectError ? `: ${r.lastConnectError}` : ''}.`);
    for (const d of databases) {
      if (d.isSuspended) issues.push(`Data movement for ${d.databaseName} on ${d.replicaServerName} is suspended (${d.suspendReason ?? 'reason unknown'}).`);
      else if (d.level !== 'ok') issues.push(`${d.databaseName} on ${d.replicaServerName}: ${d.synchronizationState}, ${d.synchronizationHealth}, send queue ${d.logSendQueueKb ?? '?'} KB, redo queue ${d.redoQueueKb ?? '?'} KB, est. data loss ${d.estimatedDataLossSeconds ?? '?'} s.`);
    }
    const local = replicas.find((r) => r.isLocal);
    const ag = quoteName(g.group_name);
    if (local?.role === 'SECONDARY') {
      const localDbs = databases.filter((d) => d.isLocal);
      const synchronized = local.availabilityMode === 'SYNCHRONOUS_COMMIT' && localDbs.every((d) => d.synchronizationState === 'SYNCHRONIZED');
      guidance.push(
        synchronized
          ? `${g.group_name}: this replica (${local.replicaServerName}) is a synchronized synchronous-commit secondary. A planned manual failover without data loss, run here: ALTER AVAILABILITY GROUP ${ag} FAILOVER;`
          : `${g.group_name}: this replica (${local.replicaServerName}) is not a synchronized synchronous-commit secondary; only a forced failover is possible, losing about ${Math.max(0, ...localDbs.map((d) => d.estimatedDataLossSeconds ?? 0))} s of commits: ALTER AVAILABILITY GROUP ${ag} FORCE_FAILOVER_ALLOW_DATA_LOSS; then resume data movement on the other replicas (ALTER DATABASE [db] SET HADR RESUME).`,
      );
    } else if (local?.role === 'PRIMARY') {
      const targets = replicas.filter((r) => !r.isLocal && r.availabilityMode === 'SYNCHRONOUS_COMMIT').map((r) => r.replicaServerName);
      guidance.push(`${g.group_name}: this replica is the primary. To fail over, connect to a synchronized synchronous-commit secondary${targets.length ? ` (${targets.join(', ')})` : ''} and run ALTER AVAILABILITY GROUP ${ag} FAILOVER; there.`);
    }
    return { name: g.group_name, groupId: g.group_id, clusterType: g.cluster_type_desc, primaryReplica: g.primary_replica, synchronizationHealth: g.synchronization_health_desc, replicas, databases, health };
  });

  const primaries: LogShippingPrimaryView[] = facts.logShipping.primaries.map((p) => {
    const over = p.minutes_since_backup === null || p.minutes_since_backup > p.backup_threshold;
    return { primaryServer: p.primary_server, primaryDatabase: p.primary_database, backupThresholdMinutes: p.backup_threshold, lastBackupFile: p.last_backup_file, lastBackupDate: serverLocalToIso(p.last_backup_date, offset), minutesSinceBackup: p.minutes_since_backup, thresholdAlertEnabled: p.threshold_alert_enabled === 1, overThreshold: over };
  });
  const secondaries: LogShippingSecondaryView[] = facts.logShipping.secondaries.map((s) => {
    // As SQL Server's own monitor: over when the last restore is older than the threshold, or its latency exceeds it.
    const over = s.minutes_since_restore === null || s.minutes_since_restore > s.restore_threshold || (s.last_restored_latency ?? 0) > s.restore_threshold;
    return {
      secondaryServer: s.secondary_server, secondaryDatabase: s.secondary_database, primaryServer: s.primary_server, primaryDatabase: s.primary_database, restoreThresholdMinutes: s.restore_threshold,
      lastCopiedFile: s.last_copied_file, lastCopiedDate: serverLocalToIso(s.last_copied_date, offset), lastRestoredFile: s.last_restored_file, lastRestoredDate: serverLocalToIso(s.last_restored_date, offset),
      lastRestoredLatencyMinutes: s.last_restored_latency, minutesSinceRestore: s.minutes_since_restore, minutesSinceCopy: s.minutes_since_copy, overThreshold: over,
    };
  });
  for (const p of primaries) {
    healths.push(p.overThreshold ? 'broken' : 'healthy');
    if (p.overThreshold) issues.push(`Log shipping: no log backup of ${p.primaryDatabase} for ${p.minutesSinceBackup ?? '?'} min (threshold ${p.backupThresholdMinutes} min).`);
  }
  for (const s of secondaries) {
    healths.push(s.overThreshold ? 'broken' : 'healthy');
    if (s.overThreshold) issues.push(`Log shipping: ${s.secondaryDatabase} last restored ${s.minutesSinceRestore ?? '?'} min ago, latency ${s.lastRestoredLatencyMinutes ?? '?'} min (threshold ${s.restoreThresholdMinutes} min).`);
    guidance.push(
      `Log shipping ${s.primaryDatabase} -> ${s.secondaryDatabase}: to bring the secondary online, back up the tail of the log on ${s.primaryServer} if it still runs (BACKUP LOG ${quoteName(s.primaryDatabase)} TO DISK = '...' WITH NORECOVERY;), copy and restore every remaining log WITH NORECOVERY, then RESTORE DATABASE ${quoteName(s.secondaryDatabase)} WITH RECOVERY; and disable the log shipping jobs.`,
    );
  }
  if (!facts.logShipping.readable) issues.push(`Log shipping status could not be read from msdb: ${facts.logShipping.error ?? 'permission denied'}.`);

  return {
    engine: 'sqlserver',
    serviceId,
    checkedAt: facts.readAt,
    serverName: facts.server.server_name,
    hadrEnabled: facts.server.hadr_enabled === 1,
    availabilityGroups: groups,
    logShipping: { primaries, secondaries, readable: facts.logShipping.readable },
    health: healths.length ? worstHealth(...healths) : 'none',
    issues,
    failoverGuidance: guidance,
  };
}
