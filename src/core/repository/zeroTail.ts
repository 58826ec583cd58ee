// The "zero-tail" layer: a file's trailing zero bytes are not stored, only its full length (sourceBytes).
// A WAL segment closed early (pg_switch_wal, archive_timeout, a quiet server) is mostly zeros after its last
// record; inflating those 16 MB and writing them again made staging WAL for a restore cost more than the
// replay itself. Readers either write the zeros back or, where PostgreSQL never reads past the switch record
// (a scratch restore), extend the file to its length without writing them (a sparse tail).
import { Transform, type TransformCallback } from 'node:stream';

const PROBE = 64 << 10;
const ZEROS = Buffer.alloc(1 << 20);

/** Index just past the last non-zero byte of b (0 when b is all zeros), found a memcmp probe at a time. */
function endOfData(b: Buffer): number {
  let probeEnd = b.length;
  while (probeEnd > 0) {
    const probeStart = Math.max(0, probeEnd - PROBE);
    const part = b.subarray(probeStart, probeEnd);
    if (part.compare(ZEROS, 0, part.length) !== 0) {
      let i = part.length;
      while (part[i - 1] === 0) i--;
      return probeStart + i;
    }
    probeEnd = probeStart;
  }
  return 0;
}

/** Pushes n zero bytes, in pieces of the shared zero buffer (nobody downstream writes into its input). */
function pushZeros(stream: Transform, n: number): void {
  for (let left = n; left > 0; left -= ZEROS.length) stream.push(ZEROS.subarray(0, Math.min(left, ZEROS.length)));
}

/** Passes data through but holds back any run of zeros, releasing it only if more data follows. */
export class ZeroTailTrimmer extends Transform {
  /** Zero bytes held back so far; dropped at the end. */
  private held = 0;

  constructor(highWaterMark: number) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const end = endOfData(chunk);
    if (end === 0) {
      this.held += chunk.length;
      return done();
    }
    pushZeros(this, this.held);
    this.held = chunk.length - end;
    done(null, chunk.subarray(0, end));
  }
}

/**
 * Undoes the trimming: appends zeros until `length` bytes have passed, or only checks the length when the
 * consumer extends the file itself ('leave'). More than `length` means the file is not what was stored.
 */
export class ZeroTailPadder extends Transform {
  private bytes = 0;

  constructor(
    private readonly length: number,
    private readonly zeros: 'write' | 'leave',
    highWaterMark: number,
    private readonly onTooLong: () => Error,
  ) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.length) return done(this.onTooLong());
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.zeros === 'write') pushZeros(this, this.length - this.bytes);
    done();
  }
}
