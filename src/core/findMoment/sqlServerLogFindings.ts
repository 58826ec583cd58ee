// SQL Server's side of "find the moment", on plain rows: what fn_dump_dblog (a log backup) and fn_dblog (the
// active log) return for the operations that matter, turned into findings per transaction. A DROP TABLE is a
// transaction named DROPOBJ, a TRUNCATE TABLE one named TRUNCATE TABLE, each taking a schema-modification lock
// on the table's object ID; a mass DELETE or UPDATE is a burst of LOP_DELETE_ROWS or LOP_MODIFY_ROW records on
// the table's heap or clustered index (nonclustered index rows are the same rows again, so they are not
// counted). LOP_BEGIN_XACT carries the transaction's begin time and its login's SID. Pure.
import type { MomentAction, MomentFinding, MomentRelation } from '../../shared/findMoment';
import { parseLsn } from '../sqlserver/sqlLsn';
import { formatUtcOffset } from '../sqlserver/stopAtTime';
import { matchesTable } from './momentFindings';

/** The columns SQL_LOG_COLUMNS selects, as the driver returns them. */
export interface SqlLogRow {
  lsn: string;
  operation: string;
  context: string | null;
  xact: string;
  alloc_unit: string | null;
  xact_name: string | null;
  begin_time: string | null;
  end_time: string | null;
  login: string | null;
  lock_info: string | null;
}

export interface SqlLogSource {
  /** "log backup 104 (D:\...\orders_LOG_...trn)" or "the active log". */
  label: string;
  /** The server's UTC offset when these records were written (msdb's time_zone), for their local times. */
  offsetMinutes: number;
  rows: SqlLogRow[];
}

interface Transaction {
  xact: string;
  beginLsn?: string;
  name?: string;
  beginTime?: string;
  login?: string;
  commitLsn?: string;
  commitTime?: string;
  aborted?: boolean;
  schemaLocked?: number;
  deleted: Map<string, number>;
  updated: Map<string, number>;
  source: string;
}

const COUNTED_CONTEXTS = new Set(['LCX_HEAP', 'LCX_CLUSTERED']);

/** "2026/11/25 00:30:00:123" in the server's local time → ISO UTC. */
export function logTimeToIso(text: string, offsetMinutes: number): string | undefined {
  const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d):(\d{3})$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}${formatUtcOffset(offsetMinutes)}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The table an allocation unit belongs to: "dbo.orders.PK_orders" and "dbo.orders" are dbo.orders. */
export function tableOfAllocUnit(allocUnit: string): string {
  const parts = allocUnit.split('.');
  return parts.slice(0, 2).join('.');
}

/** The object a schema-modification lock was taken on: "HoBt 0:ACQUIRE_LOCK_SCH_M OBJECT: 8:245575913:0". */
export function schemaLockedObject(lockInfo: string): number | undefined {
  const m = /ACQUIRE_LOCK_SCH_M OBJECT: \d+:(\d+):/.exec(lockInfo);
  return m ? Number(m[1]) : undefined;
}

export interface SqlFindingOptions {
  database: string;
  minRows: number;
  from: string;
  to: string;
  table?: string;
  /** Object ID → schema.table for the objects still in the database (a truncated table is; a dropped one not). */
  objectNames: Map<number, string>;
}

/** Object IDs that DROPOBJ and TRUNCATE TABLE transactions locked: ask the database for their names. */
export function lockedObjects(sources: SqlLogSource[]): number[] {
  const ids = new Set<number>();
  for (const s of sources) for (const r of s.rows) if (r.operation === 'LOP_LOCK_XACT' && r.lock_info) {
    const id = schemaLockedObject(r.lock_info);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

export function sqlServerFindings(sources: SqlLogSource[], o: SqlFindingOptions): MomentFinding[] {
  const open = new Map<string, Transaction>();
  const closed: Transaction[] = [];
  for (const source of sources) {
    for (const r of source.rows) {
      let t = open.get(r.xact);
      if (!t) {
        t = { xact: r.xact, deleted: new Map(), updated: new Map(), source: source.label };
        open.set(r.xact, t);
      }
      switch (r.operation) {
        case 'LOP_BEGIN_XACT':
          t.beginLsn = r.lsn;
          t.name = r.xact_name ?? undefined;
          t.beginTime = r.begin_time ? logTimeToIso(r.begin_time, source.offsetMinutes) : undefined;
          t.login = r.login ?? undefined;
          break;
        case 'LOP_LOCK_XACT':
          if (r.lock_info && t.schemaLocked === undefined) t.schemaLocked = schemaLockedObject(r.lock_info);
          break;
        case 'LOP_DELETE_ROWS':
        case 'LOP_MODIFY_ROW':
        case 'LOP_MODIFY_COLUMNS': {
          if (!r.alloc_unit || !COUNTED_CONTEXTS.has(r.context ?? '') || r.alloc_unit.startsWith('sys.')) break;
          const counts = r.operation === 'LOP_DELETE_ROWS' ? t.deleted : t.updated;
          const table = tableOfAllocUnit(r.alloc_unit);
          counts.set(table, (counts.get(table) ?? 0) + 1);
          break;
        }
        case 'LOP_COMMIT_XACT':
        case 'LOP_ABORT_XACT':
          t.commitLsn = r.lsn;
          t.commitTime = r.end_time ? logTimeToIso(r.end_time, source.offsetMinutes) : undefined;
          t.aborted = r.operation === 'LOP_ABORT_XACT';
          open.delete(r.xact);
          if (!t.aborted) closed.push(t);
          break;
      }
    }
  }
  const fromMs = Date.parse(o.from);
  const toMs = Date.parse(o.to);
  return closed.flatMap((t) => {
    if (!t.commitTime || !t.commitLsn || !t.beginLsn) return [];
    const at = Date.parse(t.commitTime);
    if (at < fromMs || at > toMs) return [];
    const finding = findingOf(t, o);
    return finding ? [finding] : [];
  });
}

function findingOf(t: Transaction, o: SqlFindingOptions): MomentFinding | undefined {
  const relations: MomentRelation[] = [];
  const evidence: string[] = [];
  const begin = String(parseLsn(t.beginLsn!));
  const commit = String(parseLsn(t.commitLsn!));
  const ddl: MomentAction | undefined = t.name === 'DROPOBJ' ? 'drop' : t.name === 'TRUNCATE TABLE' ? 'truncate' : undefined;
  if (ddl) {
    const id = t.schemaLocked;
    const name = id === undefined ? undefined : o.objectNames.get(id);
    const unresolved =
      name || id === undefined
        ? id === undefined
          ? 'the transaction took no schema-modification lock on a table'
          : undefined
        : `object ${id} is no longer in sys.objects: SQL Server's log names a dropped table by its object ID only (restore to just before it and run SELECT OBJECT_SCHEMA_NAME(${id}), OBJECT_NAME(${id}) in the copy)`;
    evidence.push(`Transaction ${t.xact} is named ${t.name} (LOP_BEGIN_XACT at ${t.beginLsn}, ${t.beginTime ?? 'no begin time'}) and took a schema-modification lock on object ${id ?? '?'}${name ? ` (${name}, from sys.objects)` : ''}; committed at ${t.commitLsn} (${t.commitTime}), in ${t.source}.`);
    relations.push({ name, oid: id === undefined ? undefined : String(id), file: `object ${id ?? '?'}`, namedBy: name ? 'sys.objects of the database' : undefined, unresolved, action: ddl, rowsDeleted: 0, rowsUpdated: 0 });
  }
  for (const table of new Set([...t.deleted.keys(), ...t.updated.keys()])) {
    const deleted = t.deleted.get(table) ?? 0;
    const updated = t.updated.get(table) ?? 0;
    if (deleted < o.minRows && updated < o.minRows) continue;
    evidence.push(`${deleted} LOP_DELETE_ROWS and ${updated} LOP_MODIFY_ROW records on ${table} (heap or clustered index) in transaction ${t.xact}${t.name ? ` (${t.name})` : ''}, in ${t.source}.`);
    const known = relations.find((r) => r.name === table);
    if (known) {
      known.rowsDeleted += deleted;
      known.rowsUpdated += updated;
    } else relations.push({ name: table, file: table, namedBy: 'the allocation unit names in the log', action: deleted >= o.minRows ? 'delete' : 'update', rowsDeleted: deleted, rowsUpdated: updated });
  }
  const wanted = o.table ? relations.filter((r) => matchesTable(r.name, o.table!) || (!r.name && (r.action === 'drop' || r.action === 'truncate'))) : relations;
  if (!wanted.length) return undefined;
  const order: MomentAction[] = ['drop', 'truncate', 'delete', 'update'];
  const action = order.find((a) => wanted.some((r) => r.action === a))!;
  return {
    action,
    xid: t.xact,
    commitTime: t.commitTime!,
    lsn: begin,
    database: o.database,
    relations: wanted,
    role: t.login
      ? { name: t.login, source: "the transaction log: LOP_BEGIN_XACT's Transaction SID, named by SUSER_SNAME()" }
      : { source: 'unknown: the transaction log gave no Transaction SID for it' },
    evidence,
    before: { engine: 'sqlserver', stopBeforeMark: `lsn:${begin}`, stopAt: t.beginTime ?? t.commitTime! },
    after: { engine: 'sqlserver', stopAtMark: `lsn:${commit}`, stopAt: t.commitTime! },
  };
}
