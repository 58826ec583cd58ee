// Counts heap row changes by reading WAL record headers in-process, beside pg_waldump: a gigabyte of pgbench
// WAL is mostly Heap records, and having pg_waldump print each as a line (then cutting the lines apart) cost
// more than everything else the search does. Only what the ledger needs is read from each Heap record: its
// transaction, its LSN, its kind (INSERT, DELETE, UPDATE, HOT_UPDATE, TRUNCATE) and the relation and block of
// its first block reference (the relids of TRUNCATE, from its main data). pg_waldump still reads the
// commits, created files and page images (Transaction, Storage, XLOG), whose descriptions it knows best.
//
// Format (PostgreSQL 13 to 18, little-endian; see walRecordScan.ts for the same walk summarised): pages of
// xlp_xlog_blcksz, each opening with a 24-byte header (40 on a segment's first page); records start at 8-byte
// aligned LSNs and may cross pages, their headers included; a segment's first page may continue a record begun
// in the previous segment (XLP_FIRST_IS_CONTRECORD, xlp_rem_len bytes). XLOG_SWITCH pads the rest of a segment.

/**
 * One batch's heap records, in LSN order, as the ledger takes them: typed arrays (a batch holds half a million
 * of them, and arrays of objects or boxed numbers kept the garbage collector busier than the reading).
 */
export class HeapEvents {
  count = 0;
  /** LSN as a number (exact below 2^53). */
  lsn: Float64Array;
  xid: Uint32Array;
  kind: Uint8Array;
  /** Index into keys: "spc/db/rel" of the first block reference (TRUNCATE: ""). */
  keyIndex: Uint32Array;
  block: Uint32Array;
  readonly keys: string[] = [];
  /** TRUNCATE: the relids of its main data, by event index. */
  readonly relids = new Map<number, number[]>();

  /** capacity: room before the arrays grow (a busy segment of pgbench WAL holds about 115,000 heap records). */
  constructor(capacity = 1024) {
    this.lsn = new Float64Array(capacity);
    this.xid = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.keyIndex = new Uint32Array(capacity);
    this.block = new Uint32Array(capacity);
  }

  push(lsn: number, xid: number, kind: number, keyIndex: number, block: number): void {
    if (this.count === this.lsn.length) this.grow();
    const i = this.count++;
    this.lsn[i] = lsn;
    this.xid[i] = xid;
    this.kind[i] = kind;
    this.keyIndex[i] = keyIndex;
    this.block[i] = block;
  }

  private grow(): void {
    const n = this.lsn.length * 2;
    const widen = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.lsn = widen(this.lsn, (k) => new Float64Array(k));
    this.xid = widen(this.xid, (k) => new Uint32Array(k));
    this.kind = widen(this.kind, (k) => new Uint8Array(k));
    this.keyIndex = widen(this.keyIndex, (k) => new Uint32Array(k));
    this.block = widen(this.block, (k) => new Uint32Array(k));
  }
}

export const HEAP_INSERT = 0;
export const HEAP_DELETE = 1;
export const HEAP_UPDATE = 2;
export const HEAP_TRUNCATE = 3;

const RM_XLOG_ID = 0;
const RM_HEAP_ID = 10;
const XLOG_SWITCH = 0x40;
const XLOG_HEAP_OPMASK = 0x70;
// xl_info & XLOG_HEAP_OPMASK of the Heap records that matter (heapam_xlog.h); 0x80 is XLOG_HEAP_INIT_PAGE.
// Indexed by (xl_info & XLOG_HEAP_OPMASK) >> 4; -1: a record that changes no row (CONFIRM, LOCK, INPLACE).
const OP_KIND = Int8Array.from([HEAP_INSERT, HEAP_DELETE, HEAP_UPDATE, HEAP_TRUNCATE, HEAP_UPDATE /* HOT_UPDATE */, -1, -1, -1]);

const SHORT_PAGE_HEADER = 24;
const LONG_PAGE_HEADER = 40;
const RECORD_HEADER = 24;
const XLP_FIRST_IS_CONTRECORD = 0x0001;
const XLR_MAX_BLOCK_ID = 32;
const XLR_BLOCK_ID_TOPLEVEL_XID = 252;
const XLR_BLOCK_ID_ORIGIN = 253;
const XLR_BLOCK_ID_DATA_LONG = 254;
const XLR_BLOCK_ID_DATA_SHORT = 255;
const BKPBLOCK_FORK_MASK = 0x0f;
const BKPBLOCK_HAS_IMAGE = 0x10;
const BKPBLOCK_SAME_REL = 0x80;
const BKPIMAGE_HAS_HOLE = 0x01;
/** Enough for a record header and one block reference header with an image header and its relation. */
const HEAD_BYTES = 64;

/**
 * Reads the heap records that start in `own` consecutive segments (segments[0..own)), the first of number
 * `firstSegNo`; `segments[own]`, when given, is the next segment, read only to finish a record that runs into
 * it. Records are walked as pg_waldump walks them from the first segment's first whole record.
 */
export function readHeapRecords(segments: Uint8Array[], own: number, firstSegNo: number): HeapEvents {
  const events = new HeapEvents(own * 131072);
  const first = segments[0];
  if (!first || first.length < LONG_PAGE_HEADER) return events;
  const view0 = new DataView(first.buffer, first.byteOffset, first.byteLength);
  const magic = view0.getUint16(0, true);
  const segSize = view0.getUint32(32, true);
  const B = view0.getUint32(36, true);
  // Which bimg_info bits mean "compressed" (only a compressed image with a hole stores its length): PG 15 moved them.
  const compressedBits = magic >= 0xd110 ? 0x1c : 0x02;
  const views = segments.map((s) => new DataView(s.buffer, s.byteOffset, s.byteLength));
  const total = segments.length * segSize;
  const limit = own * segSize;
  const base = firstSegNo * segSize;
  const head = new Uint8Array(HEAD_BYTES);
  const headView = new DataView(head.buffer);

  const headerAt = (o: number) => (o % segSize === 0 ? LONG_PAGE_HEADER : SHORT_PAGE_HEADER);
  /** o advanced by n bytes of record, page headers skipped. */
  const advance = (o: number, n: number): number => {
    while (n > 0) {
      const room = B - (o % B);
      if (room > n) return o + n;
      n -= room;
      o += room;
      if (n > 0) o += headerAt(o);
    }
    return o;
  };
  const byteAt = (o: number): number => {
    const s = Math.floor(o / segSize);
    const seg = segments[s]!;
    const i = o - s * segSize;
    return i < seg.length ? seg[i]! : 0;
  };
  /** Copies n bytes of record from o into head (a header that crosses a page or segment). */
  const gather = (o: number, n: number): boolean => {
    for (let i = 0; i < n; i++) {
      if (o % B === 0) o += headerAt(o);
      if (o >= total) return false;
      head[i] = byteAt(o);
      o++;
    }
    return true;
  };
  /** The page at o is a WAL page of this run: its magic and its own address (recycled or missing data is not). */
  const pageOk = (o: number): boolean => {
    const p = o - (o % B);
    const s = Math.floor(p / segSize);
    const view = views[s];
    const at = p - s * segSize;
    if (!view || at + SHORT_PAGE_HEADER > view.byteLength) return false;
    const addr = view.getUint32(at + 12, true) * 4294967296 + view.getUint32(at + 8, true);
    return view.getUint16(at, true) === magic && addr === base + p;
  };

  let o = LONG_PAGE_HEADER;
  if ((view0.getUint16(2, true) & XLP_FIRST_IS_CONTRECORD) !== 0) o = align8(advance(o, view0.getUint32(16, true)));
  const keyIndexes = new Map<string, number>();
  let lastKey = 0;
  let lastSpc = -1;
  let lastDb = -1;
  let lastRel = -1;
  while (o < limit) {
    if (o % B === 0) {
      if (!pageOk(o)) break;
      o += headerAt(o);
    }
    const s = (o / segSize) | 0;
    const seg = segments[s]!;
    const view = views[s]!;
    let at = o - s * segSize;
    if (at + 4 > seg.length) break;
    const totLen = view.getUint32(at, true);
    if (totLen < RECORD_HEADER) break; // zeros: the end of what was written
    let v = view;
    const n = Math.min(totLen, HEAD_BYTES);
    if ((o % B) + n > B || at + n > seg.length) {
      if (!gather(o, n)) break;
      v = headView;
      at = 0;
    }
    const rmid = v.getUint8(at + 17);
    const info = v.getUint8(at + 16);
    if (rmid === RM_XLOG_ID && (info & 0xf0) === XLOG_SWITCH) {
      // The rest of the segment is padding: the next record opens the next segment.
      o = (s + 1) * segSize;
      continue;
    }
    const kind = rmid === RM_HEAP_ID ? OP_KIND[(info & XLOG_HEAP_OPMASK) >> 4]! : -1;
    if (kind >= 0) {
      const xid = v.getUint32(at + 4, true);
      const lsn = base + o;
      let p = at + RECORD_HEADER;
      const id = v.getUint8(p);
      if (kind === HEAP_TRUNCATE) {
        const relids = truncateRelids(o, totLen, v, at);
        if (relids) {
          events.relids.set(events.count, relids);
          events.push(lsn, xid, kind, 0, 0);
        }
      } else if (id <= XLR_MAX_BLOCK_ID && RECORD_HEADER + 4 <= n) {
        const forkFlags = v.getUint8(p + 1);
        p += 4;
        if ((forkFlags & BKPBLOCK_HAS_IMAGE) !== 0) {
          const imageInfo = v.getUint8(p + 4);
          p += 5;
          if ((imageInfo & BKPIMAGE_HAS_HOLE) !== 0 && (imageInfo & compressedBits) !== 0) p += 2;
        }
        // The first block reference always names its relation; only the main fork holds rows.
        if ((forkFlags & BKPBLOCK_SAME_REL) === 0 && (forkFlags & BKPBLOCK_FORK_MASK) === 0 && p + 16 - at <= n) {
          const spc = v.getUint32(p, true);
          const db = v.getUint32(p + 4, true);
          const rel = v.getUint32(p + 8, true);
          if (spc !== lastSpc || db !== lastDb || rel !== lastRel) {
            const key = `${spc}/${db}/${rel}`;
            let index = keyIndexes.get(key);
            if (index === undefined) {
              index = events.keys.push(key) - 1;
              keyIndexes.set(key, index);
            }
            lastKey = index;
            lastSpc = spc;
            lastDb = db;
            lastRel = rel;
          }
          events.push(lsn, xid, kind, lastKey, v.getUint32(p + 12, true));
        }
      }
    }
    // Most records end on the page they start on.
    o = (o % B) + totLen < B ? o + totLen : advance(o, totLen);
    o = (o + 7) & ~7;
  }
  return events;

  /** TRUNCATE's main data: Oid dbId, uint32 nrelids, uint8 flags, then Oid relids[nrelids] (4-aligned). */
  function truncateRelids(o: number, totLen: number, v: DataView, at: number): number[] | undefined {
    let p = RECORD_HEADER;
    let mainLen = -1;
    while (p < Math.min(totLen, HEAD_BYTES)) {
      const id = v.getUint8(at + p);
      if (id === XLR_BLOCK_ID_ORIGIN) p += 3;
      else if (id === XLR_BLOCK_ID_TOPLEVEL_XID) p += 5;
      else if (id === XLR_BLOCK_ID_DATA_SHORT) {
        mainLen = v.getUint8(at + p + 1);
        break;
      } else if (id === XLR_BLOCK_ID_DATA_LONG) {
        mainLen = v.getUint32(at + p + 1, true);
        break;
      } else return undefined;
    }
    if (mainLen < 12 || mainLen > totLen) return undefined;
    const data = new Uint8Array(mainLen);
    let q = advance(o, totLen - mainLen);
    for (let i = 0; i < mainLen; i++) {
      if (q % B === 0) q += headerAt(q);
      if (q >= total) return undefined;
      data[i] = byteAt(q);
      q++;
    }
    const d = new DataView(data.buffer);
    const count = d.getUint32(4, true);
    if (12 + 4 * count > mainLen) return undefined;
    return Array.from({ length: count }, (_, i) => d.getUint32(12 + 4 * i, true));
  }
}

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}
