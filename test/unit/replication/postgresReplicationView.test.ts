// The PostgreSQL replication view from plain facts: matching standbys to services, a registered standby
// that has no walsender (disconnected), a cascade, NULL lag on an idle standby, slots and the archiver.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../src/core/replication/lagThresholds';
import type { PostgresReplicationFacts, StatReplicationRow } from '../../../src/core/replication/postgresReplicationFacts';
import { applicationNameOf, buildPostgresView, knownRoleOf, sameAddress, type Peer } from '../../../src/core/replication/postgresReplicationView';
import { conninfoAddress } from '../../../src/core/replication/promoteStandby';

const SYSID = '7442287612345678901';
const at = new Date('2026-11-25T14:00:00Z');

function walSender(name: string, over: Partial<StatReplicationRow> = {}): StatReplicationRow {
  return {
    application_name: name, client_addr: '10.0.0.2', client_port: 40000, state: 'streaming', sync_state: 'async',
    sent_lsn: '0/5000000', write_lsn: '0/5000000', flush_lsn: '0/5000000', replay_lsn: '0/5000000',
    write_lag_seconds: null, flush_lag_seconds: null, replay_lag_seconds: null, write_lag_bytes: 0, flush_lag_bytes: 0, replay_lag_bytes: 0, reply_time: at, ...over,
  };
}

function primaryFacts(over: Partial<PostgresReplicationFacts> = {}): PostgresReplicationFacts {
  return {
    readAt: at.toISOString(),
    identity: { system_identifier: SYSID, in_recovery: false, end_lsn: '0/5000000', timeline: 1, archive_mode: 'on', cluster_name: '' },
    walSenders: [], slots: [],
    archiver: { archived_count: 10, last_archived_wal: '000000010000000000000004', last_archived_time: at, failed_count: 0, last_failed_wal: null, last_failed_time: null, stats_reset: at },
    receiver: null, replay: null, ...over,
  };
}

function standbyFacts(upstreamPort: number, appName: string, walSenders: StatReplicationRow[] = []): PostgresReplicationFacts {
  return {
    readAt: at.toISOString(),
    identity: { system_identifier: SYSID, in_recovery: true, end_lsn: '0/5000000', timeline: 1, archive_mode: 'on', cluster_name: '' },
    walSenders, slots: [], archiver: null,
    receiver: { status: 'streaming', sender_host: '10.0.0.1', sender_port: upstreamPort, slot_name: null, conninfo: `user=postgres passfile=/x host=10.0.0.1 port=${upstreamPort} application_name=${appName}`, received_tli: 1, latest_end_lsn: '0/5000000', latest_end_time: at, last_msg_receipt_time: at },
    replay: { receive_lsn: '0/5000000', replay_lsn: '0/5000000', unreplayed_bytes: 0, last_replay_time: new Date(at.getTime() - 600_000), replay_delay_seconds: 600, replay_paused: false },
  };
}

const peer = (serviceId: string, address: string, facts?: PostgresReplicationFacts, known = facts && knownRoleOf(facts)): Peer => ({ serviceId, address, facts, known });

describe('the PostgreSQL replication view', () => {
  it('matches a walsender to the registered standby by application_name and reads NULL lag on an idle standby as 0 s, healthy', () => {
    const v = buildPostgresView({ serviceId: 'orders', address: '10.0.0.1:5432', thresholds: DEFAULT_THRESHOLDS, facts: primaryFacts({ walSenders: [walSender('orders_b')] }), peers: [peer('orders-b', '10.0.0.2:5432', standbyFacts(5432, 'orders_b'))] });
    expect(v.standbys[0]).toMatchObject({ serviceId: 'orders-b', replayLagSeconds: 0, replayLagBytes: 0, level: 'ok', health: 'healthy', matchedBy: 'application_name and system identifier' });
    expect(v.health).toBe('healthy');
    expect(v.issues).toEqual([]);
  });

  it('does not match a standby of another cluster with the same application_name', () => {
    const other = standbyFacts(5432, 'orders_b');
    other.identity.system_identifier = '7000000000000000001';
    const v = buildPostgresView({ serviceId: 'orders', address: '10.0.0.1:5432', thresholds: DEFAULT_THRESHOLDS, facts: primaryFacts({ walSenders: [walSender('orders_b')] }), peers: [peer('stranger', '10.0.0.9:5432', other)] });
    expect(v.standbys[0]?.serviceId).toBeUndefined();
  });

  it('shows a registered standby last seen streaming from here, now without a walsender, as disconnected and broken', () => {
    const remembered = knownRoleOf(standbyFacts(5432, 'orders_b'));
    const v = buildPostgresView({ serviceId: 'orders', address: '10.0.0.1:5432', thresholds: DEFAULT_THRESHOLDS, facts: primaryFacts(), peers: [peer('orders-b', '10.0.0.2:5432', undefined, remembered)] });
    expect(v.standbys).toEqual([expect.objectContaining({ serviceId: 'orders-b', state: 'disconnected', health: 'broken', applicationName: 'orders_b' })]);
    expect(v.health).toBe('broken');
    expect(v.issues[0]).toContain('orders-b is disconnected');
  });

  it('nests a cascade under the standby it streams from', () => {
    const middle = standbyFacts(5432, 'orders_b', [walSender('orders_c', { replay_lag_bytes: 4096 })]);
    const leaf = standbyFacts(5433, 'orders_c');
    leaf.receiver!.sender_host = '10.0.0.2';
    const v = buildPostgresView({ serviceId: 'orders', address: '10.0.0.1:5432', thresholds: DEFAULT_THRESHOLDS, facts: primaryFacts({ walSenders: [walSender('orders_b')] }), peers: [peer('orders-b', '10.0.0.2:5433', middle), peer('orders-c', '10.0.0.3:5432', leaf)] });
    expect(v.standbys[0]?.cascade).toEqual([expect.objectContaining({ serviceId: 'orders-c', replayLagBytes: 4096 })]);
    expect(v.topology.find((n) => n.serviceId === 'orders-c')).toMatchObject({ role: 'cascaded-standby', upstream: '10.0.0.2:5433' });
  });

  it('grades lag against the thresholds, by bytes or seconds', () => {
    const t = { ...DEFAULT_THRESHOLDS, warnLagBytes: 1000, criticalLagBytes: 10_000, warnLagSeconds: 5, criticalLagSeconds: 60 };
    const v = buildPostgresView({ serviceId: 'p', address: 'h:1', thresholds: t, facts: primaryFacts({ walSenders: [walSender('a', { replay_lag_bytes: 2000 }), walSender('b', { replay_lag_seconds: 61 }), walSender('c', { state: 'catchup' })] }), peers: [] });
    expect(v.standbys.map((s) => [s.applicationName, s.level, s.health])).toEqual([['a', 'warn', 'lagging'], ['b', 'critical', 'broken'], ['c', 'ok', 'lagging']]);
  });

  it('says when positions are hidden from a login without pg_monitor, rather than calling the standby healthy', () => {
    const hidden = walSender('b', { state: null, sync_state: null, sent_lsn: null, write_lsn: null, flush_lsn: null, replay_lsn: null, write_lag_bytes: null, flush_lag_bytes: null, replay_lag_bytes: null });
    const v = buildPostgresView({ serviceId: 'p', address: 'h:1', thresholds: DEFAULT_THRESHOLDS, facts: primaryFacts({ walSenders: [hidden] }), peers: [] });
    expect(v.standbys[0]).toMatchObject({ state: 'hidden', health: 'unknown', replayLagSeconds: null });
    expect(v.health).toBe('unknown');
    expect(v.issues[0]).toContain('grant it pg_monitor');
  });

  it('flags a lost slot and a failing archiver, but not an archiver whose last failure was followed by a success', () => {
    const failing = primaryFacts({
      slots: [{ slot_name: 'old', slot_type: 'physical', database: null, active: false, active_pid: null, temporary: false, restart_lsn: null, retained_bytes: null, wal_status: 'lost', safe_wal_size: null }],
      archiver: { archived_count: 3, last_archived_wal: 'A', last_archived_time: new Date('2026-11-25T13:00:00Z'), failed_count: 2, last_failed_wal: 'B', last_failed_time: new Date('2026-11-25T13:05:00Z'), stats_reset: null },
    });
    const v = buildPostgresView({ serviceId: 'p', address: 'h:1', thresholds: DEFAULT_THRESHOLDS, facts: failing, peers: [] });
    expect(v.slots[0]?.level).toBe('critical');
    expect(v.archiver?.failing).toBe(true);
    expect(v.health).toBe('broken');
    const recovered = primaryFacts({ archiver: { ...failing.archiver!, last_archived_time: new Date('2026-11-25T13:10:00Z') } });
    expect(buildPostgresView({ serviceId: 'p', address: 'h:1', thresholds: DEFAULT_THRESHOLDS, facts: recovered, peers: [] }).archiver?.failing).toBe(false);
  });

  it("on a standby, ignores the replay delay when it has replayed all it received (an idle primary), and flags paused replay", () => {
    const idle = buildPostgresView({ serviceId: 's', address: 'h:2', thresholds: DEFAULT_THRESHOLDS, facts: standbyFacts(5432, 's'), peers: [] });
    expect(idle.standby).toMatchObject({ caughtUp: true, replayDelaySeconds: 600, unreceivedBytes: 0 });
    expect(idle.health).toBe('healthy');
    const paused = standbyFacts(5432, 's');
    paused.replay = { ...paused.replay!, replay_lsn: '0/4F00000', unreplayed_bytes: 0x100000, replay_delay_seconds: 20, replay_paused: true };
    const v = buildPostgresView({ serviceId: 's', address: 'h:2', thresholds: DEFAULT_THRESHOLDS, facts: paused, peers: [] });
    expect(v.health).toBe('lagging');
    expect(v.issues.join(' ')).toContain('paused');
    const gone = standbyFacts(5432, 's');
    gone.receiver = null;
    expect(buildPostgresView({ serviceId: 's', address: 'h:2', thresholds: DEFAULT_THRESHOLDS, facts: gone, peers: [] }).health).toBe('broken');
  });

  it('reads application_name and the upstream address from conninfo strings', () => {
    expect(applicationNameOf("user=x application_name='my standby' host=h", '')).toBe('my standby');
    expect(applicationNameOf('user=x host=h', 'pg-b')).toBe('pg-b');
    expect(applicationNameOf(null, '')).toBe('walreceiver');
    expect(conninfoAddress("user=replicator password=secret host=10.1.2.3 port=5433 sslmode=prefer")).toBe('10.1.2.3:5433');
    expect(conninfoAddress('user=replicator')).toBeNull();
    expect(sameAddress('localhost:5432', '127.0.0.1:5432')).toBe(true);
    expect(sameAddress('db1:5432', 'db1:5433')).toBe(false);
  });
});
