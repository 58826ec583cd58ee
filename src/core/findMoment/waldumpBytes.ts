// pg_waldump's output read in place: a gigabyte of WAL prints millions of lines, and cutting each into strings
// and objects cost more than pg_waldump's own work. Each chunk becomes one Latin-1 string; lines are handed on as
// (text, start, end) and read with position-taking string builtins. The fields every line has sit at fixed
// columns of pg_waldump's printf ("rmgr: %-11s len (rec/tot): %6u/%8u, tx: %10u, lsn: %X/%08X, ..."), with a
// search as the fallback when a number outgrew its width.

export type LineSink = (text: string, start: number, end: number) => void;

/** Splits chunks into lines; a line cut between chunks is put together. */
export class LineSplitter {
  private carry = '';

  constructor(private readonly sink: LineSink) {}

  push(chunk: Buffer): void {
    const text = chunk.toString('latin1');
    let at = 0;
    if (this.carry) {
      // Only the cut line is put together: joining the whole chunk to it would copy a MiB per chunk.
      const nl = text.indexOf('\n');
      if (nl < 0) {
        this.carry += text;
        return;
      }
      const line = this.carry + text.slice(0, nl);
      this.carry = '';
      this.sink(line, 0, line.length);
      at = nl + 1;
    }
    for (let nl = text.indexOf('\n', at); nl >= 0; nl = text.indexOf('\n', at)) {
      this.sink(text, at, nl);
      at = nl + 1;
    }
    this.carry = text.slice(at);
  }

  end(): void {
    if (this.carry) this.sink(this.carry, 0, this.carry.length);
    this.carry = '';
  }
}

const TX_AT = 48; // "rmgr: " 6 + name 11 + " len (rec/tot): " 16 + 6 + "/" + 8
const LSN_AT = 64; // TX_AT + ", tx: " 6 + 10

/** Whether the line is a record of this resource manager ("Heap " is not "Heap2"): pass the name and a space. */
export function isRmgr(text: string, start: number, nameAndSpace: string): boolean {
  // Most lines are not the one asked about: their first letter says so without a comparison of strings.
  return text.charCodeAt(start + 6) === nameAndSpace.charCodeAt(0) && text.startsWith(nameAndSpace, start + 6) && text.charCodeAt(start) === 0x72;
}

export function readXid(text: string, start: number, end: number): number {
  let at = start + TX_AT;
  if (!text.startsWith(', tx: ', at)) {
    at = text.indexOf(', tx: ', start);
    if (at < 0 || at >= end) return 0;
  }
  let xid = 0;
  for (let i = at + 6; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) continue;
    if (c < 0x30 || c > 0x39) break;
    xid = xid * 10 + (c - 0x30);
  }
  return xid;
}

/** Where the LSN's text starts, or -1; it ends at the next ','. */
export function lsnAt(text: string, start: number, end: number): number {
  let at = start + LSN_AT;
  if (text.charCodeAt(at + 2) !== 0x6c || !text.startsWith(', lsn: ', at)) {
    at = text.indexOf(', lsn: ', start);
    if (at < 0 || at >= end) return -1;
  }
  return at + 7;
}

/** The LSN at `at` as a number (exact below 2^53: the first 8 PB of WAL). */
export function lsnValue(text: string, at: number): number {
  let hi = 0;
  let lo = 0;
  let i = at;
  for (let c = text.charCodeAt(i); c !== 0x2f; c = text.charCodeAt(++i)) hi = hi * 16 + hexDigit(c);
  for (let c = text.charCodeAt(++i); isHex(c); c = text.charCodeAt(++i)) lo = lo * 16 + hexDigit(c);
  return hi * 4294967296 + lo;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexDigit(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** Where the description starts (after "desc: "), or -1. */
export function descAt(text: string, from: number, end: number): number {
  const at = text.indexOf('desc: ', from);
  return at >= 0 && at < end ? at + 6 : -1;
}
