// The equivalent of Lifeboat's promotion as steps a DBA can follow by hand (for the runbook): fence the old
// primary, measure what would be lost, promote, check, repoint. Pure text.
export interface ManualStepsInput {
  serviceId: string;
  /** host:port of the standby to promote. */
  standbyAddress: string;
  dataDirectory?: string | null;
  oldPrimaryAddress?: string | null;
  oldPrimaryServiceId?: string;
}

export function promotionManualSteps(i: ManualStepsInput): string {
  const [host, port] = splitAddress(i.standbyAddress);
  const psql = `psql -h ${host} -p ${port} -d postgres`;
  const old = i.oldPrimaryAddress ? `${i.oldPrimaryAddress}${i.oldPrimaryServiceId ? ` (${i.oldPrimaryServiceId})` : ''}` : 'the old primary';
  const pgdata = i.dataDirectory ?? '<data directory of the standby>';
  return [
    `Promote the standby ${i.serviceId} (${i.standbyAddress}) to primary`,
    '',
    `1. Fence ${old}: stop it (pg_ctl stop -D <its data directory> -m fast) or cut it off from clients`,
    '   (firewall, pg_hba.conf "reject", load balancer). Two primaries accepting writes means diverging data.',
    '2. Measure what the standby has and what it would lose:',
    `   ${psql} -c "select pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) as unreplayed_bytes, now() - pg_last_xact_replay_timestamp() as replay_delay, pg_is_wal_replay_paused()"`,
    '   If replay is paused, resume it first (select pg_wal_replay_resume()) so received WAL is applied.',
    `   If ${old} still answers: select pg_current_wal_lsn() there; the difference to the receive LSN is WAL this standby never got.`,
    '3. Promote (waits up to 60 s for the end of recovery):',
    `   ${psql} -c "select pg_promote(wait => true, wait_seconds => 60)"`,
    `   or on the standby's host: pg_ctl promote -D ${pgdata}`,
    '4. Check it is a primary on a new timeline:',
    `   ${psql} -c "select pg_is_in_recovery(), pg_current_wal_lsn(), substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) as timeline"`,
    '   pg_is_in_recovery must be false.',
    '5. Point applications (connection strings, DNS, pooler) and any other standbys (primary_conninfo) at the new primary;',
    '   restart Lifeboat\'s WAL streaming for it (lifeboat wal stream <service>) and take a fresh base backup.',
    `6. Rebuild ${old} as a standby of the new primary (pg_rewind, or a new pg_basebackup) before it rejoins.`,
  ].join('\n');
}

function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return i < 0 ? [address, '5432'] : [address.slice(0, i), address.slice(i + 1)];
}
