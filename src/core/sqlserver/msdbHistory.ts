// The msdb backup history export: the query a DBA (or Lifeboat through the driver) runs, and its rows turned
// into SqlBackupSets. LSNs come as text (numeric(25,0) loses digits as a JS number) and dates as the server's
// local wall time with the set's time_zone beside them, converted here.
import type { SqlBackupSet, SqlBackupType } from '../../shared/sqlServer';
import { LifeboatError } from '../lifeboatError';
import { isLsn } from './sqlLsn';
import { formatUtcOffset } from './stopAtTime';

/** The columns in the order MSDB_HISTORY_QUERY returns them (a CSV saved without headers is read in this order). */
export const MSDB_HISTORY_COLUMNS = [
  'backup_set_id', 'database_name', 'type', 'first_lsn', 'last_lsn', 'checkpoint_lsn', 'database_backup_lsn',
  'differential_base_lsn', 'differential_base_guid', 'backup_start_date', 'backup_finish_date', 'time_zone',
  'server_utc_offset_minutes', 'is_copy_only', 'is_damaged', 'has_backup_checksums', 'recovery_model',
  'fork_point_lsn', 'family_guid', 'first_recovery_fork_guid', 'last_recovery_fork_guid', 'position', 'backup_size', 'compressed_backup_size', 'server_name',
  'family_sequence_number', 'physical_device_name',
] as const;

/** What the planner cannot do without; a header that lacks one of these is refused, naming it. */
export const REQUIRED_HISTORY_COLUMNS = ['database_name', 'type', 'first_lsn', 'last_lsn', 'checkpoint_lsn', 'backup_start_date', 'backup_finish_date'] as const;

const SELECT = `SELECT
  CONVERT(varchar(20), bs.backup_set_id) AS backup_set_id,
  bs.database_name,
  bs.type,
  CONVERT(varchar(25), bs.first_lsn) AS first_lsn,
  CONVERT(varchar(25), bs.last_lsn) AS last_lsn,
  CONVERT(varchar(25), bs.checkpoint_lsn) AS checkpoint_lsn,
  CONVERT(varchar(25), bs.database_backup_lsn) AS database_backup_lsn,
  CONVERT(varchar(25), bs.differential_base_lsn) AS differential_base_lsn,
  CONVERT(varchar(36), bs.differential_base_guid) AS differential_base_guid,
  CONVERT(varchar(23), bs.backup_start_date, 126) AS backup_start_date,
  CONVERT(varchar(23), bs.backup_finish_date, 126) AS backup_finish_date,
  bs.time_zone,
  DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) AS server_utc_offset_minutes,
  CONVERT(int, bs.is_copy_only) AS is_copy_only,
  CONVERT(int, bs.is_damaged) AS is_damaged,
  CONVERT(int, bs.has_backup_checksums) AS has_backup_checksums,
  bs.recovery_model,
  CONVERT(varchar(25), bs.fork_point_lsn) AS fork_point_lsn,
  CONVERT(varchar(36), bs.family_guid) AS family_guid,
  CONVERT(varchar(36), bs.first_recovery_fork_guid) AS first_recovery_fork_guid,
  CONVERT(varchar(36), bs.last_recovery_fork_guid) AS last_recovery_fork_guid,
  bs.position,
  CONVERT(varchar(20), bs.backup_size) AS backup_size,
  CONVERT(varchar(20), bs.compressed_backup_size) AS compressed_backup_size,
  bs.server_name,
  mf.family_sequence_number,
  mf.physical_device_name
FROM msdb.dbo.backupset AS bs
JOIN msdb.dbo.backupmediafamily AS mf ON mf.media_set_id = bs.media_set_id AND mf.mirror = 0
WHERE bs.type IN ('D', 'I', 'L')
  AND (@database IS NULL OR bs.database_name = @database)`;

const ORDER = `ORDER BY bs.database_name, bs.backup_finish_date, bs.backup_set_id, mf.family_sequence_number;`;

/**
 * One row per stripe (media family) of each backup set, mirrors left out: rowsToBackupSets joins the stripes in
 * family order. A row per stripe works on SQL Server 2012+ (STRING_AGG needs 2017) and needs no separator that
 * a path could contain. @database (nvarchar(128), NULL for every database) is bound by the caller.
 */
export const MSDB_HISTORY_QUERY = `${SELECT}\n${ORDER}`;

/**
 * The same query for sqlcmd or SSMS, with its variables declared. @since is the server's local time: pick a
 * date before the full backup the restore needs, or the chain cannot start.
 */
export const MSDB_HISTORY_EXPORT_SCRIPT = `SET NOCOUNT ON;
DECLARE @database sysname = NULL;   -- e.g. N'Sales'; NULL exports every database
DECLARE @since datetime = NULL;     -- e.g. '2026-11-01T00:00:00'; NULL exports all history
${SELECT}
  AND (@since IS NULL OR bs.backup_finish_date >= @since)
${ORDER}
`;

type Row = Record<string, unknown>;

/** A row value by column name, case-insensitively; "" and the text NULL count as NULL (CSV exports write them). */
function field(row: Row, name: string): unknown {
  let value = row[name];
  if (value === undefined) {
    const key = Object.keys(row).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : row[key];
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && (value.trim() === '' || value.trim().toUpperCase() === 'NULL')) return null;
  return value;
}

class RowReader {
  constructor(private readonly row: Row, private readonly where: string) {}

  bad(column: string, expected: string): never {
    throw new LifeboatError('INVALID_INPUT', `${this.where}, column ${column}: ${expected} (found ${JSON.stringify(field(this.row, column) ?? null)}).`, 'Export the history with the query in docs/sqlserver-restore-planning.md, with column headers.');
  }

  text(column: string): string {
    const v = field(this.row, column);
    if (v === null) this.bad(column, 'a value is required');
    return String(v).trim();
  }

  optionalText(column: string): string | null {
    const v = field(this.row, column);
    return v === null ? null : String(v).trim();
  }

  lsn(column: string): string {
    const v = this.optionalLsn(column);
    if (v === null) this.bad(column, 'an LSN is required');
    return v;
  }

  optionalLsn(column: string): string | null {
    const v = field(this.row, column);
    if (v === null) return null;
    if (typeof v === 'number' && !Number.isSafeInteger(v)) this.bad(column, 'the LSN arrived as a number and lost its last digits; select it with CONVERT(varchar(25), ...)');
    const text = String(v).trim().replace(/\.0+$/, '');
    if (!isLsn(text)) this.bad(column, 'expected a decimal LSN');
    return text;
  }

  int(column: string): number | null {
    const v = field(this.row, column);
    if (v === null) return null;
    const n = Number(v);
    if (!Number.isFinite(n)) this.bad(column, 'expected a number');
    return n;
  }

  bit(column: string): boolean {
    const v = field(this.row, column);
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    const t = String(v).trim().toLowerCase();
    if (t === '1' || t === 'true') return true;
    if (t === '0' || t === 'false') return false;
    return this.bad(column, 'expected 0 or 1');
  }

  /** A server-local datetime (style 126, or SSMS's "yyyy-mm-dd hh:mi:ss.mmm") as ISO with the set's offset. */
  localTime(column: string, offsetMinutes: number | null): string {
    const v = field(this.row, column);
    // A Date from the driver carries the local wall time labelled as UTC (mssql's default): read its UTC fields.
    const text = v instanceof Date ? v.toISOString().slice(0, 23) : String(v ?? '').trim().replace(' ', 'T');
    if (v === null) this.bad(column, 'a date is required');
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
    if (!m) this.bad(column, 'expected a date like 2026-11-25T10:00:00.000');
    if (m[3]) return text; // already zoned
    const ms = (m[2] ?? '.000').slice(0, 4).padEnd(4, '0');
    return `${m[1]}${ms}${offsetMinutes === null ? 'Z' : formatUtcOffset(offsetMinutes)}`;
  }
}

const TYPES = new Set(['D', 'I', 'L', 'F', 'G', 'P', 'Q']);
const MODELS = { FULL: 'FULL', 'BULK-LOGGED': 'BULK-LOGGED', BULK_LOGGED: 'BULK-LOGGED', SIMPLE: 'SIMPLE' } as const;

/** The server's offset when the set was taken: time_zone is in 15-minute units, 127 means unknown. */
function offsetOf(r: RowReader): number | null {
  const tz = r.int('time_zone');
  if (tz !== null && tz !== 127 && Math.abs(tz) <= 56) return tz * 15;
  return r.int('server_utc_offset_minutes');
}

function rowToSet(r: RowReader): { set: SqlBackupSet; family: number; device: string | null } {
  const type = r.text('type').toUpperCase();
  if (!TYPES.has(type)) r.bad('type', 'expected D, I or L');
  const model = r.optionalText('recovery_model')?.toUpperCase() ?? 'FULL';
  if (!(model in MODELS)) r.bad('recovery_model', 'expected FULL, BULK-LOGGED or SIMPLE');
  const offset = offsetOf(r);
  const firstLsn = r.lsn('first_lsn');
  const lastLsn = r.lsn('last_lsn');
  const set: SqlBackupSet = {
    // An export without backup_set_id: the set is named by its kind and LSN range, which its stripes share.
    id: r.optionalText('backup_set_id') ?? `${type}:${firstLsn}-${lastLsn}`,
    databaseName: r.text('database_name'),
    type: type as SqlBackupType,
    firstLsn,
    lastLsn,
    checkpointLsn: r.lsn('checkpoint_lsn'),
    databaseBackupLsn: r.optionalLsn('database_backup_lsn') ?? '0',
    // msdb fills differential_base_lsn on fulls too (the base they replace); the plan reads it only for the others.
    differentialBaseLsn: type === 'D' ? null : r.optionalLsn('differential_base_lsn'),
    differentialBaseGuid: r.optionalText('differential_base_guid'),
    backupStartDate: r.localTime('backup_start_date', offset),
    backupFinishDate: r.localTime('backup_finish_date', offset),
    isCopyOnly: r.bit('is_copy_only'),
    isDamaged: r.bit('is_damaged'),
    hasBackupChecksums: r.bit('has_backup_checksums'),
    recoveryModel: MODELS[model as keyof typeof MODELS],
    forkPointLsn: r.optionalLsn('fork_point_lsn'),
    devices: [],
    position: r.int('position') ?? 1,
    timeZoneOffsetMinutes: offset,
  };
  const familyGuid = r.optionalText('family_guid');
  if (familyGuid) set.familyGuid = familyGuid;
  const firstFork = r.optionalText('first_recovery_fork_guid');
  const lastFork = r.optionalText('last_recovery_fork_guid');
  if (firstFork) set.firstRecoveryForkGuid = firstFork;
  if (lastFork) set.lastRecoveryForkGuid = lastFork;
  const size = r.int('backup_size');
  if (size !== null) set.backupSizeBytes = size;
  const compressed = r.int('compressed_backup_size');
  if (compressed !== null) set.compressedSizeBytes = compressed;
  const server = r.optionalText('server_name');
  if (server) set.serverName = server;
  return { set, family: r.int('family_sequence_number') ?? 1, device: r.optionalText('physical_device_name') };
}

/**
 * Backup sets from MSDB_HISTORY_QUERY rows: the rows of one set (one per stripe) become one set with its
 * devices in family order. `where` names a row in errors (a file's line number, say).
 */
export function rowsToBackupSets(rows: Record<string, unknown>[], where: (index: number) => string = (i) => `Row ${i + 1}`): SqlBackupSet[] {
  const sets = new Map<string, { set: SqlBackupSet; stripes: Array<{ family: number; device: string }> }>();
  for (const [i, row] of rows.entries()) {
    const { set, family, device } = rowToSet(new RowReader(row, where(i)));
    // The database too: an id made from an LSN range (an export without backup_set_id) is unique per database only.
    const key = `${set.serverName ?? ''}\u0000${set.databaseName}\u0000${set.id}`;
    let entry = sets.get(key);
    if (!entry) sets.set(key, (entry = { set, stripes: [] }));
    if (device && !entry.stripes.some((s) => s.family === family && s.device === device)) entry.stripes.push({ family, device });
  }
  return [...sets.values()].map(({ set, stripes }) => ({ ...set, devices: stripes.sort((a, b) => a.family - b.family).map((s) => s.device) }));
}
