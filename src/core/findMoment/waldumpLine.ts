// Reads one line of pg_waldump's output (PostgreSQL 13 to 18) into the few facts the moment finder needs:
// resource manager, transaction, LSN, the record's kind and what follows it. The line's head is fixed by
// pg_waldump's printf ("rmgr: %-11s len (rec/tot): %6u/%8u, tx: %10u, lsn: %X/%08X, prev %X/%08X, desc: ...");
// the description is each resource manager's own text, read in transactionLedger.ts.

export interface WaldumpLine {
  rmgr: string;
  xid: number;
  lsn: string;
  /** The record's kind as pg_waldump names it: COMMIT, DELETE, HOT_UPDATE, CREATE, FPI... */
  op: string;
  /** The rest of the description, block references included. */
  desc: string;
}

/** Undefined for lines that are not records (pg_waldump's errors go to stderr, but be safe). */
export function readWaldumpLine(line: string): WaldumpLine | undefined {
  if (!line.startsWith('rmgr: ')) return undefined;
  const rmgrEnd = line.indexOf(' ', 6);
  const txAt = line.indexOf('tx:', rmgrEnd);
  const lsnAt = line.indexOf('lsn: ', txAt);
  const descAt = line.indexOf('desc: ', lsnAt);
  if (rmgrEnd < 0 || txAt < 0 || lsnAt < 0 || descAt < 0) return undefined;
  const lsnEnd = line.indexOf(',', lsnAt);
  const opAt = descAt + 6;
  let opEnd = line.indexOf(' ', opAt);
  if (opEnd < 0) opEnd = line.length;
  // "COMMIT 2026-...;" has no space before a ';' or ','; "UPDATE+INIT" keeps its suffix.
  let op = line.slice(opAt, opEnd);
  if (op.endsWith(',') || op.endsWith(';')) op = op.slice(0, -1);
  return {
    rmgr: line.slice(6, rmgrEnd),
    xid: Number(line.slice(txAt + 3, lsnAt - 2).trim()),
    lsn: line.slice(lsnAt + 5, lsnEnd),
    op,
    desc: line.slice(Math.min(opEnd + 1, line.length)),
  };
}

/** A relation's storage as PostgreSQL names it: tablespace/database/relfilenode. */
export interface RelFile {
  spc: number;
  db: number;
  rel: number;
}

export const GLOBALTABLESPACE_OID = 1664;
export const DEFAULTTABLESPACE_OID = 1663;

export function relFileKey(f: RelFile): string {
  return `${f.spc}/${f.db}/${f.rel}`;
}

/**
 * A relation path of the main fork, as relpathperm() prints it in commit and smgr records: base/<db>/<rel>,
 * global/<rel>, pg_tblspc/<spc>/<version dir>/<db>/<rel>. Other forks (_fsm, _vm, _init) give undefined.
 */
export function parseRelPath(path: string): RelFile | undefined {
  let m = /^base\/(\d+)\/(\d+)$/.exec(path);
  if (m) return { spc: DEFAULTTABLESPACE_OID, db: Number(m[1]), rel: Number(m[2]) };
  m = /^global\/(\d+)$/.exec(path);
  if (m) return { spc: GLOBALTABLESPACE_OID, db: 0, rel: Number(m[1]) };
  m = /^pg_tblspc\/(\d+)\/[^/]+\/(\d+)\/(\d+)$/.exec(path);
  if (m) return { spc: Number(m[1]), db: Number(m[2]), rel: Number(m[3]) };
  return undefined;
}

/**
 * The block references of a record's line: ", blkref #0: rel 1663/5/16384 blk 0" (PostgreSQL 13 to 15) or
 * "blkref #0: rel 1663/5/16384, blk 0" (16 on); " fork fsm|vm|init" marks a block outside the main fork,
 * which is left out. Calls `each` per main-fork reference.
 */
export function forEachMainBlockRef(desc: string, each: (file: RelFile, block: number) => void): void {
  let at = desc.indexOf('blkref #');
  while (at >= 0) {
    const relAt = desc.indexOf('rel ', at);
    if (relAt < 0) return;
    const m = /^rel (\d+)\/(\d+)\/(\d+)(,?) (fork (\w+),? )?blk (\d+)/.exec(desc.slice(relAt, relAt + 80));
    if (m && !m[5]) each({ spc: Number(m[1]), db: Number(m[2]), rel: Number(m[3]) }, Number(m[7]));
    at = desc.indexOf('blkref #', relAt);
  }
}
