// Turns the committed transactions the ledger handed over into findings a DBA reads: which table was dropped,
// truncated, or lost or changed many rows, named through the catalogs (the nearest backup's first, then the
// live one), with the evidence from the WAL and the restore targets around each. Pure.
//
// Telling DROP from TRUNCATE from a rewrite: all three drop the old files at commit. TRUNCATE and rewrites
// (VACUUM FULL, CLUSTER, ALTER TABLE ... TYPE) keep the table and give it new files created in the same
// transaction; a rewrite copies the rows into them (full-page images or heap inserts), TRUNCATE writes none.
// A table whose OID is gone from the live catalog, with no new files of its own, was dropped.
import type { MomentAction, MomentFinding, MomentRelation } from '../../shared/findMoment';
import type { ClosedTransaction, RowCounts } from './transactionLedger';
import { FIRST_USER_OID, isSystemRelation, owningTable, type CatalogIndex, type RelationCatalog } from './relationCatalog';
import { relFileKey, type RelFile } from './waldumpLine';

export interface FindingContext {
  index: CatalogIndex;
  /** The live catalog, to tell a table that is still there (TRUNCATE) from one that is gone (DROP). */
  live?: RelationCatalog;
  /** "the catalog of backup X (ended T)", for why a file has no name. */
  backupSource?: string;
  minRows: number;
  /** schema.table or table: only findings about it. */
  table?: string;
  timeline?: number;
}

const GRAVITY: Record<MomentAction, number> = { drop: 4, truncate: 3, delete: 2, update: 1 };

type Table = { oid: number; schema: string; name: string };

function parseKey(key: string): RelFile {
  const [spc, db, rel] = key.split('/').map(Number);
  return { spc: spc!, db: db!, rel: rel! };
}

function fileList(files: RelFile[]): string {
  const keys = files.map(relFileKey);
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
}

/** Does a relation name match what the DBA typed (schema.table, or a table in any schema)? */
export function matchesTable(name: string | undefined, wanted: string): boolean {
  if (!name) return false;
  // Unquoted identifiers are folded to lower case by PostgreSQL: ORDERS finds orders.
  return [wanted, wanted.toLowerCase()].some((w) => (w.includes('.') ? name === w : name.slice(name.indexOf('.') + 1) === w));
}

export function findingOf(t: ClosedTransaction, ctx: FindingContext): MomentFinding | undefined {
  const { index } = ctx;
  const relations = new Map<string, MomentRelation>();
  const evidence: string[] = [];
  const db = [...t.dropped, ...t.created, ...[...t.rows.keys()].map(parseKey)].find((f) => f.db !== 0)?.db ?? 0;
  const createdKeys = new Set(t.created.map(relFileKey));
  // Rows copied into the new files: a page past the first of any of them, or any page of the first one created
  // (the table's own file comes first, before its TOAST table and indexes, in TRUNCATE and rewrites alike).
  const anyWritten = [...t.writtenNew.values()].some((block) => block >= 1) || (t.created.length > 0 && t.writtenNew.has(relFileKey(t.created[0]!)));
  const at = `commit record at ${t.commitLsn} (transaction ${t.xid}, ${t.commitTime})`;

  const add = (key: string, r: Omit<MomentRelation, 'rowsDeleted' | 'rowsUpdated'>, rows?: RowCounts) => {
    const known = relations.get(key);
    if (known) {
      if (GRAVITY[r.action] > GRAVITY[known.action]) known.action = r.action;
      known.rowsDeleted += rows?.deleted ?? 0;
      known.rowsUpdated += rows?.updated ?? 0;
    } else relations.set(key, { ...r, rowsDeleted: rows?.deleted ?? 0, rowsUpdated: rows?.updated ?? 0 });
  };
  const liveTablesOf = (files: RelFile[]) => {
    const tables = new Map<number, { table: Table; heap?: RelFile }>();
    for (const f of files) {
      const r = index.resolve(f);
      if (!r || r.catalog !== ctx.live || isSystemRelation(r.relation)) continue;
      const table = owningTable(r.relation);
      const entry = tables.get(table.oid) ?? { table };
      if (!r.relation.owner) entry.heap = f;
      tables.set(table.oid, entry);
    }
    return [...tables.values()];
  };

  // 1. Files the commit record drops, by the table they belonged to.
  const groups = new Map<number, { table: Table; files: RelFile[]; source: string }>();
  const nameless: RelFile[] = [];
  for (const f of t.dropped) {
    if (f.db === 0) continue; // shared catalogs
    const r = index.resolve(f);
    if (!r) {
      if (f.rel >= FIRST_USER_OID) nameless.push(f);
      continue;
    }
    if (isSystemRelation(r.relation)) continue;
    const table = owningTable(r.relation);
    const g = groups.get(table.oid) ?? { table, files: [], source: r.catalog.source };
    g.files.push(f);
    groups.set(table.oid, g);
  }
  const newTables = liveTablesOf(t.created);
  for (const g of groups.values()) {
    const name = `${g.table.schema}.${g.table.name}`;
    const still = ctx.live ? index.byOidIn(ctx.live, db, g.table.oid) : undefined;
    const liveKnows = !!ctx.live?.databases.some((d) => d.oid === db && !d.error);
    let action: MomentAction | undefined;
    if (!liveKnows) {
      // Whether the table is still there is unknown: new files, none written, one per old one, mean TRUNCATE.
      action = !t.created.length ? 'drop' : anyWritten ? undefined : 'truncate';
      evidence.push(`Without the live catalog of this database, ${name} is judged by its files alone.`);
    } else if (still) {
      // The table is still there: its files were replaced. Judged by its live file when this transaction made it.
      const heapKey = relFileKey({ spc: still.relation.spc, db, rel: still.relation.filenode });
      const rewritten = createdKeys.has(heapKey) ? t.writtenNew.has(heapKey) : anyWritten;
      if (!rewritten) action = 'truncate';
      else evidence.push(`${at} replaces the files of ${name} with new ones holding its rows: a rewrite (VACUUM FULL, CLUSTER, ALTER TABLE), not a finding.`);
    } else if (!t.created.length || newTables.length) {
      action = 'drop';
      const again = newTables.find((n) => n.table.schema === g.table.schema && n.table.name === g.table.name);
      if (again) evidence.push(`${name} was created again in the same transaction (now OID ${again.table.oid}).`);
    } else {
      // New files that are gone too: a TRUNCATE (one new file per old one, none written) of a table dropped later.
      action = !anyWritten && t.created.length === g.files.length ? 'truncate' : anyWritten ? undefined : 'drop';
    }
    if (!action) continue;
    evidence.push(
      action === 'drop'
        ? `The ${at} drops the files of ${name} (${fileList(g.files)}); the name is from ${g.source}.`
        : `The ${at} drops the files of ${name} (${fileList(g.files)}) and the transaction created ${t.created.length} new, empty file(s) in their place: TRUNCATE. The name is from ${g.source}.`,
    );
    add(`t${g.table.oid}`, { name, oid: String(g.table.oid), file: relFileKey(g.files[0]!), namedBy: g.source, action });
  }
  if (nameless.length) {
    const why = unnamedReason(ctx, db);
    const replacing = newTables.filter((n) => n.heap);
    if (replacing.length && t.created.length === nameless.length) {
      // Old files no catalog knows, new ones the live catalog does: a table created after the backup, truncated.
      for (const n of replacing) {
        if (t.writtenNew.has(relFileKey(n.heap!))) continue;
        const name = `${n.table.schema}.${n.table.name}`;
        evidence.push(`The ${at} drops ${nameless.length} file(s) (${fileList(nameless)}) and creates new, empty ones that the live catalog gives to ${name} (${relFileKey(n.heap!)}): TRUNCATE of ${name}.`);
        add(`t${n.table.oid}`, { name, oid: String(n.table.oid), file: relFileKey(nameless[0]!), namedBy: 'its new files in the live catalog', action: 'truncate' });
      }
    } else if (!anyWritten) {
      const action: MomentAction = t.created.length === nameless.length ? 'truncate' : 'drop';
      evidence.push(`The ${at} drops ${nameless.length} file(s) no catalog names (${fileList(nameless)}): ${why}.`);
      add(`f${relFileKey(nameless[0]!)}`, { file: fileList(nameless), unresolved: why, action });
    }
  }

  // 2. TRUNCATE as a heap record (wal_level = logical names the tables by OID).
  for (const oid of t.truncatedOids) {
    const r = index.anyByOid(db, oid);
    const name = r ? `${r.relation.schema}.${r.relation.name}` : undefined;
    evidence.push(`A heap TRUNCATE record of the transaction names table OID ${oid}${name ? ` (${name})` : ''}.`);
    add(`t${oid}`, { name, oid: String(oid), file: r ? relFileKey({ spc: r.relation.spc, db, rel: r.relation.filenode }) : `OID ${oid}`, namedBy: r?.catalog.source, unresolved: r ? undefined : unnamedReason(ctx, db), action: 'truncate' });
  }

  // 3. Rows deleted or updated, per relation, at or above the threshold (the ledger kept only those).
  for (const [key, counts] of t.rows) {
    const file = parseKey(key);
    const r = index.resolve(file);
    if (r && (isSystemRelation(r.relation) || r.relation.kind === 't')) continue;
    if (!r && file.rel < FIRST_USER_OID) continue;
    const action: MomentAction = counts.deleted >= ctx.minRows ? 'delete' : 'update';
    const table = r && owningTable(r.relation);
    const name = table && `${table.schema}.${table.name}`;
    const why = r ? undefined : unnamedReason(ctx, db);
    evidence.push(`${counts.deleted} heap DELETE and ${counts.updated} UPDATE records of transaction ${t.xid} on ${key}${name ? ` (${name}, from ${r!.catalog.source})` : `: ${why}`}, committed by the ${at.replace(/ \(transaction \d+, /, ' (')}.`);
    add(table ? `t${table.oid}` : `f${key}`, { name, oid: table ? String(table.oid) : undefined, file: key, namedBy: r?.catalog.source, unresolved: why, action }, counts);
  }

  let list = [...relations.values()];
  if (ctx.table) {
    // A relation no catalog names may still be the table asked for: kept, and it says so.
    list = list.filter((r) => matchesTable(r.name, ctx.table!) || (!r.name && (r.action === 'drop' || r.action === 'truncate')));
  }
  if (!list.length) return undefined;
  if (t.subxacts.length) evidence.push(`Subtransactions committed with it: ${t.subxacts.join(', ')}.`);
  const action = list.reduce<MomentAction>((worst, r) => (GRAVITY[r.action] > GRAVITY[worst] ? r.action : worst), 'update');
  const xid = String(t.xid);
  return {
    action,
    xid,
    commitTime: t.commitTime,
    lsn: t.commitLsn,
    timeline: ctx.timeline,
    database: index.databaseName(db) ?? `OID ${db}`,
    relations: list.sort((a, b) => GRAVITY[b.action] - GRAVITY[a.action] || (a.name ?? a.file).localeCompare(b.name ?? b.file)),
    role: { source: 'unknown: WAL does not record who ran a statement' },
    evidence,
    before: { engine: 'postgres', target: { kind: 'xid', xid, inclusive: false, commitLsn: t.commitLsn } },
    after: { engine: 'postgres', target: { kind: 'xid', xid, inclusive: true, commitLsn: t.commitLsn } },
  };
}

function unnamedReason(ctx: FindingContext, db: number): string {
  const errors = ctx.index.databaseErrors(db);
  if (errors.length) return `its database's catalog could not be read (${errors.join('; ')})`;
  return `not in ${ctx.backupSource ?? 'any backup\'s catalog'} nor in the live catalog: created after that backup and gone since`;
}
