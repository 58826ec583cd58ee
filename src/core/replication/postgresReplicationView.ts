// Turns the facts read from one PostgreSQL server (and what is known of the other registered servers) into
// the replication view: standbys matched to services, disconnected standbys, cascades, slots, archiver,
// the standby's own position, levels against the thresholds, and the service's health. Pure.
import type {
  ArchiverView,
  LagLevel,
  LagThresholds,
  PostgresReplicationView,
  ReplicationHealth,
  SlotView,
  StandbySideView,
  StandbyView,
  TopologyNode,
} from '../../shared/replication';
import { healthOfLevel, lagLevel, levelOf, worstHealth, worstLevel } from './lagThresholds';
import { lsnDistance } from './lsnMath';
import type { PostgresReplicationFacts, StatReplicationRow } from './postgresReplicationFacts';

/** What Lifeboat knows of a server's place in a topology, live or from its last successful read. */
export interface KnownRole {
  systemIdentifier: string;
  role: 'primary' | 'standby';
  /** host:port of the upstream this standby streams from. */
  upstream: string | null;
  /** The application_name this standby reports to its upstream. */
  applicationName: string | null;
  seenAt: string;
}

export interface Peer {
  serviceId: string;
  /** host:port as registered. */
  address: string;
  /** The standby's own thresholds when its policy sets any; otherwise its upstream's apply. */
  thresholds?: LagThresholds;
  /** Live facts when the server answered this time. */
  facts?: PostgresReplicationFacts;
  known?: KnownRole;
}

export interface ViewInput {
  serviceId: string;
  address: string;
  thresholds: LagThresholds;
  facts: PostgresReplicationFacts;
  peers: Peer[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/** Compares host:port pairs, treating the loopback names as one host. */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const split = (s: string) => {
    const i = s.lastIndexOf(':');
    const host = s.slice(0, i).replace(/^\[|\]$/g, '').toLowerCase();
    return { host: LOOPBACK.has(host) ? 'loopback' : host, port: s.slice(i + 1) };
  };
  const x = split(a);
  const y = split(b);
  return x.host === y.host && x.port === y.port;
}

export function addressOf(host: string, port: number): string {
  return `${host}:${port}`;
}

/** application_name in a libpq conninfo; a walreceiver without one reports cluster_name, else "walreceiver". */
export function applicationNameOf(conninfo: string | null, clusterName: string): string {
  const match = conninfo ? /(?:^|\s)application_name=('(?:[^'\\]|\\.)*'|\S+)/.exec(conninfo) : null;
  if (match) return match[1]!.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1');
  return clusterName || 'walreceiver';
}

export function knownRoleOf(facts: PostgresReplicationFacts): KnownRole {
  const r = facts.receiver;
  return {
    systemIdentifier: facts.identity.system_identifier,
    role: facts.identity.in_recovery ? 'standby' : 'primary',
    upstream: r?.sender_host && r.sender_port ? addressOf(r.sender_host, r.sender_port) : null,
    applicationName: facts.identity.in_recovery ? applicationNameOf(r?.conninfo ?? null, facts.identity.cluster_name) : null,
    seenAt: facts.readAt,
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function standbyRow(row: StatReplicationRow, thresholds: LagThresholds): StandbyView {
  // NULL lag on a caught-up idle standby is healthy: nothing is waiting to be applied.
  const seconds = row.replay_lag_seconds;
  const level = lagLevel({ seconds, bytes: row.replay_lag_bytes }, thresholds);
  // Without pg_read_all_stats (pg_monitor) PostgreSQL hides every column but the name: say so, do not guess.
  const hidden = row.state === null && row.sent_lsn === null;
  const state = hidden ? 'hidden' : row.state ?? 'unknown';
  const health: ReplicationHealth = hidden ? 'unknown' : state === 'streaming' ? healthOfLevel(level) : state === 'stopping' ? 'broken' : worstHealth('lagging', healthOfLevel(level));
  return {
    applicationName: row.application_name,
    clientAddr: row.client_addr,
    clientPort: row.client_port,
    state,
    syncState: row.sync_state,
    sentLsn: row.sent_lsn,
    writeLsn: row.write_lsn,
    flushLsn: row.flush_lsn,
    replayLsn: row.replay_lsn,
    writeLagSeconds: row.write_lag_seconds ?? (row.write_lsn ? 0 : null),
    flushLagSeconds: row.flush_lag_seconds ?? (row.flush_lsn ? 0 : null),
    replayLagSeconds: seconds ?? (row.replay_lsn ? 0 : null),
    writeLagBytes: row.write_lag_bytes,
    flushLagBytes: row.flush_lag_bytes,
    replayLagBytes: row.replay_lag_bytes,
    replyTime: iso(row.reply_time),
    level,
    health,
  };
}

function disconnectedRow(peer: Peer): StandbyView {
  return {
    applicationName: peer.known?.applicationName ?? peer.serviceId,
    clientAddr: null,
    clientPort: null,
    state: 'disconnected',
    syncState: null,
    sentLsn: null,
    writeLsn: null,
    flushLsn: null,
    replayLsn: null,
    writeLagSeconds: null,
    flushLagSeconds: null,
    replayLagSeconds: null,
    writeLagBytes: null,
    flushLagBytes: null,
    replayLagBytes: null,
    replyTime: null,
    serviceId: peer.serviceId,
    matchedBy: peer.facts ? 'registered standby of this server, not streaming' : `last seen streaming from this server at ${peer.known?.seenAt}`,
    level: 'critical',
    health: 'broken',
  };
}

/** The standbys of one upstream: its walsender rows matched to registered services, plus registered standbys
 * of this upstream that have no row (disconnected), plus their own standbys (cascades), one level deep. */
function standbysOf(upstream: { serviceId: string; address: string; systemIdentifier: string; rows: StatReplicationRow[] }, thresholds: LagThresholds, peers: Peer[], depth: number): StandbyView[] {
  const family = peers.filter((p) => p.serviceId !== upstream.serviceId && p.known?.systemIdentifier === upstream.systemIdentifier && p.known.role === 'standby');
  const used = new Set<string>();
  const views = upstream.rows.map((row) => {
    const byName = family.find((p) => !used.has(p.serviceId) && p.known?.applicationName === row.application_name && (!p.known.upstream || sameAddress(p.known.upstream, upstream.address)));
    const byId = byName ?? family.find((p) => !used.has(p.serviceId) && p.serviceId === row.application_name);
    const peer = byName ?? byId;
    const view = standbyRow(row, peer?.thresholds ?? thresholds);
    if (peer) {
      used.add(peer.serviceId);
      view.serviceId = peer.serviceId;
      view.matchedBy = byName ? 'application_name and system identifier' : 'application_name = service id';
      if (peer.facts && depth < 3 && peer.facts.walSenders.length)
        view.cascade = standbysOf({ serviceId: peer.serviceId, address: peer.address, systemIdentifier: upstream.systemIdentifier, rows: peer.facts.walSenders }, peer.thresholds ?? thresholds, peers, depth + 1);
    }
    return view;
  });
  for (const p of family) if (!used.has(p.serviceId) && p.known?.upstream && sameAddress(p.known.upstream, upstream.address)) views.push(disconnectedRow(p));
  return views;
}

function slotView(row: PostgresReplicationFacts['slots'][number], t: LagThresholds): SlotView {
  const statusLevel: LagLevel = row.wal_status === 'lost' ? 'critical' : row.wal_status === 'unreserved' ? 'warn' : 'ok';
  return {
    name: row.slot_name,
    slotType: row.slot_type,
    database: row.database,
    active: row.active,
    activePid: row.active_pid,
    restartLsn: row.restart_lsn,
    retainedBytes: row.retained_bytes,
    walStatus: row.wal_status,
    safeWalSizeBytes: row.safe_wal_size,
    temporary: row.temporary,
    level: worstLevel(statusLevel, levelOf(row.retained_bytes, t.warnLagBytes, t.criticalLagBytes)),
  };
}

function archiverView(facts: PostgresReplicationFacts): ArchiverView | null {
  const a = facts.archiver;
  if (!a) return null;
  const failing = a.failed_count > 0 && !!a.last_failed_time && (!a.last_archived_time || a.last_failed_time >= a.last_archived_time);
  return {
    archiveMode: facts.identity.archive_mode,
    archivedCount: a.archived_count,
    lastArchivedWal: a.last_archived_wal,
    lastArchivedTime: iso(a.last_archived_time),
    failedCount: a.failed_count,
    lastFailedWal: a.last_failed_wal,
    lastFailedTime: iso(a.last_failed_time),
    statsReset: iso(a.stats_reset),
    failing,
  };
}

function standbySide(facts: PostgresReplicationFacts): StandbySideView {
  const r = facts.receiver;
  const p = facts.replay;
  const unreplayed = p?.unreplayed_bytes ?? null;
  const caughtUp = !!p?.receive_lsn && unreplayed === 0;
  return {
    receiverStatus: r?.status ?? null,
    senderHost: r?.sender_host ?? null,
    senderPort: r?.sender_port ?? null,
    slotName: r?.slot_name ?? null,
    applicationName: applicationNameOf(r?.conninfo ?? null, facts.identity.cluster_name),
    receivedTimeline: r?.received_tli ?? null,
    receiveLsn: p?.receive_lsn ?? null,
    replayLsn: p?.replay_lsn ?? null,
    latestEndLsn: r?.latest_end_lsn ?? null,
    latestEndTime: iso(r?.latest_end_time),
    lastMessageReceiptTime: iso(r?.last_msg_receipt_time),
    unreplayedBytes: unreplayed,
    unreceivedBytes: lsnDistance(r?.latest_end_lsn, p?.receive_lsn),
    lastReplayedCommitTime: iso(p?.last_replay_time),
    replayDelaySeconds: p?.replay_delay_seconds ?? null,
    replayPaused: p?.replay_paused ?? false,
    caughtUp,
  };
}

/** Standby side: seconds count only when something received is still waiting (an idle primary makes the
 * replay delay grow with nothing missing). */
export function standbySideLevel(s: StandbySideView, t: LagThresholds): LagLevel {
  const bytes = s.unreplayedBytes === null && s.unreceivedBytes === null ? null : (s.unreplayedBytes ?? 0) + (s.unreceivedBytes ?? 0);
  return lagLevel({ seconds: s.caughtUp ? 0 : s.replayDelaySeconds, bytes }, t);
}

const fmtBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`);

export function buildPostgresView(input: ViewInput): PostgresReplicationView {
  const { facts, thresholds, peers } = input;
  const role = facts.identity.in_recovery ? 'standby' : 'primary';
  const sysid = facts.identity.system_identifier;
  const standbys = standbysOf({ serviceId: input.serviceId, address: input.address, systemIdentifier: sysid, rows: facts.walSenders }, thresholds, peers, 0);
  const slots = facts.slots.map((s) => slotView(s, thresholds));
  const archiver = archiverView(facts);
  const issues: string[] = [];
  const healths: ReplicationHealth[] = [];
  let standby: StandbySideView | undefined;

  if (role === 'standby') {
    standby = standbySide(facts);
    if (standby.receiverStatus !== 'streaming') {
      issues.push(standby.receiverStatus ? `WAL receiver is ${standby.receiverStatus}, not streaming.` : 'No WAL receiver runs: this standby is disconnected from its upstream.');
      healths.push('broken');
    } else {
      const level = standbySideLevel(standby, thresholds);
      healths.push(healthOfLevel(level));
      if (level !== 'ok') issues.push(`Standby is ${fmtBytes((standby.unreplayedBytes ?? 0) + (standby.unreceivedBytes ?? 0))} behind (${level}).`);
    }
    if (standby.replayPaused) {
      issues.push('WAL replay is paused (pg_wal_replay_pause): received WAL is not applied.');
      healths.push('lagging');
    }
  }
  for (const s of flatten(standbys)) {
    healths.push(s.health);
    if (s.state === 'disconnected') issues.unshift(`Standby ${s.serviceId ?? s.applicationName} is disconnected: its upstream has no walsender for it (${s.matchedBy}).`);
    else if (s.state === 'hidden') issues.push(`Standby ${s.serviceId ?? s.applicationName}: positions hidden from this login; grant it pg_monitor (pg_read_all_stats).`);
    else if (s.health !== 'healthy') issues.push(`Standby ${s.serviceId ?? s.applicationName} is ${s.state}, ${s.replayLagBytes === null ? 'lag unknown' : `${fmtBytes(s.replayLagBytes)} behind`} (${s.level}).`);
  }
  for (const s of slots) {
    healths.push(healthOfLevel(s.level));
    if (s.walStatus === 'lost') issues.unshift(`Slot ${s.name} has lost WAL it needed: its consumer must be rebuilt.`);
    else if (s.level !== 'ok') issues.push(`Slot ${s.name} retains ${fmtBytes(s.retainedBytes ?? 0)} of WAL${s.active ? '' : ' and is inactive'}.`);
  }
  if (archiver?.failing) {
    healths.push('broken');
    issues.unshift(`archive_command is failing: ${archiver.failedCount} failures, last ${archiver.lastFailedWal} at ${archiver.lastFailedTime}.`);
  }

  const topology: TopologyNode[] = [];
  const self: TopologyNode = { serviceId: input.serviceId, address: input.address, role, state: role === 'standby' ? standby?.receiverStatus ?? 'disconnected' : 'primary', health: 'none' };
  if (role === 'standby' && standby?.senderHost) {
    const up = addressOf(standby.senderHost, standby.senderPort ?? 5432);
    const upPeer = peers.find((p) => sameAddress(p.address, up));
    topology.push({ serviceId: upPeer?.serviceId, address: up, role: upPeer?.known?.role === 'standby' ? 'standby' : 'primary', state: 'upstream', health: 'unknown' });
    self.upstream = up;
    self.applicationName = standby.applicationName ?? undefined;
  }
  topology.push(self);
  const addNodes = (list: StandbyView[], upstream: string, cascaded: boolean) => {
    for (const s of list) {
      const peer = peers.find((p) => p.serviceId === s.serviceId);
      const address = peer?.address ?? (s.clientAddr ? `${s.clientAddr}:${s.clientPort ?? '?'}` : '(unknown)');
      topology.push({ serviceId: s.serviceId, address, role: cascaded ? 'cascaded-standby' : 'standby', applicationName: s.applicationName, upstream, state: s.state, health: s.health });
      if (s.cascade) addNodes(s.cascade, address, true);
    }
  };
  addNodes(standbys, input.address, role === 'standby');

  const health = healths.length ? worstHealth(...healths) : 'none';
  self.health = health;
  return {
    engine: 'postgres',
    serviceId: input.serviceId,
    checkedAt: facts.readAt,
    role,
    systemIdentifier: sysid,
    timeline: facts.identity.timeline,
    currentLsn: facts.identity.end_lsn,
    standbys,
    slots,
    archiver,
    standby,
    topology,
    thresholds,
    health,
    issues,
  };
}

export function flatten(list: StandbyView[]): StandbyView[] {
  return list.flatMap((s) => [s, ...flatten(s.cascade ?? [])]);
}
