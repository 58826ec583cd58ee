// The last stage of every repository write: seals the bytes in CHUNK_SIZE chunks (when there is a key),
// hashes what is stored and hands it to the store's writer (a file, a multipart or block upload), in one
// Writable.
//
// Why one stage rather than an encrypting Transform and a hashing Writable: on a backup all of
// pg_basebackup's output crosses it, and every stream hop costs CPU that the tool and the server need on a
// small machine. Incoming pieces are copied into one reused chunk buffer, each chunk is sealed in
// SEAL_PIECE pieces, and writes go out in batches with at most one in flight.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { CHUNK_SIZE, ChunkSealer } from './chunkedCipher';
import type { StoreWriter } from './store/repositoryStore';

/** Ciphertext is written in batches of about this size: fewer thread-pool round trips than one per chunk. */
const WRITE_BATCH = 4 << 20;
/** How much may wait behind a write in flight before the source is paused. */
const MAX_QUEUED = 16 << 20;
/**
 * Each chunk is encrypted in pieces of this size. Every piece's ciphertext is a fresh buffer, and glibc
 * serves blocks from 128 KiB up with their own mmap: 1 MiB pieces made encryption four times slower, all
 * of it in page faults (measured: 256 MiB in 600 ms against 150 ms with 64 KiB pieces).
 */
const SEAL_PIECE = 64 << 10;

export class StoredFileSink extends Writable {
  bytes = 0;
  /** Bytes received (before sealing). */
  plainBytes = 0;
  private readonly hash = createHash('sha256');
  private readonly sealer: ChunkSealer | undefined;
  private readonly chunk: Buffer | undefined;
  private fill = 0;
  private queue: Buffer[] = [];
  private queued = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  private writing = false;
  private writeError: Error | undefined;

  constructor(
    private readonly writer: Pick<StoreWriter, 'write'>,
    key: Buffer | undefined,
    private readonly onPlainBytes?: (total: number) => void,
  ) {
    super({ highWaterMark: WRITE_BATCH });
    if (key) {
      this.sealer = new ChunkSealer(key);
      this.chunk = Buffer.allocUnsafe(CHUNK_SIZE);
      this.enqueue(this.sealer.header);
    }
  }

  /** The file's SHA-256, once the stream has finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  override _write(data: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.writeError) return done(this.writeError);
    this.plainBytes += data.length;
    this.onPlainBytes?.(this.plainBytes);
    if (!this.sealer) this.enqueue(data);
    else this.absorb(data);
    if (this.queued < WRITE_BATCH) return done();
    // Start a write if none is running; make the source wait only when the disk falls far behind.
    if (!this.writing) this.flush();
    if (this.queued < MAX_QUEUED) return done();
    this.inFlight.then(() => this.flush()).then(() => done(this.writeError), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    if (this.sealer) this.sealChunk(this.fill, true);
    this.inFlight
      .then(() => this.flush())
      .then(() => this.inFlight)
      .then(() => done(this.writeError), done);
  }

  /** Copies data into the chunk buffer, sealing a full chunk only when more data follows (only the last
   * chunk may carry the final flag). */
  private absorb(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.fill === CHUNK_SIZE) {
        this.sealChunk(CHUNK_SIZE, false);
        this.fill = 0;
      }
      const take = Math.min(CHUNK_SIZE - this.fill, data.length - offset);
      data.copy(this.chunk!, this.fill, offset, offset + take);
      this.fill += take;
      offset += take;
    }
  }

  private sealChunk(size: number, final: boolean): void {
    const pieces: Buffer[] = [];
    for (let at = 0; at < size; at += SEAL_PIECE) pieces.push(this.chunk!.subarray(at, Math.min(size, at + SEAL_PIECE)));
    for (const out of this.sealer!.seal(pieces, final)) this.enqueue(out);
  }

  private enqueue(out: Buffer): void {
    this.hash.update(out);
    this.bytes += out.length;
    this.queue.push(out);
    this.queued += out.length;
  }

  /** Starts a write of everything queued; only call it when no write is running. */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    if (!batch.length) return;
    this.writing = true;
    // A failed write (a full disk, a lost connection) is kept and reported by the next _write or by _final,
    // never left as an unhandled rejection while nobody waits for it. The store flushes as it goes (posix:
    // a background fdatasync every 64 MiB; object stores: each part is stored when sent).
    this.inFlight = this.writer.write(batch).then(
      () => {
        this.writing = false;
      },
      (err: Error) => {
        this.writing = false;
        this.writeError ??= err;
      },
    );
  }
}
