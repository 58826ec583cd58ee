// Feeds pg_waldump's lines to the transaction ledger at the speed pg_waldump prints them: the common lines (a
// heap row deleted or updated, a transaction ending with nothing but its time) are read in place; only the rare
// ones that may be part of a finding (dropped or created files, subtransactions, a large change) are cut out and
// read whole.
import type { TransactionLedger } from './transactionLedger';
import { descAt, isRmgr, lsnAt, readXid, type LineSink } from './waldumpBytes';
import { readWaldumpLine } from './waldumpLine';

/** UPDATE, UPDATE+INIT, HOT_UPDATE, HOT_UPDATE+INIT: the word, then a space or a '+'. */
function isUpdate(text: string, d: number): boolean {
  if (text.startsWith('UPDATE', d)) return text.charCodeAt(d + 6) === 0x20 || text.charCodeAt(d + 6) === 0x2b;
  if (text.startsWith('HOT_UPDATE', d)) return text.charCodeAt(d + 10) === 0x20 || text.charCodeAt(d + 10) === 0x2b;
  return false;
}

export function momentLineSink(ledger: TransactionLedger): LineSink {
  const whole = (text: string, start: number, end: number) => {
    const r = readWaldumpLine(text.slice(start, end));
    if (r) ledger.add(r);
  };
  return (text, start, end) => {
    if (isRmgr(text, start, 'Heap ')) {
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
        const semicolon = text.indexOf(';', d);
        if (semicolon < 0 || semicolon >= end) {
          ledger.endPlain(readXid(text, start, end), () => readWaldumpLine(text.slice(start, end)));
          return;
        }
      }
    }
    whole(text, start, end);
  };
}
