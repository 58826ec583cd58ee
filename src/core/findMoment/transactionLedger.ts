// Follows transactions through pg_waldump's records and hands over each committed one that dropped files,
// replaced files, or deleted or updated many rows of one relation: what a DBA hunting a DROP, TRUNCATE or
// mass DELETE needs, with no names yet (momentFindings.ts puts names on it). Records of subtransactions are
// kept under their own xid until the top-level commit record lists them; an abort forgets them.
import { forEachMainBlockRef, parseRelPath, relFileKey, type RelFile, type WaldumpLine } from './waldumpLine';

export interface RowCounts {
  deleted: number;
  updated: number;
}

export interface ClosedTransaction {
  /** The top-level transaction id (for a prepared transaction, the one it was prepared under). */
  xid: number;
  subxacts: number[];
  commitLsn: string;
  /** ISO 8601 with the microseconds the commit record carries, UTC. */
  commitTime: string;
  /** Relation files the commit record drops (main forks): DROP, or the old files of TRUNCATE and rewrites. */
  dropped: RelFile[];
  /** Relation files created in the transaction (Storage CREATE, main fork). */
  created: RelFile[];
  /**
   * Created files that received pages or rows in the transaction (key → highest block written): a rewrite
   * copies the rows into its new files, TRUNCATE writes at most an empty index's metapage (block 0).
   */
  writtenNew: Map<string, number>;
  /** Per relation file key: heap rows deleted and updated, for those at or above the threshold. */
  rows: Map<string, RowCounts>;
  /** Table OIDs of a heap TRUNCATE record (written at wal_level = logical). */
  truncatedOids: number[];
}

interface OpenTransaction {
  rows?: Map<string, RowCounts>;
  created?: RelFile[];
  writtenNew?: Map<string, number>;
  truncatedOids?: number[];
}

/** "2026-11-25 14:03:00.123456 UTC" (pg_waldump run with TZ=UTC) → 2026-11-25T14:03:00.123456Z. */
export function waldumpTimeToIso(text: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC$/.exec(text.trim());
  return m ? `${m[1]}T${m[2]}Z` : undefined;
}

/** The parts of a commit or abort record's description: "[<2pc xid>: ]<time>; rels: ...; subxacts: ...; ...". */
export function parseTransactionEnd(desc: string): { twoPhaseXid?: number; time?: string; rels: RelFile[]; subxacts: number[] } {
  const parts = desc.split('; ');
  let head = parts[0] ?? '';
  let twoPhaseXid: number | undefined;
  const prepared = /^(\d+): (.*)$/.exec(head);
  if (prepared) {
    twoPhaseXid = Number(prepared[1]);
    head = prepared[2]!;
  }
  const rels: RelFile[] = [];
  const subxacts: number[] = [];
  for (const part of parts.slice(1)) {
    if (part.startsWith('rels:')) {
      for (const path of part.slice(5).trim().split(' ')) {
        const file = path && parseRelPath(path);
        if (file) rels.push(file);
      }
    } else if (part.startsWith('subxacts:')) {
      for (const x of part.slice(9).trim().split(' ')) if (x) subxacts.push(Number(x));
    }
  }
  return { twoPhaseXid, time: waldumpTimeToIso(head), rels, subxacts };
}

export class TransactionLedger {
  private readonly open = new Map<number, OpenTransaction>();

  constructor(
    private readonly minRows: number,
    private readonly onClosed: (t: ClosedTransaction) => void,
  ) {}

  /** Transactions with records seen and no end yet. */
  get openTransactions(): number {
    return this.open.size;
  }

  add(r: WaldumpLine): void {
    switch (r.rmgr) {
      case 'Heap':
        return this.heap(r);
      case 'Transaction':
        return this.transaction(r);
      case 'Storage':
        if (r.op === 'CREATE' && r.xid !== 0) {
          const file = parseRelPath(r.desc.trim());
          if (file) ((this.entry(r.xid).created ??= [])).push(file);
        }
        return;
      case 'XLOG':
        // A rewrite (VACUUM FULL, CLUSTER) copies pages into its new files as full-page images.
        if (r.xid !== 0 && r.op.startsWith('FPI')) {
          const t = this.open.get(r.xid);
          if (t?.created) forEachMainBlockRef(r.desc, (file, block) => this.markWritten(t, file, block));
        }
        return;
    }
  }

  /** A heap row deleted or updated by a transaction, in the relation whose files are `key` ("spc/db/rel"). */
  rowChange(xid: number, key: string, deleted: boolean): void {
    const t = this.entry(xid);
    const rows = (t.rows ??= new Map());
    const counts = rows.get(key);
    if (counts) {
      if (deleted) counts.deleted++;
      else counts.updated++;
    } else rows.set(key, { deleted: deleted ? 1 : 0, updated: deleted ? 0 : 1 });
  }

  /** A heap row inserted into `key`'s block: it matters only in files the transaction created (a rewrite copies rows). */
  rowInserted(xid: number, key: string, block: number): void {
    const t = this.open.get(xid);
    if (!t?.created?.some((c) => relFileKey(c) === key)) return;
    const written = (t.writtenNew ??= new Map());
    written.set(key, Math.max(block, written.get(key) ?? 0));
  }

  /** A heap TRUNCATE record (written at wal_level = logical): the table OIDs it empties. */
  truncated(xid: number, oids: number[]): void {
    (this.entry(xid).truncatedOids ??= []).push(...oids);
  }

  /** Whether the transaction created relation files (its heap inserts then matter: a rewrite copies rows). */
  createdFiles(xid: number): boolean {
    return this.open.get(xid)?.created !== undefined;
  }

  /**
   * The end of a transaction whose record lists no files and no subtransactions: most of them changed a few rows
   * and are forgotten at once; only one that might be a finding has its record read in full (`record`).
   */
  endPlain(xid: number, record: () => WaldumpLine | undefined): void {
    const t = this.open.get(xid);
    if (!t) return;
    let worth = t.created !== undefined || t.truncatedOids !== undefined;
    if (!worth && t.rows) for (const c of t.rows.values()) if (c.deleted >= this.minRows || c.updated >= this.minRows) worth = true;
    if (!worth) {
      this.open.delete(xid);
      return;
    }
    const r = record();
    if (r) this.add(r);
  }

  private entry(xid: number): OpenTransaction {
    let t = this.open.get(xid);
    if (!t) {
      t = {};
      this.open.set(xid, t);
    }
    return t;
  }

  private markWritten(t: OpenTransaction, file: RelFile, block: number): void {
    const key = relFileKey(file);
    if (!t.created!.some((c) => relFileKey(c) === key)) return;
    const written = (t.writtenNew ??= new Map());
    written.set(key, Math.max(block, written.get(key) ?? 0));
  }

  private heap(r: WaldumpLine): void {
    const op = r.op;
    const deleted = op === 'DELETE';
    const updated = op === 'UPDATE' || op === 'HOT_UPDATE' || op === 'UPDATE+INIT' || op === 'HOT_UPDATE+INIT';
    if (deleted || updated) {
      const at = r.desc.indexOf('blkref #0: rel ');
      if (at < 0) return;
      const from = at + 15;
      let end = r.desc.indexOf(' ', from);
      if (end < 0) end = r.desc.length;
      if (r.desc.charCodeAt(end - 1) === 44) end--; // "1663/5/16384, blk 0" (16 on)
      if (r.desc.startsWith(' fork', end) || r.desc.startsWith(', fork', end)) return;
      return this.rowChange(r.xid, r.desc.slice(from, end), deleted);
    }
    if (op === 'INSERT' || op === 'INSERT+INIT') {
      const t = this.open.get(r.xid);
      if (t?.created) forEachMainBlockRef(r.desc, (file, block) => this.markWritten(t, file, block));
      return;
    }
    if (op === 'TRUNCATE') {
      // "[cascade ][restart_seqs ]nrelids N relids A B"
      const m = /relids((?: \d+)+)\s*$/.exec(r.desc);
      if (m) (this.entry(r.xid).truncatedOids ??= []).push(...m[1]!.trim().split(' ').map(Number));
    }
  }

  private transaction(r: WaldumpLine): void {
    const commit = r.op === 'COMMIT' || r.op === 'COMMIT_PREPARED';
    const abort = r.op === 'ABORT' || r.op === 'ABORT_PREPARED';
    if (!commit && !abort) return;
    const end = parseTransactionEnd(r.desc);
    const xid = end.twoPhaseXid ?? r.xid;
    const parts = [xid, ...end.subxacts].map((x) => this.open.get(x));
    for (const x of [xid, ...end.subxacts]) this.open.delete(x);
    if (abort || !end.time) return;
    const closed: ClosedTransaction = { xid, subxacts: end.subxacts, commitLsn: r.lsn, commitTime: end.time, dropped: end.rels, created: [], writtenNew: new Map(), rows: new Map(), truncatedOids: [] };
    for (const p of parts) {
      if (!p) continue;
      if (p.created) closed.created.push(...p.created);
      if (p.writtenNew) for (const [k, b] of p.writtenNew) closed.writtenNew.set(k, Math.max(b, closed.writtenNew.get(k) ?? 0));
      if (p.truncatedOids) closed.truncatedOids.push(...p.truncatedOids);
      if (p.rows)
        for (const [key, c] of p.rows) {
          const sum = closed.rows.get(key);
          if (sum) {
            sum.deleted += c.deleted;
            sum.updated += c.updated;
          } else closed.rows.set(key, { ...c });
        }
    }
    for (const [key, c] of closed.rows) if (c.deleted < this.minRows && c.updated < this.minRows) closed.rows.delete(key);
    if (closed.dropped.length || closed.rows.size || closed.truncatedOids.length) this.onClosed(closed);
  }
}
