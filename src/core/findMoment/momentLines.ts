// Feeds pg_waldump's lines to the transaction ledger at the speed pg_waldump prints them: the common lines (a
// heap row deleted or updated, a transaction ending with nothing but its time) are read in place; only the rare
// ones that may be part of a finding (dropped or created files, subtransactions, a large change) are cut out and
// read whole. Where the heap records are read in-process (heapRecordReader.ts, the search's way), they come from
// a HeapEventQueue instead, each handed to the ledger before the first line past its LSN.
import { HEAP_DELETE, HEAP_INSERT, HEAP_TRUNCATE, type HeapEvents } from './heapRecordReader';
import type { TransactionLedger } from './transactionLedger';
import { descAt, isRmgr, lsnAt, lsnValue, readXid, type LineSink } from './waldumpBytes';
import { readWaldumpLine } from './waldumpLine';

/** UPDATE, UPDATE+INIT, HOT_UPDATE, HOT_UPDATE+INIT: the word, then a space or a '+'. */
function isUpdate(text: string, d: number): boolean {
  if (text.startsWith('UPDATE', d)) return text.charCodeAt(d + 6) === 0x20 || text.charCodeAt(d + 6) === 0x2b;
  if (text.startsWith('HOT_UPDATE', d)) return text.charCodeAt(d + 10) === 0x20 || text.charCodeAt(d + 10) === 0x2b;
  return false;
}

/** The heap records of the batches read so far, handed to the ledger in LSN order between pg_waldump's lines. */
export class HeapEventQueue {
  private readonly batches: HeapEvents[] = [];
  private at = 0;
  /** The LSN of the next event, Infinity when none waits. */
  next = Infinity;

  constructor(private readonly ledger: TransactionLedger) {}

  push(events: HeapEvents): void {
    if (!events.count) return;
    this.batches.push(events);
    if (this.batches.length === 1) this.next = events.lsn[this.at]!;
  }

  /** Hands on every event before `lsn` (all of them with Infinity). */
  drainBefore(lsn: number): void {
    const ledger = this.ledger;
    while (this.batches.length) {
      const e = this.batches[0]!;
      let i = this.at;
      for (; i < e.count && e.lsn[i]! < lsn; i++) {
        const kind = e.kind[i]!;
        if (kind === HEAP_INSERT) ledger.rowInserted(e.xid[i]!, e.keys[e.keyIndex[i]!]!, e.block[i]!);
        else if (kind === HEAP_TRUNCATE) ledger.truncated(e.xid[i]!, e.relids.get(i)!);
        else ledger.rowChange(e.xid[i]!, e.keys[e.keyIndex[i]!]!, kind === HEAP_DELETE);
      }
      if (i < e.count) {
        this.at = i;
        this.next = e.lsn[i]!;
        return;
      }
      this.batches.shift();
      this.at = 0;
    }
    this.next = Infinity;
  }
}

export function momentLineSink(ledger: TransactionLedger, heap?: HeapEventQueue): LineSink {
  const whole = (text: string, start: number, end: number) => {
    const r = readWaldumpLine(text.slice(start, end));
    if (r) ledger.add(r);
  };
  return (text, start, end) => {
    if (heap) {
      if (heap.next !== Infinity) {
        const at = lsnAt(text, start, end);
        if (at >= 0) {
          const lsn = lsnValue(text, at);
          if (heap.next < lsn) heap.drainBefore(lsn);
        }
      }
      // Counted from the records themselves (pg_waldump before 15 prints every resource manager's lines).
      if (isRmgr(text, start, 'Heap ')) return;
    } else if (isRmgr(text, start, 'Heap ')) {
      const lsn = lsnAt(text, start, end);
      const d = lsn < 0 ? -1 : descAt(text, lsn, end);
      if (d < 0) return;
      const deleted = text.startsWith('DELETE ', d);
      if (deleted || isUpdate(text, d)) {
        // The block references end the line; every one of a heap record names the same relation.
        const at = text.lastIndexOf(': rel ', end);
        if (at < d) return;
        const from = at + 6;
        let to = from;
        for (let c = text.charCodeAt(to); to < end && c !== 0x20 && c !== 0x2c; c = text.charCodeAt(++to));
        // " fork fsm" after the relation: a block outside the main fork, not a row.
        if (text.startsWith(' fork', to) || text.startsWith(', fork', to)) return;
        ledger.rowChange(readXid(text, start, end), text.slice(from, to), deleted);
        return;
      }
      // An insert matters only into files the transaction created (a rewrite); TRUNCATE (wal_level logical) always.
      if (text.startsWith('INSERT', d) ? ledger.createdFiles(readXid(text, start, end)) : text.startsWith('TRUNCATE', d)) whole(text, start, end);
      return;
    }
    if (isRmgr(text, start, 'Transaction ')) {
      const lsn = lsnAt(text, start, end);
      const d = lsn < 0 ? -1 : descAt(text, lsn, end);
      // "; " would start a list of files, subtransactions or invalidations: those are read whole.
      if (d >= 0 && (text.startsWith('COMMIT ', d) || text.startsWith('ABORT ', d))) {
        // Searched within the line only: indexOf would run on through the chunk to the next ';' (with Heap lines
        // no longer printed, that is often the chunk's end, for every plain commit).
        let semicolon = d;
        while (semicolon < end && text.charCodeAt(semicolon) !== 0x3b) semicolon++;
        if (semicolon >= end) {
          ledger.endPlain(readXid(text, start, end), () => readWaldumpLine(text.slice(start, end)));
          return;
        }
      }
    }
    whole(text, start, end);
  };
}
