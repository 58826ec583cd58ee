// The in-process WAL scanner on segments built byte by byte: page headers, records split across pages (their
// headers too), continuations from the previous segment, and the places where a scan must stop.
import { describe, expect, it } from 'vitest';
import { scanWalSegment, WalScanError, WalSegmentScanner, type WalScanOptions } from '../../src/core/wal/walRecordScan';

const PG14 = 0xd10d;
const PG15 = 0xd110;
const PG_EPOCH_MS = 946_684_800_000;
const SEG = 1 << 20;
const BLOCK = 8192;
/** Segment 0x20010 of 1 MB: start LSN 2/00100000, so LSNs show a high part and a zero-padded low part. */
const START = 0x2_0010_0000n;

const XLP_FIRST_IS_CONTRECORD = 0x0001;
const XLP_LONG_HEADER = 0x0002;
const XLP_FIRST_IS_OVERWRITE_CONTRECORD = 0x0008;

/** Microseconds since 2000-01-01 for an ISO time, plus some microseconds new Date() cannot hold. */
function pgTime(iso: string, extraMicros = 0): bigint {
  return BigInt(Date.parse(iso) - PG_EPOCH_MS) * 1000n + BigInt(extraMicros);
}

function lsnText(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase().padStart(8, '0')}`;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

interface RecordSpec {
  rmid: number;
  info: number;
  main?: Uint8Array;
  /** Block reference headers, as blockRef() writes them. */
  blocks?: Uint8Array;
  /** The bytes the block headers announce (images and block data). */
  blockData?: Uint8Array;
  /** Origin and top-level xid headers (ids 253, 252) before the data header. */
  extraHeaders?: Uint8Array;
  /** The main data header in its long form even for short data. */
  longData?: boolean;
  /** xl_prev; by default the previous record's LSN. */
  prev?: bigint;
  /** The raw main-data header bytes instead of the computed one. */
  dataHeader?: Uint8Array;
}

interface BuilderOptions {
  blockSize?: number;
  segSize?: number;
  start?: bigint;
  magic?: number;
  /** The segment starts with this many bytes continuing a record begun in the previous segment. */
  continuation?: number;
  /** What the file held before (a recycled segment): pages not rewritten keep it. */
  old?: Uint8Array;
}

/** Writes a segment the way the server lays it out: page headers interleaved, records 8-aligned in LSN space. */
class SegmentBuilder {
  readonly bytes: Uint8Array;
  readonly blockSize: number;
  readonly segSize: number;
  readonly start: bigint;
  readonly magic: number;
  /** Segment offset of the next byte. */
  pos = 0;
  /** LSN of the last record written. */
  prev: bigint;
  private readonly view: DataView;

  constructor(options: BuilderOptions = {}) {
    this.blockSize = options.blockSize ?? BLOCK;
    this.segSize = options.segSize ?? SEG;
    this.start = options.start ?? START;
    this.magic = options.magic ?? PG15;
    this.bytes = options.old ? Uint8Array.from(options.old) : new Uint8Array(this.segSize);
    this.view = new DataView(this.bytes.buffer);
    this.prev = this.start - 0x58n;
    if (options.continuation !== undefined) {
      this.pageHeader(0, options.continuation);
      this.emit(new Uint8Array(options.continuation).fill(0xab));
      this.pos = align8(this.pos);
    }
  }

  pageHeader(index: number, remLen: number, extraFlags = 0): void {
    const at = index * this.blockSize;
    this.bytes.fill(0, at, at + this.blockSize); // the server zeroes a page before filling it
    const v = this.view;
    v.setUint16(at, this.magic, true);
    v.setUint16(at + 2, (index === 0 ? XLP_LONG_HEADER : 0) | (remLen > 0 ? XLP_FIRST_IS_CONTRECORD : 0) | extraFlags, true);
    v.setUint32(at + 4, 1, true);
    v.setBigUint64(at + 8, this.start + BigInt(at), true);
    v.setUint32(at + 16, remLen, true);
    if (index === 0) {
      v.setBigUint64(at + 24, 7_300_000_000_000_000_001n, true);
      v.setUint32(at + 32, this.segSize, true);
      v.setUint32(at + 36, this.blockSize, true);
    }
    this.pos = at + (index === 0 ? 40 : 24);
  }

  /** Bytes of one record (or continuation), with page headers wherever a page starts inside it. */
  private emit(data: Uint8Array): void {
    let i = 0;
    while (i < data.length && this.pos < this.segSize) {
      if (this.pos % this.blockSize === 0) this.pageHeader(this.pos / this.blockSize, data.length - i);
      const n = Math.min(data.length - i, this.blockSize - (this.pos % this.blockSize));
      this.bytes.set(data.subarray(i, i + n), this.pos);
      this.pos += n;
      i += n;
    }
  }

  record(spec: RecordSpec): bigint {
    if (this.pos % this.blockSize === 0) this.pageHeader(this.pos / this.blockSize, 0);
    const lsn = this.start + BigInt(this.pos);
    const main = spec.main ?? new Uint8Array(0);
    const blocks = spec.blocks ?? new Uint8Array(0);
    const extra = spec.extraHeaders ?? new Uint8Array(0);
    const blockData = spec.blockData ?? new Uint8Array(0);
    let dataHeader = spec.dataHeader ?? new Uint8Array(0);
    if (!spec.dataHeader && main.length > 0) {
      if (main.length < 256 && !spec.longData) dataHeader = Uint8Array.of(255, main.length);
      else {
        dataHeader = new Uint8Array(5);
        dataHeader[0] = 254;
        new DataView(dataHeader.buffer).setUint32(1, main.length, true);
      }
    }
    const totLen = 24 + blocks.length + extra.length + dataHeader.length + blockData.length + main.length;
    const rec = new Uint8Array(totLen);
    const v = new DataView(rec.buffer);
    v.setUint32(0, totLen, true);
    v.setUint32(4, spec.rmid === 1 ? 731 : 0, true);
    v.setBigUint64(8, spec.prev ?? this.prev, true);
    rec[16] = spec.info;
    rec[17] = spec.rmid;
    let at = 24;
    for (const part of [blocks, extra, dataHeader, blockData, main]) {
      rec.set(part, at);
      at += part.length;
    }
    this.emit(rec);
    this.prev = lsn;
    this.pos = align8(this.pos);
    return lsn;
  }

  /** A transaction end record: op 0x00 commit, 0x10 prepare, 0x20 abort, 0x30/0x40 commit/abort prepared. */
  xact(time: bigint, op = 0x00, options: { extra?: number } & Omit<RecordSpec, 'rmid' | 'info' | 'main'> = {}): bigint {
    const main = new Uint8Array(8 + (options.extra ?? 4));
    new DataView(main.buffer).setBigInt64(0, time, true);
    return this.record({ ...options, rmid: 1, info: op | 0x80, main });
  }

  restorePoint(name: string, options: Omit<RecordSpec, 'rmid' | 'info' | 'main'> = {}): bigint {
    const main = new Uint8Array(72);
    new DataView(main.buffer).setBigInt64(0, pgTime('2024-03-01T00:00:00Z'), true);
    main.set(new TextEncoder().encode(name), 8);
    return this.record({ ...options, rmid: 0, info: 0x70, main });
  }

  /** XLOG_NOOP with as much main data as makes the record totLen bytes long. */
  noop(totLen: number): bigint {
    if (totLen === 24) return this.record({ rmid: 0, info: 0x20 });
    const short = totLen - 26 <= 255;
    return this.record({ rmid: 0, info: 0x20, main: new Uint8Array(totLen - (short ? 26 : 29)).fill(0x5a), longData: !short });
  }

  switchRecord(): bigint {
    return this.record({ rmid: 0, info: 0x40 });
  }

  /** Pads with one NOOP so that the next record starts at segment offset `target`. */
  fillUntil(target: number): void {
    const B = this.blockSize;
    if (this.pos % B === 0) this.pageHeader(this.pos / B, 0);
    const crossed = Math.floor(target / B) - Math.floor(this.pos / B);
    const len = target - this.pos - 24 * crossed;
    if (len < 24 || len % 8 !== 0 || target % B < 24) throw new Error(`cannot fill from ${this.pos} to ${target}`);
    this.noop(len);
    // A filler ending exactly at a page's end leaves the next record after that page's header.
    if (this.pos !== target && !(this.pos % B === 0 && this.pos + 24 === target)) throw new Error(`filled to ${this.pos}, not ${target}`);
  }
}

function blockRef(o: { id: number; dataLen?: number; image?: { len: number; holeOffset: number; info: number; holeLength?: number }; sameRel?: boolean }): Uint8Array {
  const out: number[] = [o.id, (o.image ? 0x10 : 0) | (o.dataLen ? 0x20 : 0) | (o.sameRel ? 0x80 : 0), (o.dataLen ?? 0) & 0xff, (o.dataLen ?? 0) >> 8];
  if (o.image) {
    out.push(o.image.len & 0xff, o.image.len >> 8, o.image.holeOffset & 0xff, o.image.holeOffset >> 8, o.image.info);
    if (o.image.holeLength !== undefined) out.push(o.image.holeLength & 0xff, o.image.holeLength >> 8);
  }
  if (!o.sameRel) out.push(0x7f, 6, 0, 0, 5, 0, 0, 0, 0x39, 0x30, 0, 0); // spcOid 1663, dbOid 5, relNumber 12345
  out.push(7, 0, 0, 0); // block 7
  return Uint8Array.from(out);
}

function scan(bytes: Uint8Array, options?: WalScanOptions): { summary: ReturnType<typeof scanWalSegment>; scanner: WalSegmentScanner } {
  const scanner = new WalSegmentScanner(options);
  scanner.push(bytes);
  return { summary: scanner.finish(), scanner };
}

function scanError(bytes: Uint8Array, options?: WalScanOptions): WalScanError {
  try {
    scanWalSegment(bytes, options);
  } catch (err) {
    if (err instanceof WalScanError) return err;
    throw err;
  }
  throw new Error('the scan did not throw');
}

describe('scanWalSegment', () => {
  it('takes transaction times from commits and aborts, prepared ones included, and names restore points', () => {
    const b = new SegmentBuilder();
    b.noop(64);
    b.xact(pgTime('2024-03-01T10:00:00Z', 123_456), 0x00);
    b.xact(pgTime('2024-03-01T09:00:00Z'), 0x10); // PREPARE: not an end of a transaction
    b.xact(pgTime('2024-03-01T10:00:01Z', 999), 0x20);
    const point = b.restorePoint('before-migration');
    b.xact(pgTime('2024-03-01T10:00:02Z'), 0x30);
    b.xact(pgTime('2024-03-01T10:00:03Z', 999_999), 0x40);
    b.noop(40);

    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({
      firstXactTime: '2024-03-01T10:00:00.123Z',
      lastXactTime: '2024-03-01T10:00:03.999Z',
      restorePoints: [{ name: 'before-migration', lsn: lsnText(point) }],
      records: 8,
    });
    expect(lsnText(point)).toMatch(/^2\/001000[0-9A-F]{2}$/);
    expect(scanner.end).toBe('end-of-wal');
    expect(scanner.recordOpenAtEnd).toBe(false);
    expect(scanner.postgresMajor).toBe(15);
  });

  it('gives an empty summary for a segment with no transaction ends', () => {
    const b = new SegmentBuilder();
    b.noop(100 * 8);
    b.noop(24);
    expect(scanWalSegment(b.bytes)).toStrictEqual({ restorePoints: [], records: 2 });
  });

  it('reads records that cross page boundaries, their 24-byte header included', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T10:00:00Z'));
    b.fillUntil(BLOCK - 8); // 8 header bytes on page 0, 16 on page 1
    b.xact(pgTime('2024-03-01T10:00:01Z'));
    b.fillUntil(3 * BLOCK - 16); // 16 header bytes on page 2
    const point = b.restorePoint('split-header');
    b.fillUntil(5 * BLOCK - 32); // the commit time itself straddles pages 4 and 5
    b.xact(pgTime('2024-03-01T10:00:02Z', 1_000));
    b.noop(3 * BLOCK + 200); // spans four pages
    b.xact(pgTime('2024-03-01T10:00:03Z'));
    b.fillUntil(10 * BLOCK - 8);
    b.switchRecord(); // XLOG_SWITCH with a split header still ends the segment

    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({
      firstXactTime: '2024-03-01T10:00:00.000Z',
      lastXactTime: '2024-03-01T10:00:03.000Z',
      restorePoints: [{ name: 'split-header', lsn: lsnText(point) }],
      records: 11,
    });
    expect(scanner.end).toBe('switch');
  });

  it('reads the main data of a long record after its first kilobyte, or across that point', () => {
    for (const blockDataLen of [2000, 974, 930]) {
      // 974 puts the commit time at 1020..1028 of the record; 930 puts a restore point's data across 1024.
      const b = new SegmentBuilder();
      b.fillUntil(BLOCK - 104);
      const blocks = blockRef({ id: 0, dataLen: blockDataLen });
      b.xact(pgTime('2024-03-01T11:00:00Z', 5_000), 0x00, { blocks, blockData: new Uint8Array(blockDataLen).fill(1), extra: 0 });
      b.fillUntil(3 * BLOCK - 48);
      const point = b.restorePoint('after-a-kilobyte', { blocks, blockData: new Uint8Array(blockDataLen).fill(2) });
      expect(scanWalSegment(b.bytes)).toStrictEqual({
        firstXactTime: '2024-03-01T11:00:00.005Z',
        lastXactTime: '2024-03-01T11:00:00.005Z',
        restorePoints: [{ name: 'after-a-kilobyte', lsn: lsnText(point) }],
        records: 4,
      });
    }
  });

  it('skips the rest of a record begun in the previous segment, over several pages', () => {
    const b = new SegmentBuilder({ continuation: 20_000 });
    const first = b.xact(pgTime('2024-03-01T12:00:00Z'));
    expect(Number(first - START)).toBe(BLOCK * 2 + 24 + align8(20_000 - (BLOCK - 40) - (BLOCK - 24)));
    b.restorePoint('after-continuation');
    const { summary, scanner } = scan(b.bytes);
    expect(summary.records).toBe(2);
    expect(summary.firstXactTime).toBe('2024-03-01T12:00:00.000Z');
    expect(summary.restorePoints).toHaveLength(1);
    expect(scanner.end).toBe('end-of-wal');
  });

  it('starts on the next page when the continuation fills the first page exactly', () => {
    const b = new SegmentBuilder({ continuation: BLOCK - 40 });
    const first = b.xact(pgTime('2024-03-01T12:00:00Z'));
    expect(Number(first - START)).toBe(BLOCK + 24);
    expect(scanWalSegment(b.bytes)).toStrictEqual({ firstXactTime: '2024-03-01T12:00:00.000Z', lastXactTime: '2024-03-01T12:00:00.000Z', restorePoints: [], records: 1 });
  });

  it('gives nothing for a segment that is all continuation', () => {
    const b = new SegmentBuilder({ continuation: 3 * SEG });
    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({ restorePoints: [], records: 0 });
    expect(scanner.end).toBe('segment-end');
  });

  it('stops at XLOG_SWITCH: what follows is padding', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T13:00:00Z'));
    b.switchRecord();
    b.xact(pgTime('2024-03-01T13:30:00Z')); // a well-formed record after the switch must not be read
    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({ firstXactTime: '2024-03-01T13:00:00.000Z', lastXactTime: '2024-03-01T13:00:00.000Z', restorePoints: [], records: 2 });
    expect(scanner.end).toBe('switch');

    // The server fills the rest with empty pages (headers, zeros): also ignored.
    const padded = new SegmentBuilder();
    padded.xact(pgTime('2024-03-01T13:00:00Z'));
    padded.switchRecord();
    for (let page = 1; page < SEG / BLOCK; page++) padded.pageHeader(page, 0);
    expect(scanWalSegment(padded.bytes).records).toBe(2);
  });

  it('stops at the stale tail of a recycled segment (pages carrying an older address)', () => {
    // The file last held an earlier segment, full of records of its own: one whose LSN differs only in the low
    // half, and one 4 GB back, differing only in the high half.
    for (const oldStart of [START - BigInt(SEG), START - 0x1_0000_0000n]) {
      const old = new SegmentBuilder({ start: oldStart });
      while (old.pos < SEG - 2 * BLOCK) old.xact(pgTime('2023-01-01T00:00:00Z'), 0x00, { extra: 200 });

      const b = new SegmentBuilder({ old: old.bytes });
      b.xact(pgTime('2024-03-01T14:00:00Z'));
      b.fillUntil(2 * BLOCK - 200);
      b.xact(pgTime('2024-03-01T14:00:01Z'));
      const live = b.bytes.slice(0, 3 * BLOCK); // the server had written pages 0 and 1; page 2 is stale
      b.noop(2 * BLOCK); // (a record that runs on through page 2 into page 3)
      const recycled = Uint8Array.from(old.bytes);
      recycled.set(live, 0);

      const { summary, scanner } = scan(recycled);
      expect(summary).toStrictEqual({ firstXactTime: '2024-03-01T14:00:00.000Z', lastXactTime: '2024-03-01T14:00:01.000Z', restorePoints: [], records: 3 });
      expect(scanner.end).toBe('end-of-wal');

      // Now the record running into the stale page 3: it was never written whole, so it does not count.
      const torn = Uint8Array.from(old.bytes);
      torn.set(b.bytes.slice(0, 3 * BLOCK), 0);
      const tornScan = scan(torn);
      expect(tornScan.summary.records).toBe(3);
      expect(tornScan.scanner.end).toBe('stale-page');
      expect(tornScan.scanner.recordOpenAtEnd).toBe(false);
    }
  });

  it('stops at a record whose xl_prev does not point at the record before it', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T15:00:00Z'));
    b.xact(pgTime('2024-03-01T15:00:01Z'), 0x00, { prev: START + 8n });
    b.xact(pgTime('2024-03-01T15:00:02Z'));
    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({ firstXactTime: '2024-03-01T15:00:00.000Z', lastXactTime: '2024-03-01T15:00:00.000Z', restorePoints: [], records: 1 });
    expect(scanner.end).toBe('bad-record');

    // The first record can only be checked to point backwards.
    const first = new SegmentBuilder();
    first.xact(pgTime('2024-03-01T15:00:00Z'), 0x00, { prev: START + 0x1000n });
    expect(scanWalSegment(first.bytes).records).toBe(0);
  });

  it('counts a record that runs into the next segment but takes no time from it', () => {
    for (const gap of [200, 16, 8]) {
      // 16 and 8: the record header itself is split across the segment boundary.
      const b = new SegmentBuilder();
      b.xact(pgTime('2024-03-01T16:00:00Z'));
      b.fillUntil(SEG - gap);
      b.xact(pgTime('2024-03-01T16:00:09Z'), 0x00, { extra: 300 });
      const { summary, scanner } = scan(b.bytes);
      expect(summary).toStrictEqual({ firstXactTime: '2024-03-01T16:00:00.000Z', lastXactTime: '2024-03-01T16:00:00.000Z', restorePoints: [], records: 3 });
      expect(scanner.recordOpenAtEnd).toBe(true);
      expect(scanner.end).toBe('segment-end');
    }
  });

  it('refuses a first page of another PostgreSQL release, big-endian WAL, or no WAL at all', () => {
    const pg12 = new SegmentBuilder({ magic: 0xd101 });
    pg12.xact(pgTime('2024-03-01T17:00:00Z'));
    expect(scanError(pg12.bytes).code).toBe('UNSUPPORTED_VERSION');

    const bigEndian = new SegmentBuilder();
    bigEndian.bytes.set([0xd1, 0x10, 0x00, 0x02], 0);
    expect(scanError(bigEndian.bytes)).toMatchObject({ code: 'UNSUPPORTED_VERSION', message: expect.stringContaining('big-endian') });

    expect(scanError(new Uint8Array(SEG)).code).toBe('NOT_WAL'); // a zero-filled, never-used segment
    expect(scanError(new TextEncoder().encode('not a WAL segment at all, just some text in a file')).code).toBe('NOT_WAL');
    expect(scanError(new Uint8Array(10)).code).toBe('NOT_WAL');

    const odd = new SegmentBuilder();
    odd.noop(24);
    new DataView(odd.bytes.buffer).setUint32(36, 3000, true); // block size not a power of two
    expect(scanError(odd.bytes).code).toBe('NOT_WAL');
  });

  it('stops at a later page with another magic', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T17:00:00Z'));
    b.fillUntil(BLOCK + 24);
    b.xact(pgTime('2024-03-01T17:00:01Z'));
    new DataView(b.bytes.buffer).setUint16(BLOCK, PG14, true);
    const { summary, scanner } = scan(b.bytes);
    expect(summary.records).toBe(2); // the commit on page 0 and the filler that ended exactly at its end
    expect(summary.lastXactTime).toBe('2024-03-01T17:00:00.000Z');
    expect(scanner.end).toBe('bad-page');
  });

  it('reads the segment start, block size and segment size from the first page', () => {
    const start = 0x1f_ffe0_0000n; // 2 MB segments of 1 kB pages
    const b = new SegmentBuilder({ blockSize: 1024, segSize: 2 << 20, start });
    b.fillUntil(3 * 1024 - 8);
    const point = b.restorePoint('small-pages');
    b.noop(5000);
    b.xact(pgTime('2024-03-01T18:00:00Z'));
    expect(lsnText(point)).toBe('1F/FFE00BF8');
    expect(scanWalSegment(b.bytes)).toStrictEqual({
      firstXactTime: '2024-03-01T18:00:00.000Z',
      lastXactTime: '2024-03-01T18:00:00.000Z',
      restorePoints: [{ name: 'small-pages', lsn: '1F/FFE00BF8' }],
      records: 4,
    });
    expect(scanWalSegment(b.bytes, { segmentStartLsn: start }).records).toBe(4);
    expect(scanError(b.bytes, { segmentStartLsn: start + BigInt(2 << 20) }).code).toBe('WRONG_SEGMENT');
  });

  it('finds the main data after block references, origin and top-level xid headers', () => {
    const cases: Array<{ magic: number; blocks: Uint8Array; blockBytes: number }> = [
      // PG 15+: a PGLZ-compressed image with a hole carries hole_length.
      { magic: PG15, blocks: blockRef({ id: 0, dataLen: 10, image: { len: 300, holeOffset: 100, info: 0x01 | 0x04, holeLength: 7000 } }), blockBytes: 310 },
      // PG 15+: an uncompressed image (BKPIMAGE_APPLY 0x02) with a hole does not.
      { magic: PG15, blocks: blockRef({ id: 0, image: { len: 6000, holeOffset: 100, info: 0x01 | 0x02 } }), blockBytes: 6000 },
      // PG 14: 0x02 means compressed, so hole_length follows...
      { magic: PG14, blocks: blockRef({ id: 0, image: { len: 400, holeOffset: 100, info: 0x01 | 0x02, holeLength: 6000 } }), blockBytes: 400 },
      // ...and 0x04 is BKPIMAGE_APPLY, so it does not.
      { magic: PG14, blocks: blockRef({ id: 0, image: { len: 6000, holeOffset: 100, info: 0x01 | 0x04 } }), blockBytes: 6000 },
      // Two blocks of one relation, the second with BKPBLOCK_SAME_REL.
      { magic: PG15, blocks: Uint8Array.from([...blockRef({ id: 0, dataLen: 20 }), ...blockRef({ id: 3, dataLen: 30, sameRel: true })]), blockBytes: 50 },
    ];
    for (const c of cases) {
      const b = new SegmentBuilder({ magic: c.magic });
      b.xact(pgTime('2024-03-01T19:00:00Z', 42_000), 0x00, {
        blocks: c.blocks,
        blockData: new Uint8Array(c.blockBytes).fill(9),
        extraHeaders: Uint8Array.of(253, 1, 0, 252, 0xd2, 0x04, 0, 0),
        longData: true,
      });
      b.fillUntil(2 * BLOCK - 16);
      b.xact(pgTime('2024-03-01T19:00:01Z'), 0x20, { blocks: c.blocks, blockData: new Uint8Array(c.blockBytes).fill(9) });
      expect(scanWalSegment(b.bytes), `magic ${c.magic.toString(16)} ${c.blocks.join(',')}`).toStrictEqual({
        firstXactTime: '2024-03-01T19:00:00.042Z',
        lastXactTime: '2024-03-01T19:00:01.000Z',
        restorePoints: [],
        records: 3,
      });
    }
  });

  it('counts but does not summarise a record whose headers do not add up', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T20:00:00Z'));
    b.xact(pgTime('2024-03-01T20:00:01Z'), 0x00, { dataHeader: Uint8Array.of(100, 12) }); // no such block id
    b.xact(pgTime('2024-03-01T20:00:02Z'), 0x00, { dataHeader: Uint8Array.of(255, 200) }); // longer than the record
    b.xact(pgTime('2024-03-01T20:00:03Z'), 0x00, { blocks: blockRef({ id: 1, dataLen: 8, sameRel: true }), blockData: new Uint8Array(8) }); // SAME_REL first
    b.noop(24);
    expect(scanWalSegment(b.bytes)).toStrictEqual({ firstXactTime: '2024-03-01T20:00:00.000Z', lastXactTime: '2024-03-01T20:00:00.000Z', restorePoints: [], records: 5 });
  });

  it('drops a record whose continuation the server overwrote, and goes on from the overwrite', () => {
    const build = (flags: number) => {
      const b = new SegmentBuilder();
      b.xact(pgTime('2024-03-01T21:00:00Z'));
      b.fillUntil(BLOCK - 64);
      const lastComplete = b.prev;
      b.xact(pgTime('2024-03-01T21:00:01Z'), 0x00, { extra: 200 }); // its continuation on page 1 was lost...
      b.pageHeader(1, 0, flags); // ...and page 1 rewritten from its start
      b.prev = lastComplete;
      b.xact(pgTime('2024-03-01T21:00:02Z'));
      return { bytes: b.bytes };
    };
    const overwritten = scan(build(XLP_FIRST_IS_OVERWRITE_CONTRECORD).bytes);
    expect(overwritten.summary).toStrictEqual({ firstXactTime: '2024-03-01T21:00:00.000Z', lastXactTime: '2024-03-01T21:00:02.000Z', restorePoints: [], records: 3 });

    const missing = scan(build(0).bytes);
    expect(missing.summary.records).toBe(2);
    expect(missing.scanner.end).toBe('bad-contrecord');
  });

  it('stops where a continuation gives another remaining length than the record needs', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T21:00:00Z'));
    b.fillUntil(BLOCK - 64);
    b.xact(pgTime('2024-03-01T21:00:01Z'), 0x00, { extra: 200 });
    b.xact(pgTime('2024-03-01T21:00:02Z'));
    expect(scanWalSegment(b.bytes).records).toBe(4);
    const view = new DataView(b.bytes.buffer);
    view.setUint32(BLOCK + 16, view.getUint32(BLOCK + 16, true) + 8, true);
    const { summary, scanner } = scan(b.bytes);
    expect(summary).toStrictEqual({ firstXactTime: '2024-03-01T21:00:00.000Z', lastXactTime: '2024-03-01T21:00:00.000Z', restorePoints: [], records: 2 });
    expect(scanner.end).toBe('bad-contrecord');
  });

  it('gives the same summary whatever the chunks it is fed in', () => {
    const b = new SegmentBuilder({ continuation: 9000 });
    for (let i = 0; b.pos < SEG - 3 * BLOCK; i++) {
      if (i % 50 === 7) b.restorePoint(`point-${i}`);
      else if (i % 3 === 0) b.xact(pgTime('2024-03-02T00:00:00Z', i * 1000), i % 2 ? 0x20 : 0x00, { extra: (i * 37) % 500 });
      else b.noop(24 + ((i * 88) % 3000));
    }
    b.fillUntil(SEG - 8);
    b.xact(pgTime('2024-03-03T00:00:00Z'));
    const whole = scan(b.bytes);
    expect(whole.summary.records).toBeGreaterThan(300);
    expect(whole.summary.restorePoints.length).toBeGreaterThan(5);
    expect(whole.scanner.recordOpenAtEnd).toBe(true);
    for (const size of [13, 4099, BLOCK, BLOCK + 1, 65_536]) {
      const s = new WalSegmentScanner();
      for (let off = 0; off < b.bytes.length; off += size) s.push(b.bytes.subarray(off, off + size));
      expect(s.finish(), `chunks of ${size}`).toStrictEqual(whole.summary);
      expect(s.recordOpenAtEnd).toBe(true);
    }
  });

  it('summarises a segment cut short as far as it goes', () => {
    const b = new SegmentBuilder();
    b.xact(pgTime('2024-03-01T22:00:00Z'));
    b.fillUntil(BLOCK + 100 * 8);
    b.xact(pgTime('2024-03-01T22:00:01Z'));
    const cut = scan(b.bytes.subarray(0, BLOCK + 100 * 8 + 20)); // inside the second commit
    expect(cut.summary).toStrictEqual({ firstXactTime: '2024-03-01T22:00:00.000Z', lastXactTime: '2024-03-01T22:00:00.000Z', restorePoints: [], records: 3 });
    expect(cut.scanner.end).toBe('input-end');
    expect(cut.scanner.recordOpenAtEnd).toBe(true);
    // Bytes past the segment's size are not read.
    const longer = new Uint8Array(SEG + BLOCK);
    longer.set(b.bytes, 0);
    longer.set(b.bytes.subarray(0, BLOCK), SEG);
    expect(scanWalSegment(longer).records).toBe(3);
  });
});
