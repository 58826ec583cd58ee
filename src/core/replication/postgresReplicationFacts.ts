// Reads what PostgreSQL says about replication on one server, as plain data: who it is (system identifier,
// recovery, timeline), its walsenders (pg_stat_replication), slots, archiver, and, on a standby, its WAL
// receiver and replay position. Lag figures come as float8 (seconds from extract(epoch ...), bytes from
// pg_wal_lsn_diff) so pg hands back numbers, not interval objects or numeric strings.
import type pg from 'pg';

/** On a standby (a cascade's upstream) the end of WAL is what it has received; pg_current_wal_lsn() fails there. */
const END_OF_WAL = `(case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_lsn() end)`;

export const IDENTITY_SQL = `select (select system_identifier::text from pg_control_system()) as system_identifier,
  pg_is_in_recovery() as in_recovery,
  ${END_OF_WAL}::text as end_lsn,
  case when pg_is_in_recovery() then (select timeline_id from pg_control_checkpoint())
       else ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int end as timeline,
  current_setting('archive_mode') as archive_mode,
  current_setting('cluster_name') as cluster_name`;

export const STAT_REPLICATION_SQL = `select application_name, host(client_addr) as client_addr, client_port, state, sync_state,
  sent_lsn::text as sent_lsn, write_lsn::text as write_lsn, flush_lsn::text as flush_lsn, replay_lsn::text as replay_lsn,
  extract(epoch from write_lag)::float8 as write_lag_seconds,
  extract(epoch from flush_lag)::float8 as flush_lag_seconds,
  extract(epoch from replay_lag)::float8 as replay_lag_seconds,
  pg_wal_lsn_diff(${END_OF_WAL}, write_lsn)::float8 as write_lag_bytes,
  pg_wal_lsn_diff(${END_OF_WAL}, flush_lsn)::float8 as flush_lag_bytes,
  pg_wal_lsn_diff(${END_OF_WAL}, replay_lsn)::float8 as replay_lag_bytes,
  reply_time
from pg_stat_replication
order by application_name, client_port`;

export const SLOTS_SQL = `select slot_name, slot_type, database, active, active_pid, temporary, restart_lsn::text as restart_lsn,
  pg_wal_lsn_diff(${END_OF_WAL}, restart_lsn)::float8 as retained_bytes,
  wal_status, safe_wal_size::float8 as safe_wal_size
from pg_replication_slots
order by slot_name`;

export const ARCHIVER_SQL = `select archived_count::float8 as archived_count, last_archived_wal, last_archived_time,
  failed_count::float8 as failed_count, last_failed_wal, last_failed_time, stats_reset
from pg_stat_archiver`;

export const WAL_RECEIVER_SQL = `select status, sender_host, sender_port, slot_name, conninfo, received_tli,
  latest_end_lsn::text as latest_end_lsn, latest_end_time, last_msg_receipt_time
from pg_stat_wal_receiver`;

export const REPLAY_SQL = `select pg_last_wal_receive_lsn()::text as receive_lsn,
  pg_last_wal_replay_lsn()::text as replay_lsn,
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 as unreplayed_bytes,
  pg_last_xact_replay_timestamp() as last_replay_time,
  extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as replay_delay_seconds,
  pg_is_wal_replay_paused() as replay_paused`;

export interface IdentityRow {
  system_identifier: string;
  in_recovery: boolean;
  end_lsn: string | null;
  timeline: number | null;
  archive_mode: string;
  cluster_name: string;
}

export interface StatReplicationRow {
  application_name: string;
  client_addr: string | null;
  client_port: number | null;
  state: string | null;
  sync_state: string | null;
  sent_lsn: string | null;
  write_lsn: string | null;
  flush_lsn: string | null;
  replay_lsn: string | null;
  write_lag_seconds: number | null;
  flush_lag_seconds: number | null;
  replay_lag_seconds: number | null;
  write_lag_bytes: number | null;
  flush_lag_bytes: number | null;
  replay_lag_bytes: number | null;
  reply_time: Date | null;
}

export interface SlotRow {
  slot_name: string;
  slot_type: string;
  database: string | null;
  active: boolean;
  active_pid: number | null;
  temporary: boolean;
  restart_lsn: string | null;
  retained_bytes: number | null;
  wal_status: string | null;
  safe_wal_size: number | null;
}

export interface ArchiverRow {
  archived_count: number;
  last_archived_wal: string | null;
  last_archived_time: Date | null;
  failed_count: number;
  last_failed_wal: string | null;
  last_failed_time: Date | null;
  stats_reset: Date | null;
}

export interface WalReceiverRow {
  status: string;
  sender_host: string | null;
  sender_port: number | null;
  slot_name: string | null;
  conninfo: string | null;
  received_tli: number | null;
  latest_end_lsn: string | null;
  latest_end_time: Date | null;
  last_msg_receipt_time: Date | null;
}

export interface ReplayRow {
  receive_lsn: string | null;
  replay_lsn: string | null;
  unreplayed_bytes: number | null;
  last_replay_time: Date | null;
  replay_delay_seconds: number | null;
  replay_paused: boolean;
}

/** Everything one server said, read in one session. */
export interface PostgresReplicationFacts {
  readAt: string;
  identity: IdentityRow;
  walSenders: StatReplicationRow[];
  slots: SlotRow[];
  archiver: ArchiverRow | null;
  /** Standby only. */
  receiver: WalReceiverRow | null;
  replay: ReplayRow | null;
}

export async function readPostgresReplicationFacts(client: pg.Client): Promise<PostgresReplicationFacts> {
  const readAt = new Date().toISOString();
  const identity = (await client.query<IdentityRow>(IDENTITY_SQL)).rows[0]!;
  const walSenders = (await client.query<StatReplicationRow>(STAT_REPLICATION_SQL)).rows;
  const slots = (await client.query<SlotRow>(SLOTS_SQL)).rows;
  const archiver = (await client.query<ArchiverRow>(ARCHIVER_SQL)).rows[0] ?? null;
  let receiver: WalReceiverRow | null = null;
  let replay: ReplayRow | null = null;
  if (identity.in_recovery) {
    receiver = (await client.query<WalReceiverRow>(WAL_RECEIVER_SQL)).rows[0] ?? null;
    replay = (await client.query<ReplayRow>(REPLAY_SQL)).rows[0] ?? null;
  }
  return { readAt, identity, walSenders, slots, archiver, receiver, replay };
}
