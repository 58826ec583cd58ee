// What Lifeboat shows of replication and HA: PostgreSQL streaming replication (from the primary and from a
// standby), SQL Server availability groups and log shipping, lag samples, alerts and promotions.
// Payloads survive JSON: LSNs are strings, byte counts are numbers (a lag never nears 2^53), times ISO strings.

/** At a glance, per service: healthy, lagging (over a warn threshold), broken (disconnected, critical, lost
 * WAL, failing archiver), unknown (could not be read), none (no replication configured). */
export type ReplicationHealth = 'healthy' | 'lagging' | 'broken' | 'unknown' | 'none';

/** One figure against the policy's thresholds. */
export type LagLevel = 'ok' | 'warn' | 'critical';

export interface LagThresholds {
  warnLagSeconds: number;
  criticalLagSeconds: number;
  warnLagBytes: number;
  criticalLagBytes: number;
  sampleIntervalMs: number;
}

/** One row of the primary's pg_stat_replication, with lag as time (the *_lag intervals) and as bytes behind
 * pg_current_wal_lsn(). A NULL lag on a caught-up idle standby is reported as 0: that is healthy. */
export interface StandbyView {
  applicationName: string;
  clientAddr: string | null;
  clientPort: number | null;
  /** startup, catchup, streaming, backup, stopping; 'disconnected' when a registered standby has no row. */
  state: string;
  /** async, potential, sync, quorum. */
  syncState: string | null;
  sentLsn: string | null;
  writeLsn: string | null;
  flushLsn: string | null;
  replayLsn: string | null;
  writeLagSeconds: number | null;
  flushLagSeconds: number | null;
  replayLagSeconds: number | null;
  writeLagBytes: number | null;
  flushLagBytes: number | null;
  replayLagBytes: number | null;
  replyTime: string | null;
  /** The registered service this standby is, when it could be matched. */
  serviceId?: string;
  /** How the match was made: application_name, system identifier + upstream address, ... */
  matchedBy?: string;
  level: LagLevel;
  health: ReplicationHealth;
  /** Standbys of this standby (a cascade), read from its own pg_stat_replication when it is registered. */
  cascade?: StandbyView[];
}

/** One row of pg_replication_slots. */
export interface SlotView {
  name: string;
  slotType: string;
  database: string | null;
  active: boolean;
  activePid: number | null;
  restartLsn: string | null;
  /** WAL kept for this slot: pg_current_wal_lsn() - restart_lsn. */
  retainedBytes: number | null;
  /** reserved, extended, unreserved, lost. */
  walStatus: string | null;
  /** Bytes that can still be written before the slot loses WAL (NULL: unlimited, max_slot_wal_keep_size -1). */
  safeWalSizeBytes: number | null;
  temporary: boolean;
  level: LagLevel;
}

/** pg_stat_archiver, and whether it is failing now (last failure after last success). */
export interface ArchiverView {
  archiveMode: string;
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: string | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedTime: string | null;
  statsReset: string | null;
  failing: boolean;
}

/** A standby's own view: pg_stat_wal_receiver and the replay functions. */
export interface StandbySideView {
  /** pg_stat_wal_receiver.status (streaming, stopping, ...); null when no WAL receiver runs. */
  receiverStatus: string | null;
  senderHost: string | null;
  senderPort: number | null;
  slotName: string | null;
  /** application_name in the receiver's conninfo, as the upstream's pg_stat_replication shows it. */
  applicationName: string | null;
  receivedTimeline: number | null;
  /** pg_last_wal_receive_lsn(): flushed to disk here. */
  receiveLsn: string | null;
  /** pg_last_wal_replay_lsn(). */
  replayLsn: string | null;
  /** The upstream's last known end of WAL (latest_end_lsn). */
  latestEndLsn: string | null;
  latestEndTime: string | null;
  lastMessageReceiptTime: string | null;
  /** Received but not replayed yet: receive - replay. */
  unreplayedBytes: number | null;
  /** Known on the upstream but not received: latest_end_lsn - receive (a lower bound). */
  unreceivedBytes: number | null;
  lastReplayedCommitTime: string | null;
  /** now() - pg_last_xact_replay_timestamp(). Grows on an idle primary although nothing is missing: read it
   * together with unreplayedBytes (0 = caught up with what was received). */
  replayDelaySeconds: number | null;
  replayPaused: boolean;
  /** receive LSN == replay LSN. */
  caughtUp: boolean;
}

export interface TopologyNode {
  /** Registered service, when known. */
  serviceId?: string;
  /** host:port, or the client address the upstream sees. */
  address: string;
  role: 'primary' | 'standby' | 'cascaded-standby' | 'unknown';
  applicationName?: string;
  upstream?: string;
  state: string;
  health: ReplicationHealth;
}

export interface PostgresReplicationView {
  engine: 'postgres';
  serviceId: string;
  checkedAt: string;
  role: 'primary' | 'standby';
  /** pg_control_system().system_identifier, as text: same cluster lineage = same identifier. */
  systemIdentifier: string;
  timeline: number | null;
  /** Primary: pg_current_wal_lsn(); standby: pg_last_wal_receive_lsn(). */
  currentLsn: string | null;
  standbys: StandbyView[];
  slots: SlotView[];
  archiver: ArchiverView | null;
  standby?: StandbySideView;
  topology: TopologyNode[];
  thresholds: LagThresholds;
  health: ReplicationHealth;
  /** In words, worst first. */
  issues: string[];
}

export interface AvailabilityReplicaView {
  groupName: string;
  replicaServerName: string;
  /** PRIMARY, SECONDARY, RESOLVING. */
  role: string | null;
  availabilityMode: string;
  failoverMode: string;
  connectedState: string | null;
  synchronizationHealth: string | null;
  operationalState: string | null;
  isLocal: boolean;
  lastConnectError: string | null;
}

export interface AvailabilityDatabaseView {
  groupName: string;
  replicaServerName: string;
  databaseName: string;
  isLocal: boolean;
  isPrimaryReplica: boolean;
  synchronizationState: string | null;
  synchronizationHealth: string | null;
  isSuspended: boolean;
  suspendReason: string | null;
  /** KB of log not yet sent to this secondary. */
  logSendQueueKb: number | null;
  logSendRateKbPerSec: number | null;
  /** KB of log received but not redone. */
  redoQueueKb: number | null;
  redoRateKbPerSec: number | null;
  /** Seconds of data that would be lost on a failover to this replica (secondary_lag_seconds / estimate). */
  estimatedDataLossSeconds: number | null;
  /** Estimated seconds to redo the queue. */
  estimatedRecoverySeconds: number | null;
  lastCommitTime: string | null;
  lastHardenedLsn: string | null;
  level: LagLevel;
}

export interface AvailabilityGroupView {
  name: string;
  groupId: string;
  clusterType: string | null;
  primaryReplica: string | null;
  synchronizationHealth: string | null;
  replicas: AvailabilityReplicaView[];
  databases: AvailabilityDatabaseView[];
  health: ReplicationHealth;
}

export interface LogShippingPrimaryView {
  primaryServer: string;
  primaryDatabase: string;
  backupThresholdMinutes: number;
  lastBackupFile: string | null;
  lastBackupDate: string | null;
  minutesSinceBackup: number | null;
  thresholdAlertEnabled: boolean;
  overThreshold: boolean;
}

export interface LogShippingSecondaryView {
  secondaryServer: string;
  secondaryDatabase: string;
  primaryServer: string;
  primaryDatabase: string;
  restoreThresholdMinutes: number;
  lastCopiedFile: string | null;
  lastCopiedDate: string | null;
  lastRestoredFile: string | null;
  lastRestoredDate: string | null;
  lastRestoredLatencyMinutes: number | null;
  minutesSinceRestore: number | null;
  minutesSinceCopy: number | null;
  overThreshold: boolean;
}

export interface SqlServerReplicationView {
  engine: 'sqlserver';
  serviceId: string;
  checkedAt: string;
  /** @@SERVERNAME */
  serverName: string;
  /** SERVERPROPERTY('IsHadrEnabled') */
  hadrEnabled: boolean;
  availabilityGroups: AvailabilityGroupView[];
  logShipping: { primaries: LogShippingPrimaryView[]; secondaries: LogShippingSecondaryView[]; readable: boolean };
  health: ReplicationHealth;
  issues: string[];
  /** Failover is a DBA's decision: the T-SQL to run, as text, never run by Lifeboat. */
  failoverGuidance: string[];
}

export type ReplicationView = PostgresReplicationView | SqlServerReplicationView;

export interface ReplicationOverviewRow {
  serviceId: string;
  engine: 'postgres' | 'sqlserver';
  role: string;
  health: ReplicationHealth;
  /** One line, e.g. "2 standbys streaming, worst 1.2 MB behind". */
  summary: string;
  checkedAt: string;
  error?: { code: string; message: string; hint: string };
}

/** One standby's figures at one moment. */
export interface LagPoint {
  /** Key of the series: the standby's application_name (or the service id when sampled from the standby). */
  standby: string;
  serviceId?: string;
  state: string;
  replayLagBytes: number | null;
  replayLagSeconds: number | null;
  writeLagBytes: number | null;
  flushLagBytes: number | null;
  level: LagLevel;
}

export interface ReplicationSample {
  serviceId: string;
  at: string;
  health: ReplicationHealth;
  points: LagPoint[];
  /** Set when the status could not be read at this moment. */
  error?: string;
}

export interface ReplicationHistoryView {
  serviceId: string;
  intervalMs: number;
  capacity: number;
  sampling: boolean;
  jobId?: string;
  samples: ReplicationSample[];
}

/** A threshold crossed (or cleared): the monitoring slice turns these into notifications. */
export interface ReplicationAlert {
  serviceId: string;
  standby: string;
  at: string;
  level: LagLevel | 'disconnected';
  previous: LagLevel | 'disconnected' | 'none';
  metric: 'replayLagSeconds' | 'replayLagBytes' | 'state';
  value: number | string | null;
  threshold: number | null;
  message: string;
}

export interface PromotionCheck {
  serviceId: string;
  checkedAt: string;
  isStandby: boolean;
  receiveLsn: string | null;
  replayLsn: string | null;
  unreplayedBytes: number | null;
  unreceivedBytes: number | null;
  replayDelaySeconds: number | null;
  replayPaused: boolean;
  /** The upstream this standby follows, from pg_stat_wal_receiver or primary_conninfo. */
  oldPrimary: { address: string | null; serviceId?: string; reachable: boolean | null; detail: string };
  /** True when promotion needs fencedConfirmed (old primary reachable or unknown). */
  needsFencingConfirmation: boolean;
  /** What a promotion now would lose, in words. */
  wouldLose: string;
  manualSteps: string;
}

export interface PromotionRecord {
  id: string;
  serviceId: string;
  requestedAt: string;
  finishedAt: string;
  osUser: string;
  check: PromotionCheck;
  fencedConfirmed: boolean;
  outcome: 'promoted' | 'failed' | 'refused';
  /** After promotion: pg_is_in_recovery() = false, the new timeline and the LSN at that moment. */
  newTimeline?: number;
  lsnAfter?: string;
  durationMs: number;
  error?: { code: string; message: string; hint: string };
}
