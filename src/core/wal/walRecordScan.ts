// Summarises one WAL segment (transaction times, restore points, record count) by walking its pages and record
// headers in-process, giving what parseWaldump makes of pg_waldump's output without spawning pg_waldump.
//
// Format notes (PostgreSQL 13 to 18, little-endian): a segment is a run of XLOG_BLCKSZ pages, each opening with a
// page header (24 bytes; 40 on the segment's first page, which also gives the block and segment sizes). Records
// start at 8-byte-aligned LSNs, may cross page boundaries (their 24-byte header included), and a page whose first
// bytes continue an earlier record says so (XLP_FIRST_IS_CONTRECORD) and how many bytes remain (xlp_rem_len).
// A record is a fixed header, then block-reference headers, then a main-data header; the main data itself is the
// record's last main_data_len bytes. Commit and abort records begin their main data with the int64 xact_time,
// restore points with int64 rp_time and a 64-byte NUL-terminated name. Times count microseconds from 2000-01-01 UTC.
//
// CRCs are not checked: in JavaScript they would cost more than the whole scan. What guards against stale or torn
// data instead is what PostgreSQL's reader also checks: every page's magic and xlp_pageaddr, every continuation's
// flag and xlp_rem_len, and every record's xl_prev link to the record before it.
//
// Differences from pg_waldump on a lone segment, on purpose:
// - A record that starts in this segment but ends in the next is counted in `records` (it does start here), but it
//   gives no time or restore point: its main data is not all here. pg_waldump stops there without printing it, so
//   for such a segment `records` is one more than parseWaldump's; `recordOpenAtEnd` tells when.
// - COMMIT_PREPARED and ABORT_PREPARED records give transaction times, as pg_waldump prints them.
// Restore point names are trimmed as parseWaldump trims them.
//
// A first page that is not a WAL page of a supported release raises a WalScanError (see its codes) rather than
// returning an empty summary, so that a caller can tell "nothing happened in this segment" from "cannot read it".
export interface SegmentSummary {
  firstXactTime?: string;
  lastXactTime?: string;
  /** Named restore points (pg_create_restore_point) in this segment. */
  restorePoints: Array<{ name: string; lsn: string }>;
  records: number;
}

export interface WalScanOptions {
  /**
   * The LSN the segment must start at, e.g. from its file name. By default it is read from the first page's
   * xlp_pageaddr; when given and the page says otherwise, the scan throws WRONG_SEGMENT.
   */
  segmentStartLsn?: bigint;
}

export type WalScanErrorCode =
  /** Too short for a long page header, zeros, or a header that no PostgreSQL writes. */
  | 'NOT_WAL'
  /** A WAL page magic of a release other than PostgreSQL 13 to 18, or big-endian WAL. */
  | 'UNSUPPORTED_VERSION'
  /** The first page's address is not the segmentStartLsn the caller expected. */
  | 'WRONG_SEGMENT';

export class WalScanError extends Error {
  readonly code: WalScanErrorCode;

  constructor(code: WalScanErrorCode, message: string) {
    super(message);
    this.name = 'WalScanError';
    this.code = code;
  }
}

/** Why the scan stopped reading records. */
export type WalScanEnd =
  | 'segment-end' // every page of the segment was read
  | 'switch' // XLOG_SWITCH: the rest of the segment is padding
  | 'end-of-wal' // a record length of zero: nothing was written past this point
  | 'bad-page' // a page with another magic or unknown flag bits
  | 'stale-page' // a page whose xlp_pageaddr is not its own address: left over from a recycled segment
  | 'bad-record' // a record too short to be one, or whose xl_prev does not point at the record before it
  | 'bad-contrecord' // a page that should continue a record and does not, or continues it with the wrong length
  | 'input-end'; // the bytes ran out before the segment did

/**
 * Magic numbers of the WAL page format, each read from src/include/access/xlog_internal.h of that release, with
 * what differs between them for this scanner: which bimg_info bits mean "compressed" (only a compressed image with
 * a hole carries a hole_length field), and the bit of XLP_FIRST_IS_OVERWRITE_CONTRECORD.
 */
const VERSIONS = new Map<number, { major: number; compressedBits: number; overwriteFlag: number }>([
  [0xd106, { major: 13, compressedBits: 0x02, overwriteFlag: 0x0008 }],
  [0xd10d, { major: 14, compressedBits: 0x02, overwriteFlag: 0x0008 }],
  [0xd110, { major: 15, compressedBits: 0x1c, overwriteFlag: 0x0008 }],
  [0xd113, { major: 16, compressedBits: 0x1c, overwriteFlag: 0x0008 }],
  [0xd116, { major: 17, compressedBits: 0x1c, overwriteFlag: 0x0008 }],
  [0xd118, { major: 18, compressedBits: 0x1c, overwriteFlag: 0x0008 }],
]);

const SHORT_PAGE_HEADER = 24;
const LONG_PAGE_HEADER = 40;
const RECORD_HEADER = 24;

const XLP_FIRST_IS_CONTRECORD = 0x0001;
const XLP_LONG_HEADER = 0x0002;
/** Every xlp_info bit these releases define; a page with others set is not a page they wrote. */
const XLP_ALL_FLAGS = 0x000f;

const RM_XLOG_ID = 0;
const RM_XACT_ID = 1;
const XLOG_SWITCH = 0x40;
const XLOG_RESTORE_POINT = 0x70;
const XLOG_XACT_OPMASK = 0x70;
const XLOG_XACT_COMMIT = 0x00;
const XLOG_XACT_ABORT = 0x20;
const XLOG_XACT_COMMIT_PREPARED = 0x30;
const XLOG_XACT_ABORT_PREPARED = 0x40;

const XLR_MAX_BLOCK_ID = 32;
const XLR_BLOCK_ID_TOPLEVEL_XID = 252;
const XLR_BLOCK_ID_ORIGIN = 253;
const XLR_BLOCK_ID_DATA_LONG = 254;
const XLR_BLOCK_ID_DATA_SHORT = 255;
const BKPBLOCK_HAS_IMAGE = 0x10;
const BKPBLOCK_SAME_REL = 0x80;
const BKPIMAGE_HAS_HOLE = 0x01;

/** Restore point main data: int64 rp_time, then char rp_name[64]. */
const RESTORE_POINT_NAME_OFFSET = 8;
const RESTORE_POINT_DATA = 8 + 64;

/**
 * Bytes kept from the start of a record that crosses a page, enough for any set of block headers: 33 block
 * references of at most 27 header bytes each, the origin, top-level xid and data headers, and the record header.
 */
const HEADER_CAPTURE = 1024;

/** 2000-01-01T00:00:00Z in Unix milliseconds: PostgreSQL's timestamp epoch. */
const PG_EPOCH_MS = 946_684_800_000;
const MAX_DATE_MS = 8.64e15;

// What a record is to the summary.
const KIND_OTHER = 0;
const KIND_XACT_END = 1;
const KIND_RESTORE_POINT = 2;
const KIND_SWITCH = 3;

// Scanner phases.
const PHASE_HEAD = 0; // collecting the first page's long header
const PHASE_PAGES = 1;
const PHASE_DONE = 2;

// What the next page's first bytes are expected to be.
const CONT_NONE = 0; // a record start
const CONT_FOREIGN = 1; // the rest of a record begun before this segment: skipped
const CONT_OWN = 2; // the rest of a record begun in this segment

const utf8 = new TextDecoder('utf-8');

function classify(rmid: number, info: number): number {
  if (rmid === RM_XACT_ID) {
    const op = info & XLOG_XACT_OPMASK;
    return op === XLOG_XACT_COMMIT || op === XLOG_XACT_ABORT || op === XLOG_XACT_COMMIT_PREPARED || op === XLOG_XACT_ABORT_PREPARED
      ? KIND_XACT_END
      : KIND_OTHER;
  }
  if (rmid === RM_XLOG_ID) {
    const op = info & 0xf0;
    if (op === XLOG_SWITCH) return KIND_SWITCH;
    if (op === XLOG_RESTORE_POINT) return KIND_RESTORE_POINT;
  }
  return KIND_OTHER;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** PostgreSQL's %X/%08X. */
function formatLsn(hi: number, lo: number): string {
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase().padStart(8, '0')}`;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * Reads a segment fed in chunks of any size (a file stream's, say) and summarises it. Holds at most one page
 * between chunks; allocates nothing per record.
 */
export class WalSegmentScanner {
  private readonly expectedStart: bigint | undefined;
  private phase = PHASE_HEAD;
  private readonly head = new Uint8Array(LONG_PAGE_HEADER);
  private headFill = 0;

  private blockSize = 0;
  private pageCount = 0;
  private magic = 0;
  private compressedBits = 0;
  private overwriteFlag = 0;
  private startHi = 0;
  private startLo = 0;

  /** A page split between chunks is put together here. */
  private pageBuf = new Uint8Array(0);
  private pageView = new DataView(this.pageBuf.buffer);
  private pageFill = 0;
  private pageIndex = 0;

  private cont = CONT_FOREIGN;
  /** Bytes of the current record (own or foreign) still to come. */
  private remaining = 0;
  /** Segment offset of the last complete record, for the xl_prev check; -1 before the first. */
  private prevOff = -1;

  // The record in progress across pages.
  private recOff = 0;
  private recLen = 0;
  private recGot = 0;
  private recKind = KIND_OTHER;
  private headerPending = false;
  private capturing = false;
  private captureLimit = 0;
  private readonly capture = new Uint8Array(HEADER_CAPTURE);
  private readonly captureView = new DataView(this.capture.buffer);
  /** Where the main data starts in the record, once the block headers were read; -1 before. */
  private mainOff = -1;
  private mainLen = 0;
  private mainNeed = 0;
  private readonly main = new Uint8Array(RESTORE_POINT_DATA);
  private readonly mainView = new DataView(this.main.buffer);

  private records = 0;
  private firstMs = Number.NaN;
  private lastMs = Number.NaN;
  private readonly restorePoints: Array<{ name: string; lsn: string }> = [];
  private endReason: WalScanEnd | undefined;
  private openAtEnd = false;
  private result: SegmentSummary | undefined;

  constructor(options: WalScanOptions = {}) {
    this.expectedStart = options.segmentStartLsn;
  }

  /** Why reading stopped; set once finish() has run. */
  get end(): WalScanEnd | undefined {
    return this.endReason;
  }

  /** Whether the last record counted runs on past the segment (or past the bytes given), so gave no summary. */
  get recordOpenAtEnd(): boolean {
    return this.openAtEnd;
  }

  /** The PostgreSQL major version the page magic belongs to; 0 until the first page was read. */
  get postgresMajor(): number {
    for (const [magic, version] of VERSIONS) if (magic === this.magic) return version.major;
    return 0;
  }

  /** Throws WalScanError when the first page is not a supported WAL page. Bytes past the segment are ignored. */
  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('WalSegmentScanner: push() after finish().');
    let off = 0;
    const len = chunk.length;
    if (this.phase === PHASE_HEAD) {
      while (off < len && this.headFill < LONG_PAGE_HEADER) this.head[this.headFill++] = chunk[off++]!;
      if (this.headFill < LONG_PAGE_HEADER) return;
      this.readLongHeader();
      this.pageBuf.set(this.head, 0);
      this.pageFill = LONG_PAGE_HEADER;
      this.phase = PHASE_PAGES;
    }
    if (this.phase !== PHASE_PAGES || off >= len) return;
    const B = this.blockSize;
    if (this.pageFill > 0) {
      const take = Math.min(B - this.pageFill, len - off);
      this.pageBuf.set(off === 0 && take === len ? chunk : chunk.subarray(off, off + take), this.pageFill);
      this.pageFill += take;
      off += take;
      if (this.pageFill < B) return;
      this.pageFill = 0;
      this.onePage(this.pageBuf, this.pageView, 0, B);
    }
    if (this.phase !== PHASE_PAGES || off >= len) return;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (off + B <= len && this.phase === PHASE_PAGES) {
      this.onePage(chunk, view, off, B);
      off += B;
    }
    if (off < len && this.phase === PHASE_PAGES) {
      this.pageBuf.set(chunk.subarray(off), 0);
      this.pageFill = len - off;
    }
  }

  /** The summary of everything pushed; a segment cut short is summarised as far as it goes. */
  finish(): SegmentSummary {
    if (this.result) return this.result;
    if (this.phase === PHASE_HEAD)
      throw new WalScanError('NOT_WAL', `A WAL segment starts with a ${LONG_PAGE_HEADER}-byte page header; got ${this.headFill} bytes.`);
    if (this.phase === PHASE_PAGES && this.pageFill > 0) this.page(this.pageBuf, this.pageView, 0, this.pageFill);
    if (this.phase === PHASE_PAGES) this.done('input-end');
    if (this.cont === CONT_OWN) {
      this.records++;
      this.openAtEnd = true;
    }
    const summary: SegmentSummary = { restorePoints: this.restorePoints, records: this.records };
    if (!Number.isNaN(this.firstMs)) {
      summary.firstXactTime = new Date(this.firstMs).toISOString();
      summary.lastXactTime = new Date(this.lastMs).toISOString();
    }
    this.result = summary;
    return summary;
  }

  private readLongHeader(): void {
    const v = new DataView(this.head.buffer);
    const magic = v.getUint16(0, true);
    const info = v.getUint16(2, true);
    const version = VERSIONS.get(magic);
    if (!version) {
      const swapped = ((magic & 0xff) << 8) | (magic >> 8);
      if (VERSIONS.has(swapped)) throw new WalScanError('UNSUPPORTED_VERSION', 'This WAL segment was written by a big-endian server; only little-endian WAL can be read.');
      // Every release since 9.0 has used a magic of the form 0xD0xx or 0xD1xx.
      if ((magic & 0xfe00) === 0xd000 && (info & XLP_LONG_HEADER) !== 0)
        throw new WalScanError('UNSUPPORTED_VERSION', `WAL page magic 0x${magic.toString(16).toUpperCase()} is not that of PostgreSQL 13 to 18.`);
      throw new WalScanError('NOT_WAL', `The first page's magic 0x${magic.toString(16).toUpperCase().padStart(4, '0')} is not a WAL page magic.`);
    }
    if ((info & XLP_LONG_HEADER) === 0 || (info & ~XLP_ALL_FLAGS) !== 0)
      throw new WalScanError('NOT_WAL', `The first page's flags 0x${info.toString(16)} are not those of a segment's first page.`);
    const segSize = v.getUint32(32, true);
    const blockSize = v.getUint32(36, true);
    if (!isPowerOfTwo(blockSize) || blockSize < 1024 || blockSize > 65536)
      throw new WalScanError('NOT_WAL', `The page header gives a WAL block size of ${blockSize} bytes.`);
    if (!isPowerOfTwo(segSize) || segSize < 1 << 20 || segSize > 1 << 30 || segSize < blockSize)
      throw new WalScanError('NOT_WAL', `The page header gives a WAL segment size of ${segSize} bytes.`);
    const lo = v.getUint32(8, true);
    const hi = v.getUint32(12, true);
    if (lo % segSize !== 0) throw new WalScanError('NOT_WAL', `The first page's address ${formatLsn(hi, lo)} is not the start of a segment.`);
    if (this.expectedStart !== undefined) {
      const expectedHi = Number((this.expectedStart >> 32n) & 0xffffffffn);
      const expectedLo = Number(this.expectedStart & 0xffffffffn);
      if (expectedHi !== hi || expectedLo !== lo)
        throw new WalScanError('WRONG_SEGMENT', `The segment starts at ${formatLsn(hi, lo)}, not at ${formatLsn(expectedHi, expectedLo)}.`);
    }
    this.magic = magic;
    this.compressedBits = version.compressedBits;
    this.overwriteFlag = version.overwriteFlag;
    this.blockSize = blockSize;
    this.pageCount = segSize / blockSize;
    this.startHi = hi;
    this.startLo = lo;
    this.pageBuf = new Uint8Array(blockSize);
    this.pageView = new DataView(this.pageBuf.buffer);
  }

  private onePage(buf: Uint8Array, view: DataView, base: number, limit: number): void {
    this.page(buf, view, base, limit);
    if (this.phase === PHASE_PAGES && this.pageIndex === this.pageCount) this.done('segment-end');
  }

  /** Stops reading; a record still open counts (it started here, its end is merely not in these bytes). */
  private done(reason: WalScanEnd): void {
    this.phase = PHASE_DONE;
    this.endReason = reason;
  }

  /** Stops reading at bad or stale data; a record still open was never really written, so it does not count. */
  private halt(reason: WalScanEnd): void {
    this.cont = CONT_NONE;
    this.done(reason);
  }

  /** One page at buf[base, base + blockSize), of which the first `limit` bytes are there. */
  private page(buf: Uint8Array, view: DataView, base: number, limit: number): void {
    const B = this.blockSize;
    const pageOff = this.pageIndex * B;
    this.pageIndex++;
    if (limit < SHORT_PAGE_HEADER) return;
    const info = view.getUint16(base + 2, true);
    if (view.getUint16(base, true) !== this.magic || (info & ~XLP_ALL_FLAGS) !== 0) return this.halt('bad-page');
    if (view.getUint32(base + 8, true) !== this.startLo + pageOff || view.getUint32(base + 12, true) !== this.startHi) return this.halt('stale-page');
    const headerSize = (info & XLP_LONG_HEADER) !== 0 ? LONG_PAGE_HEADER : SHORT_PAGE_HEADER;
    if (limit < headerSize) return;
    const end = base + limit;
    let pos = base + headerSize;

    if (this.cont !== CONT_NONE) {
      if ((info & XLP_FIRST_IS_CONTRECORD) === 0) {
        // Searching for the first record (as PostgreSQL does), a page without the flag simply starts with one.
        // A record of ours that lost its continuation was abandoned if the server wrote an overwrite marker here.
        if (this.cont === CONT_OWN && (info & this.overwriteFlag) === 0) return this.halt('bad-contrecord');
        this.cont = CONT_NONE;
      } else {
        const remLen = view.getUint32(base + 16, true);
        if (this.cont === CONT_FOREIGN) this.remaining = remLen;
        else if (remLen !== this.remaining) return this.halt('bad-contrecord');
        const n = Math.min(this.remaining, end - pos);
        if (this.cont === CONT_OWN) {
          this.take(buf, pos, n);
          if (this.phase !== PHASE_PAGES) return;
        }
        this.remaining -= n;
        pos += n;
        if (this.remaining > 0) return;
        if (this.cont === CONT_OWN) {
          this.complete();
          if (this.phase !== PHASE_PAGES) return;
        }
        this.cont = CONT_NONE;
        pos = base + align8(pos - base);
      }
    } else if ((info & XLP_FIRST_IS_CONTRECORD) !== 0) {
      // The record before ended, yet this page claims to continue one.
      return this.halt('bad-contrecord');
    }

    // The loop over records on this page is the hot path: fields it updates live in locals until it exits.
    const pageEnd = base + B;
    const startHi = this.startHi;
    const startLo = this.startLo;
    let records = this.records;
    let prevOff = this.prevOff;
    let stop: WalScanEnd | undefined;
    let open = false;
    let kind = KIND_OTHER;
    let headerHere = false;
    let totLen = 0;
    let recOff = 0;
    while (pos < end) {
      const space = end - pos;
      if (space < 4) break;
      totLen = view.getUint32(pos, true);
      if (totLen < RECORD_HEADER) {
        stop = totLen === 0 ? 'end-of-wal' : 'bad-record';
        break;
      }
      recOff = pageOff + (pos - base);
      kind = KIND_OTHER;
      headerHere = pageEnd - pos >= RECORD_HEADER && space >= RECORD_HEADER;
      if (headerHere) {
        const prevLo = view.getUint32(pos + 8, true);
        const prevHi = view.getUint32(pos + 12, true);
        if (prevOff >= 0 ? prevLo !== startLo + prevOff || prevHi !== startHi : !this.prevLinkOk(prevLo, prevHi, recOff)) {
          stop = 'bad-record';
          break;
        }
        const rmid = view.getUint8(pos + 17);
        if (rmid <= RM_XACT_ID) kind = classify(rmid, view.getUint8(pos + 16));
        if (totLen <= space) {
          records++;
          prevOff = recOff;
          if (kind !== KIND_OTHER) {
            if (kind === KIND_SWITCH) {
              stop = 'switch';
              break;
            }
            this.summariseWhole(view, pos, totLen, kind, recOff);
          }
          pos += (totLen + 7) & ~7;
          continue;
        }
      }
      open = true;
      break;
    }
    this.records = records;
    this.prevOff = prevOff;
    if (stop) return this.halt(stop);
    if (!open) return;
    // The record runs on past this page (or past the bytes given).
    const space = end - pos;
    this.recOff = recOff;
    this.recLen = totLen;
    this.recGot = 0;
    this.recKind = kind;
    this.headerPending = !headerHere;
    this.capturing = headerHere && (kind === KIND_XACT_END || kind === KIND_RESTORE_POINT);
    this.captureLimit = Math.min(totLen, HEADER_CAPTURE);
    this.mainOff = -1;
    this.take(buf, pos, space);
    this.remaining = totLen - space;
    this.cont = CONT_OWN;
  }

  private prevLinkOk(prevLo: number, prevHi: number, recOff: number): boolean {
    if (this.prevOff >= 0) return prevHi === this.startHi && prevLo === this.startLo + this.prevOff;
    // The first record's predecessor is in an earlier segment: all that can be said is that it lies before it.
    return prevHi < this.startHi || (prevHi === this.startHi && prevLo < this.startLo + recOff);
  }

  /** The next n bytes of the record in progress, at buf[pos]. */
  private take(buf: Uint8Array, pos: number, n: number): void {
    let from = this.recGot;
    this.recGot += n;
    if (this.headerPending) {
      const k = Math.min(RECORD_HEADER - from, n);
      copyBytes(buf, pos, this.capture, from, k);
      if (from + k < RECORD_HEADER) return;
      this.headerPending = false;
      const v = this.captureView;
      if (!this.prevLinkOk(v.getUint32(8, true), v.getUint32(12, true), this.recOff)) return this.halt('bad-record');
      this.recKind = classify(v.getUint8(17), v.getUint8(16));
      this.capturing = this.recKind === KIND_XACT_END || this.recKind === KIND_RESTORE_POINT;
      pos += k;
      from += k;
      n -= k;
    }
    if (!this.capturing || n === 0) return;
    if (from < this.captureLimit) {
      const k = Math.min(n, this.captureLimit - from);
      copyBytes(buf, pos, this.capture, from, k);
      if (from + k === this.captureLimit && this.mainOff < 0) {
        this.mainOff = this.locateMainData(this.captureView, 0, this.captureLimit, this.recLen, this.recKind);
        if (this.mainOff < 0) {
          this.capturing = false;
          return;
        }
        // Main data that starts inside the captured bytes but runs past them is put together in `main`.
        if (this.mainOff < this.captureLimit && this.mainOff + this.mainNeed > this.captureLimit)
          copyBytes(this.capture, this.mainOff, this.main, 0, this.captureLimit - this.mainOff);
      }
    }
    // Main data past the captured start: keep the part the summary reads as it goes by.
    if (this.mainOff >= 0 && this.mainOff + this.mainNeed > this.captureLimit) {
      const lo = Math.max(from, this.mainOff, this.captureLimit);
      const hi = Math.min(from + n, this.mainOff + this.mainNeed);
      if (lo < hi) copyBytes(buf, pos + (lo - from), this.main, lo - this.mainOff, hi - lo);
    }
  }

  private complete(): void {
    this.records++;
    this.prevOff = this.recOff;
    this.cont = CONT_NONE;
    if (this.recKind === KIND_SWITCH) return this.halt('switch');
    if (!this.capturing || this.mainOff < 0) return;
    if (this.mainOff + this.mainNeed <= this.captureLimit) this.summarise(this.captureView, this.mainOff, this.recKind, this.recOff);
    else this.summarise(this.mainView, 0, this.recKind, this.recOff);
  }

  private summariseWhole(view: DataView, pos: number, totLen: number, kind: number, recOff: number): void {
    // Most commits are a header and a short main data header, nothing else: no need to walk block headers.
    if (kind === KIND_XACT_END && view.getUint8(pos + RECORD_HEADER) === XLR_BLOCK_ID_DATA_SHORT && totLen >= RECORD_HEADER + 2 + 8 && view.getUint8(pos + RECORD_HEADER + 1) === totLen - RECORD_HEADER - 2)
      return this.summarise(view, pos + RECORD_HEADER + 2, kind, recOff);
    const mainOff = this.locateMainData(view, pos, totLen, totLen, kind);
    if (mainOff >= 0) this.summarise(view, pos + mainOff, kind, recOff);
  }

  /**
   * Reads the block and data headers of a record whose first `avail` bytes are at view[start], and returns the
   * offset of its main data in the record (setting mainLen and mainNeed), or -1 when the headers do not add up or
   * the main data is too short for what the summary reads from it.
   */
  private locateMainData(view: DataView, start: number, avail: number, totLen: number, kind: number): number {
    let p = RECORD_HEADER;
    let dataTotal = 0;
    let mainLen = 0;
    let sawRel = false;
    while (totLen - p > dataTotal) {
      if (p + 1 > avail) return -1;
      const id = view.getUint8(start + p);
      p += 1;
      if (id === XLR_BLOCK_ID_DATA_SHORT) {
        if (p + 1 > avail) return -1;
        mainLen = view.getUint8(start + p);
        p += 1;
        dataTotal += mainLen;
        break; // the main data header is always the last one
      }
      if (id === XLR_BLOCK_ID_DATA_LONG) {
        if (p + 4 > avail) return -1;
        mainLen = view.getUint32(start + p, true);
        p += 4;
        dataTotal += mainLen;
        break;
      }
      if (id === XLR_BLOCK_ID_ORIGIN) {
        p += 2;
      } else if (id === XLR_BLOCK_ID_TOPLEVEL_XID) {
        p += 4;
      } else if (id <= XLR_MAX_BLOCK_ID) {
        if (p + 3 > avail) return -1;
        const forkFlags = view.getUint8(start + p);
        dataTotal += view.getUint16(start + p + 1, true);
        p += 3;
        if ((forkFlags & BKPBLOCK_HAS_IMAGE) !== 0) {
          if (p + 5 > avail) return -1;
          const imageLen = view.getUint16(start + p, true);
          const imageInfo = view.getUint8(start + p + 4);
          p += 5;
          // Only a compressed image with a hole says how long the hole is (PG 15 moved the compressed bits).
          if ((imageInfo & BKPIMAGE_HAS_HOLE) !== 0 && (imageInfo & this.compressedBits) !== 0) p += 2;
          dataTotal += imageLen;
        }
        if ((forkFlags & BKPBLOCK_SAME_REL) === 0) {
          p += 12; // RelFileLocator
          sawRel = true;
        } else if (!sawRel) {
          return -1;
        }
        p += 4; // BlockNumber
      } else {
        return -1;
      }
      if (p > avail) return -1;
    }
    if (totLen - p !== dataTotal) return -1;
    const need = kind === KIND_RESTORE_POINT ? Math.min(mainLen, RESTORE_POINT_DATA) : 8;
    if (mainLen < 8) return -1;
    this.mainLen = mainLen;
    this.mainNeed = need;
    return totLen - mainLen;
  }

  /** The summary's part of a commit, abort or restore point record whose main data is at view[at]. */
  private summarise(view: DataView, at: number, kind: number, recOff: number): void {
    if (kind === KIND_XACT_END) {
      // int64 microseconds since 2000-01-01, exact in a double for any date PostgreSQL can write. pg_waldump
      // prints microseconds and new Date() drops the last three digits: flooring matches it.
      const micros = view.getInt32(at + 4, true) * 4294967296 + view.getUint32(at, true);
      const ms = Math.floor(micros / 1000) + PG_EPOCH_MS;
      if (Math.abs(ms) > MAX_DATE_MS) return;
      if (Number.isNaN(this.firstMs)) this.firstMs = ms;
      this.lastMs = ms;
      return;
    }
    const nameStart = at + RESTORE_POINT_NAME_OFFSET;
    const nameEnd = at + Math.min(this.mainLen, RESTORE_POINT_DATA);
    let nul = nameStart;
    while (nul < nameEnd && view.getUint8(nul) !== 0) nul++;
    const name = utf8.decode(new Uint8Array(view.buffer, view.byteOffset + nameStart, nul - nameStart)).trim();
    this.restorePoints.push({ name, lsn: formatLsn(this.startHi, this.startLo + recOff) });
  }
}

function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i]!;
}

/** Summarises a whole segment held in memory (bytes past the segment's size are ignored). */
export function scanWalSegment(segment: Uint8Array, options?: WalScanOptions): SegmentSummary {
  const scanner = new WalSegmentScanner(options);
  scanner.push(segment);
  return scanner.finish();
}
