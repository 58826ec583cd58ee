// Reads Barman 3.4's `-f json` answers (list-backups, show-backup, list-servers, show-server) into Lifeboat's
// words. Pure: the caller runs the commands.
import { LifeboatError } from '../../lifeboatError';
import { formatLsn, parseLsn } from '../../wal/walNames';
import type { EngineBackup } from '../existingEngine';

type Json = Record<string, unknown>;

/** Barman answers { "<server>": ... }; anything else is not a shape Lifeboat knows. */
export function answerFor(json: string, server: string, command: string): unknown {
  let parsed: Json;
  try {
    parsed = JSON.parse(json) as Json;
  } catch {
    throw new LifeboatError('INTERNAL', `barman ${command} did not answer JSON.`, `Run "barman -f json ${command} ${server}" by hand; Lifeboat reads Barman 3.x.`);
  }
  if (!(server in parsed)) throw new LifeboatError('NOT_FOUND', `Barman knows no server "${server}".`, 'List the servers with "barman list-servers".');
  return parsed[server];
}

export interface BarmanListedBackup {
  id: string;
  status: string;
  retentionStatus: string;
}

export function listedBackups(json: string, server: string): BarmanListedBackup[] {
  const rows = answerFor(json, server, 'list-backups') as Json[];
  return rows.map((r) => ({ id: String(r.backup_id), status: String(r.status), retentionStatus: String(r.retention_status ?? '-') }));
}

/** Barman's times: "2026-12-07 02:45:53.385273+00:00". */
const isoOf = (t: unknown) => new Date(String(t).replace(' ', 'T')).toISOString();

/** One backup from `show-backup`. Barman's end LSN can be the first byte of the next segment (end_offset 0):
 * the copy ends with the segment before it. */
export function shownBackup(json: string, server: string): EngineBackup {
  const b = answerFor(json, server, 'show-backup') as Json;
  const info = (b.base_backup_information ?? {}) as Json;
  if (!info.begin_lsn || !info.end_lsn) throw new LifeboatError('NOT_FOUND', `Barman has no LSNs for backup ${String(b.backup_id)} (status ${String(b.status)}).`, 'A failed or running backup cannot be restored; see barman show-backup.');
  const end = parseLsn(String(info.end_lsn));
  const stop = Number(info.end_offset) === 0 && end > 0n ? end - 1n : end;
  const version = Number(b.postgresql_version);
  const status = String(b.status);
  return {
    label: String(b.backup_id),
    type: 'full',
    startedAt: isoOf(info.begin_time),
    finishedAt: isoOf(info.end_time),
    consistentAt: isoOf(info.end_time),
    startLsn: String(info.begin_lsn).toUpperCase(),
    stopLsn: formatLsn(stop),
    timeline: Number(info.timeline ?? 1),
    sizeBytes: Number(info.disk_usage_bytes ?? 0),
    storedBytes: Number(info.disk_usage_bytes ?? 0),
    references: [],
    serverVersion: String(version >= 100000 ? Math.floor(version / 10000) : version),
    problem: status === 'DONE' ? undefined : `Barman's status for it is ${status}`,
  };
}

/** The WAL Barman keeps from a backup to the next one (show-backup's wal_information), dated at the backup's end:
 * Barman reports no time per WAL file. Later timelines are not in it (Barman counts the backup's own). */
export function shownWal(json: string, server: string): { bytes: number; archivedAt: string } {
  const b = answerFor(json, server, 'show-backup') as Json;
  const wal = (b.wal_information ?? {}) as Json;
  const info = (b.base_backup_information ?? {}) as Json;
  return { bytes: Number(wal.disk_usage_bytes ?? 0), archivedAt: isoOf(info.end_time) };
}

export function serversOf(json: string): Array<{ name: string; status: string }> {
  const servers = JSON.parse(json) as Record<string, Json>;
  return Object.entries(servers).map(([name, s]) => ({ name, status: String(s.description ?? '') }));
}

/** The retention policy and compression as Barman's show-server reports them. */
export function serverSettings(json: string, server: string): { retention: string; compression: string; backupDirectory: string; encrypted: boolean } {
  const s = answerFor(json, server, 'show-server') as Json;
  return {
    retention: s.retention_policy ? `retention_policy = ${String(s.retention_policy)} (${String(s.retention_policy_mode ?? 'auto')})` : 'no retention_policy set in Barman: every backup is kept',
    compression: [s.compression && `WAL ${String(s.compression)}`, s.backup_compression && `backups ${String(s.backup_compression)}`].filter(Boolean).join(', ') || 'none',
    backupDirectory: String(s.backup_directory ?? ''),
    // Barman 3.4 keeps backups as plain files: encryption is the disk's, if any.
    encrypted: false,
  };
}

/** The checks `barman -f json check <server>` reports FAILED, in Barman's words with its hint:
 * { "<server>": { "wal_archive": { "status": "FAILED", "hint": "..." }, ... } }. */
export function failedChecks(json: string, server: string): string[] {
  const checks = answerFor(json, server, 'check') as Record<string, { status?: string; hint?: string }>;
  return Object.entries(checks)
    .filter(([, c]) => c.status === 'FAILED')
    .map(([name, c]) => `Barman check ${name.replace(/_/g, ' ')}: FAILED${c.hint ? ` (${c.hint})` : ''}`);
}
