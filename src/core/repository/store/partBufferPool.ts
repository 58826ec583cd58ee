// Buffers for upload parts, kept between parts and between uploads. A part stays in flight for tens of
// milliseconds, long enough for V8 to move a new buffer's handle to the old generation; V8 then frees the
// memory behind it only at a full collection, and counts every byte allocated that way since the last one
// against the old generation's limit. Buffers used again are allocated once, so a stream of backups and WAL
// segments does not force full collections as it goes.
export class PartBufferPool {
  private readonly free: Buffer[] = [];

  /**
   * Keeps up to `keep` buffers of `size` bytes (the common part size); buffers of other sizes are allocated
   * for their part and left to the collector.
   */
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(size: number): Buffer {
    return (size === this.size ? this.free.pop() : undefined) ?? Buffer.allocUnsafeSlow(size);
  }

  /** Hands a buffer back once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}
