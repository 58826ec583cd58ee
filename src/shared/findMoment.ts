// What the doors see of "find the moment": the transactions in archived WAL (or SQL Server log backups) that
// dropped, truncated or mass-changed a table, each with its evidence and the restore targets just before and
// just after it.

/** What a transaction did to one relation. */
export type MomentAction = 'drop' | 'truncate' | 'delete' | 'update';

export interface MomentRelation {
  /** schema.table, when a catalog knew it. */
  name?: string;
  /** The relation's OID, when a catalog knew it. */
  oid?: string;
  /** Where its rows lived: tablespace/database/relfilenode (PostgreSQL), or the allocation unit's object (SQL Server). */
  file: string;
  /** Which catalog gave the name ("catalog of backup <id>", "live catalog", "its new files in the live catalog"). */
  namedBy?: string;
  /** Why there is no name, when there is none. */
  unresolved?: string;
  action: MomentAction;
  rowsDeleted: number;
  rowsUpdated: number;
}

/** Who ran it: WAL does not record it; a server log line may. */
export interface MomentRole {
  name?: string;
  /** Where the name came from, or why it is unknown. */
  source: string;
  /** The log line that named it (prefix and statement), when one did. */
  line?: string;
}

export interface MomentFinding {
  /** The finding's main action: the gravest of its relations' (drop, truncate, delete, update). */
  action: MomentAction;
  /** PostgreSQL: the top-level transaction id; SQL Server: the transaction id (e.g. 0000:000004d2). */
  xid: string;
  commitTime: string;
  /** PostgreSQL: the LSN of the commit record; SQL Server: the LSN of LOP_BEGIN_XACT (x:y:z). */
  lsn: string;
  timeline?: number;
  database: string;
  relations: MomentRelation[];
  role: MomentRole;
  /** Plain sentences: what the log says, record by record. */
  evidence: string[];
  /** The restore that stops just before it took effect, and the one just after, ready for the contract. */
  before: MomentTarget;
  after: MomentTarget;
}

/** A point to restore to, as the restore methods take it. */
export type MomentTarget =
  | { engine: 'postgres'; target: { kind: 'xid'; xid: string; inclusive: boolean; commitLsn: string } }
  | { engine: 'sqlserver'; stopBeforeMark?: string; stopAtMark?: string; stopAt: string };

export interface MomentScanView {
  serviceId: string;
  engine: 'postgres' | 'sqlserver';
  from: string;
  to: string;
  table?: string;
  minRows: number;
  scanned: { segments: number; bytes: number; first?: string; last?: string; tool: string };
  /** The catalogs that named relations, and what could not be read. */
  catalogs: string[];
  notes: string[];
  findings: MomentFinding[];
}

/** A table a DBA can look for: live now, or known to the nearest backup's catalog (dropped since). */
export interface MomentTableView {
  name: string;
  database: string;
  live: boolean;
  /** Where the name is known from. */
  source: string;
}
