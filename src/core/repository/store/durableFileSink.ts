// Writes a stream into an open file and flushes it to disk as it goes (every SYNC_EVERY bytes, in the
// background), so the fsync that acknowledges a put has little left to do and a write-back error (a full
// thin-provisioned volume, an NFS server that went away) fails the write instead of being lost.
import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** As storedFileSink.ts: without it a large backup sits dirty in the page cache until the final fsync. */
const SYNC_EVERY = 64 << 20;

export class DurableFileSink extends Writable {
  bytes = 0;
  private unsynced = 0;
  private syncing: Promise<void> | undefined;
  private syncError: Error | undefined;

  constructor(private readonly handle: FileHandle) {
    super({ highWaterMark: 4 << 20 });
  }

  override _write(chunk: Uint8Array, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => done(this.syncError), done);
  }

  override _writev(chunks: { chunk: Uint8Array }[], done: (err?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => done(this.syncError), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.settle().then(() => done(), done);
  }

  /** Waits for the background flush in progress; throws the write-back error one of them met. */
  async settle(): Promise<void> {
    await this.syncing;
    if (this.syncError) throw this.syncError;
  }

  /** Writes pieces in order, for a writer that batches itself (StoreWriter); as the stream's own writes. */
  async writeAll(pieces: Uint8Array[]): Promise<void> {
    if (this.syncError) throw this.syncError;
    const total = pieces.reduce((n, p) => n + p.byteLength, 0);
    let { bytesWritten } = await this.handle.writev(pieces);
    // A short write (rare on files, possible on network file systems): the rest goes out piece by piece.
    for (let skipped = 0, i = 0; bytesWritten < total && i < pieces.length; i++) {
      const piece = pieces[i]!;
      const end = skipped + piece.byteLength;
      if (end > bytesWritten) {
        const rest = piece.subarray(Math.max(0, bytesWritten - skipped));
        for (let at = 0; at < rest.byteLength; ) at += (await this.handle.write(rest, at)).bytesWritten;
        bytesWritten = end;
      }
      skipped = end;
    }
    this.bytes += total;
    this.unsynced += total;
    if (this.unsynced >= SYNC_EVERY && !this.syncing) {
      this.unsynced = 0;
      // Kept and reported by the next write or at the end: Linux reports a write-back error only once per file.
      this.syncing = this.handle.datasync().then(
        () => (this.syncing = undefined),
        (err: Error) => {
          this.syncing = undefined;
          this.syncError ??= err;
        },
      );
    }
  }
}
