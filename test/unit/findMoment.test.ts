// The moment finder's decisions on plain data: pg_waldump lines (copied from PostgreSQL 15's output) through the
// ledger, findings named through catalogs (DROP, TRUNCATE, a rewrite that is no finding, a mass DELETE, a table
// created after the backup), the scan's segments for a time range, and server log lines matched to a finding.
import { describe, expect, it } from 'vitest';
import { findingOf, matchesTable } from '../../src/core/findMoment/momentFindings';
import { CatalogIndex, type CatalogRelation, type RelationCatalog } from '../../src/core/findMoment/relationCatalog';
import { planScanSegments } from '../../src/core/findMoment/scanSegments';
import { matchStatement, prefixPattern, readJsonLine, readStderrLine, statementFits } from '../../src/core/findMoment/serverLogLines';
import { parseTransactionEnd, TransactionLedger, type ClosedTransaction } from '../../src/core/findMoment/transactionLedger';
import { parseRelPath, readWaldumpLine } from '../../src/core/findMoment/waldumpLine';
import { momentLineSink } from '../../src/core/findMoment/momentLines';
import { LineSplitter } from '../../src/core/findMoment/waldumpBytes';
import { continuationEnd } from '../../src/core/findMoment/waldumpScan';
import type { WalEntry } from '../../src/core/wal/walArchive';

const line = (rmgr: string, xid: number, lsn: string, desc: string) => `rmgr: ${rmgr.padEnd(11)} len (rec/tot):     54/    54, tx: ${String(xid).padStart(10)}, lsn: ${lsn}, prev 0/0152C700, desc: ${desc}`;

/** The ledger fed line by line as text, and (checked to agree) as pg_waldump's output read in place. */
function ledgerOf(lines: string[], minRows = 100): ClosedTransaction[] {
  const closed: ClosedTransaction[] = [];
  const ledger = new TransactionLedger(minRows, (t) => closed.push(t));
  for (const l of lines) ledger.add(readWaldumpLine(l)!);
  const inPlace: ClosedTransaction[] = [];
  const splitter = new LineSplitter(momentLineSink(new TransactionLedger(minRows, (t) => inPlace.push(t))));
  // Cut anywhere: a line split between two chunks reads the same.
  const output = Buffer.from(lines.join('\n') + '\n', 'latin1');
  splitter.push(output.subarray(0, 37));
  splitter.push(output.subarray(37));
  splitter.end();
  expect(inPlace).toEqual(closed);
  return closed;
}

const rel = (oid: number, filenode: number, name: string, kind = 'r', owner?: CatalogRelation['owner']): CatalogRelation => ({ oid, filenode, spc: 1663, schema: 'public', name, kind, owner });
const catalog = (source: string, relations: CatalogRelation[]): RelationCatalog => ({ source, databases: [{ oid: 5, name: 'shop', relations }] });
const ORDERS = { oid: 16384, schema: 'public', name: 'orders' };
const backupCatalog = catalog('the catalog of backup b1', [rel(16384, 16384, 'orders'), rel(16387, 16387, 'pg_toast_16384', 't', ORDERS), rel(16388, 16388, 'pg_toast_16384_index', 'i', ORDERS), rel(16389, 16389, 'orders_pkey', 'i', ORDERS), rel(1259, 1259, 'pg_class')]);

describe('pg_waldump lines', () => {
  it('reads the head of a record and relation paths', () => {
    expect(readWaldumpLine(line('Heap', 727, '0/0152C728', 'DELETE off 151 flags 0x00 KEYS_UPDATED , blkref #0: rel 1663/5/16384 blk 0'))).toEqual({
      rmgr: 'Heap',
      xid: 727,
      lsn: '0/0152C728',
      op: 'DELETE',
      desc: 'off 151 flags 0x00 KEYS_UPDATED , blkref #0: rel 1663/5/16384 blk 0',
    });
    expect(readWaldumpLine('pg_waldump: error: error in WAL record at 0/1534BC0')).toBeUndefined();
    expect(parseRelPath('base/5/16391')).toEqual({ spc: 1663, db: 5, rel: 16391 });
    expect(parseRelPath('pg_tblspc/16400/PG_15_202209061/5/16391')).toEqual({ spc: 16400, db: 5, rel: 16391 });
    expect(parseRelPath('global/1262')).toEqual({ spc: 1664, db: 0, rel: 1262 });
    expect(parseRelPath('base/5/16391_fsm')).toBeUndefined();
  });

  it('reads commit records: time, dropped files, subtransactions, two-phase', () => {
    expect(parseTransactionEnd('2026-12-07 02:49:51.702183 UTC; rels: base/5/16388 base/5/16384; dropped stats: 2/5/16399; inval msgs: catcache 55')).toEqual({
      twoPhaseXid: undefined,
      time: '2026-12-07T02:49:51.702183Z',
      rels: [{ spc: 1663, db: 5, rel: 16388 }, { spc: 1663, db: 5, rel: 16384 }],
      subxacts: [],
    });
    expect(parseTransactionEnd('741: 2026-12-07 02:49:51.7 UTC; subxacts: 742 743')).toMatchObject({ twoPhaseXid: 741, time: '2026-12-07T02:49:51.7Z', subxacts: [742, 743] });
  });
});

describe('the transaction ledger', () => {
  it('counts rows per relation across subtransactions, and forgets aborted ones', () => {
    const deletes = (xid: number, n: number) => Array.from({ length: n }, (_, i) => line('Heap', xid, '0/1', `DELETE off ${i} flags 0x00 KEYS_UPDATED , blkref #0: rel 1663/5/16384 blk 0`));
    const closed = ledgerOf([
      ...deletes(727, 60),
      ...deletes(728, 60),
      ...deletes(729, 500),
      line('Transaction', 729, '0/2', 'ABORT 2026-12-07 02:49:51.69 UTC'),
      line('Heap', 730, '0/3', 'HOT_UPDATE off 5 xmax 730 flags 0x60 ; new off 7 xmax 0, blkref #0: rel 1663/5/16390 blk 0'),
      line('Transaction', 730, '0/4', 'COMMIT 2026-12-07 02:49:51.69 UTC'),
      line('Transaction', 727, '0/0152D2A8', 'COMMIT 2026-12-07 02:49:51.692674 UTC; subxacts: 728'),
    ]);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ xid: 727, subxacts: [728], commitLsn: '0/0152D2A8', commitTime: '2026-12-07T02:49:51.692674Z' });
    expect([...closed[0]!.rows]).toEqual([['1663/5/16384', { deleted: 120, updated: 0 }]]);
  });

  it('tells a TRUNCATE (new files left empty) from a VACUUM FULL (rows copied into them)', () => {
    const truncate = ledgerOf([
      line('Storage', 729, '0/10', 'CREATE base/5/16391'),
      line('Storage', 729, '0/11', 'CREATE base/5/16392'),
      line('Storage', 729, '0/12', 'CREATE base/5/16393'),
      line('XLOG', 729, '0/13', 'FPI , blkref #0: rel 1663/5/16393 blk 0 FPW'),
      line('Storage', 729, '0/14', 'CREATE base/5/16394'),
      line('XLOG', 729, '0/15', 'FPI , blkref #0: rel 1663/5/16394 blk 0 FPW'),
      line('Transaction', 729, '0/16', 'COMMIT 2026-12-07 02:49:51.702183 UTC; rels: base/5/16388 base/5/16389 base/5/16387 base/5/16384; inval msgs: catcache 55'),
    ])[0]!;
    const vacuumFull = ledgerOf([
      line('Storage', 731, '0/20', 'CREATE base/5/16395'),
      line('Storage', 731, '0/21', 'CREATE base/5/16398'),
      line('Storage', 731, '0/22', 'CREATE base/5/16399'),
      line('XLOG', 731, '0/23', 'FPI , blkref #0: rel 1663/5/16399 blk 0 FPW'),
      line('XLOG', 731, '0/24', 'FPI , blkref #0: rel 1663/5/16395 blk 0 FPW'),
      line('Storage', 731, '0/25', 'CREATE base/5/16400'),
      line('XLOG', 731, '0/26', 'FPI , blkref #0: rel 1663/5/16400 blk 1 FPW'),
      line('Transaction', 731, '0/27', 'COMMIT 2026-12-07 02:49:51.720867 UTC; rels: base/5/16391 base/5/16392 base/5/16394 base/5/16393'),
    ])[0]!;
    const live = catalog('the live catalog', [rel(16384, 16391, 'orders'), rel(16387, 16392, 'pg_toast_16384', 't', ORDERS), rel(16389, 16394, 'orders_pkey', 'i', ORDERS)]);
    const index = new CatalogIndex([backupCatalog, live]);
    const t = findingOf(truncate, { index, live, minRows: 100 })!;
    expect(t.action).toBe('truncate');
    expect(t.relations).toEqual([{ name: 'public.orders', oid: '16384', file: '1663/5/16388', namedBy: 'the catalog of backup b1', action: 'truncate', rowsDeleted: 0, rowsUpdated: 0 }]);
    // The rewrite drops the files TRUNCATE made; the live catalog has moved on to 16395.
    const liveAfter = catalog('the live catalog', [rel(16384, 16395, 'orders')]);
    expect(findingOf(vacuumFull, { index: new CatalogIndex([backupCatalog, catalog('the live catalog', [rel(16384, 16391, 'orders')]), liveAfter]), live: liveAfter, minRows: 100 })).toBeUndefined();
  });

  it('names a DROP from the backup catalog, and says why a file has no name', () => {
    const [drop] = ledgerOf([line('Transaction', 732, '0/30', 'COMMIT 2026-12-07 02:49:52 UTC; rels: base/5/16389 base/5/16384 base/5/16387 base/5/16388 base/5/1259')]);
    const live = catalog('the live catalog', [rel(16500, 16500, 'orders')]);
    const f = findingOf(drop!, { index: new CatalogIndex([backupCatalog, live]), live, backupSource: 'the catalog of backup b1', minRows: 100, timeline: 1 })!;
    expect(f).toMatchObject({ action: 'drop', xid: '732', lsn: '0/30', database: 'shop', timeline: 1 });
    expect(f.relations.map((r) => [r.name, r.action])).toEqual([['public.orders', 'drop']]);
    expect(f.before).toEqual({ engine: 'postgres', target: { kind: 'xid', xid: '732', inclusive: false, commitLsn: '0/30' } });

    const [unknown] = ledgerOf([line('Transaction', 733, '0/31', 'COMMIT 2026-12-07 02:49:53 UTC; rels: base/5/17000')]);
    const g = findingOf(unknown!, { index: new CatalogIndex([backupCatalog, live]), live, backupSource: 'the catalog of backup b1', minRows: 100 })!;
    expect(g.relations[0]).toMatchObject({ file: '1663/5/17000', action: 'drop', unresolved: 'not in the catalog of backup b1 nor in the live catalog: created after that backup and gone since' });
    expect(findingOf(unknown!, { index: new CatalogIndex([backupCatalog, live]), live, minRows: 100, table: 'customers' })).toMatchObject({ action: 'drop' });
  });

  it('keeps a mass DELETE above the threshold, and leaves catalogs and TOAST out', () => {
    const rows = (xid: number, file: string, n: number) => Array.from({ length: n }, () => line('Heap', xid, '0/40', `DELETE off 1 flags 0x00 KEYS_UPDATED , blkref #0: rel ${file} blk 0`));
    const [t] = ledgerOf([...rows(740, '1663/5/16384', 150), ...rows(740, '1663/5/16387', 300), ...rows(740, '1663/5/1249', 200), line('Transaction', 740, '0/41', 'COMMIT 2026-12-07 02:50:00 UTC')]);
    const f = findingOf(t!, { index: new CatalogIndex([backupCatalog]), minRows: 100 })!;
    expect(f.relations).toEqual([{ name: 'public.orders', oid: '16384', file: '1663/5/16384', namedBy: 'the catalog of backup b1', unresolved: undefined, action: 'delete', rowsDeleted: 150, rowsUpdated: 0 }]);
    expect(findingOf(t!, { index: new CatalogIndex([backupCatalog]), minRows: 100, table: 'customers' })).toBeUndefined();
    expect(ledgerOf([...rows(741, '1663/5/16384', 99), line('Transaction', 741, '0/42', 'COMMIT 2026-12-07 02:50:01 UTC')])).toEqual([]);
  });

  it('matches a table as schema.table or in any schema, folding unquoted case', () => {
    expect(matchesTable('public.orders', 'orders')).toBe(true);
    expect(matchesTable('public.orders', 'public.orders')).toBe(true);
    expect(matchesTable('public.orders', 'ORDERS')).toBe(true);
    expect(matchesTable('sales.orders', 'public.orders')).toBe(false);
    expect(matchesTable('public.orders_archive', 'orders')).toBe(false);
  });
});

describe('batch boundaries', () => {
  const header = (info: number, remaining: number) => {
    const h = Buffer.alloc(40);
    h.writeUInt16LE(0xd110, 0);
    h.writeUInt16LE(info, 2);
    h.writeUInt32LE(remaining, 16);
    h.writeUInt32LE(16 << 20, 32);
    h.writeUInt32LE(8192, 36);
    return h;
  };

  it('ends a batch where the record running into the next segment ends, page headers counted', () => {
    expect(continuationEnd(header(0x0002, 0), 16 << 20)).toBe(0);
    expect(continuationEnd(header(0x0003, 100), 16 << 20)).toBe(140);
    // 8152 bytes fit on the first page after its 40-byte header; the rest on the next, after 24.
    expect(continuationEnd(header(0x0003, 8152 + 10), 16 << 20)).toBe(8192 + 24 + 10);
    expect(continuationEnd(header(0x0003, 64 << 20), 16 << 20)).toBe(16 << 20);
  });
});

describe('segments of a time range', () => {
  const entry = (name: string, first?: string, last?: string): WalEntry => ({ name, kind: 'segment', file: { name, role: 'segment', layers: [], bytes: 1, sha256: '0'.repeat(64), sourceBytes: 16 << 20 }, sourceSha256: '', archivedAt: '', firstXactTime: first, lastXactTime: last, restorePoints: [] });
  const wal = [
    entry('000000010000000000000001', '2026-12-07T10:00:00Z', '2026-12-07T10:10:00Z'),
    entry('000000010000000000000002', '2026-12-07T10:10:00Z', '2026-12-07T10:20:00Z'),
    entry('000000010000000000000003'),
    entry('000000010000000000000004', '2026-12-07T10:30:00Z', '2026-12-07T10:40:00Z'),
    entry('000000010000000000000006', '2026-12-07T10:50:00Z', '2026-12-07T11:00:00Z'),
  ];

  it('starts a segment early, stops at the last that commits in the range, and names gaps', () => {
    const plan = planScanSegments(wal, '2026-12-07T10:25:00Z', '2026-12-07T10:55:00Z')!;
    expect(plan.runs.map((r) => r.segments.map((s) => s.name.slice(-2)))).toEqual([['03', '04'], ['06']]);
    expect(plan.gaps).toEqual([{ from: 'after 000000010000000000000004', to: 'before 000000010000000000000006' }]);
    expect(planScanSegments(wal, '2026-12-07T12:00:00Z', '2026-12-07T13:00:00Z')).toBeUndefined();
  });

  it('follows the newest timeline from its switch point', () => {
    const history: WalEntry = { ...entry('00000002.history'), kind: 'history', history: '1\t0/4000000\tno recovery target specified\n' };
    const plan = planScanSegments([...wal.slice(0, 4), entry('000000020000000000000004', '2026-12-07T10:30:00Z', '2026-12-07T10:45:00Z'), entry('000000020000000000000005', '2026-12-07T10:45:00Z', '2026-12-07T10:50:00Z'), history], '2026-12-07T10:05:00Z', '2026-12-07T10:50:00Z')!;
    expect(plan.runs.map((r) => [r.timeline, r.segments.map((s) => s.name.slice(-2))])).toEqual([
      [1, ['01', '02', '03']],
      [2, ['04', '05']],
    ]);
  });
});

describe('the server log', () => {
  const pattern = prefixPattern('%m [%p] %q%u@%d ');

  it('reads the role, database and time of a statement line, and jsonlog', () => {
    expect(readStderrLine('2026-12-07 02:51:40.123 UTC [12345] app_owner@shop LOG:  statement: drop table orders', pattern, 0)).toMatchObject({ role: 'app_owner', database: 'shop', at: Date.parse('2026-12-07T02:51:40.123Z'), sql: 'drop table orders' });
    expect(readStderrLine('2026-12-07 03:51:40.123 +01 [12345] app_owner@shop LOG:  duration: 1.2 ms  statement: truncate orders', pattern, 0)).toMatchObject({ at: Date.parse('2026-12-07T02:51:40.123Z'), sql: 'truncate orders' });
    expect(readStderrLine('2026-12-07 02:51:40.123 UTC [12345] LOG:  checkpoint starting: time', pattern, 0)).toBeUndefined();
    expect(readStderrLine('2026-12-07 02:51:40 UTC [1] u@d LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.orders,drop table orders,<not logged>', prefixPattern('%t [%p] %u@%d '), 0)).toMatchObject({ role: 'u' });
    expect(readJsonLine('{"timestamp":"2026-12-07 02:51:40.123 UTC","user":"app_owner","dbname":"shop","message":"statement: delete from orders where id > 100"}', 0)).toMatchObject({ role: 'app_owner', sql: 'delete from orders where id > 100' });
  });

  it('matches a finding to the last fitting statement before its commit', () => {
    expect(statementFits('DROP TABLE public."orders" CASCADE', 'drop', 'public.orders')).toBe(true);
    expect(statementFits('drop table orders_archive', 'drop', 'public.orders')).toBe(false);
    expect(statementFits('drop schema public cascade', 'drop', 'public.orders')).toBe(true);
    expect(statementFits('delete from orders where id > 100', 'update', 'public.orders')).toBe(false);
    const commitMs = Date.parse('2026-12-07T02:51:41Z');
    const s = (at: string, role: string, sql = 'drop table orders', database = 'shop') => ({ at: Date.parse(at), role, database, sql, line: role });
    const statements = [s('2026-12-07T02:40:00Z', 'early'), s('2026-12-07T02:51:40Z', 'app_owner'), s('2026-12-07T02:51:40.5Z', 'other', 'drop table orders', 'billing'), s('2026-12-07T02:55:00Z', 'late')];
    expect(matchStatement(statements, { xid: 7, commitMs, database: 'shop', action: 'drop', table: 'public.orders' })?.role).toBe('app_owner');
    expect(matchStatement([...statements, { ...s('2026-12-07T02:30:00Z', 'by-xid'), xid: 7 }], { xid: 7, commitMs, database: 'shop', action: 'drop', table: 'public.orders' })?.role).toBe('by-xid');
  });
});
