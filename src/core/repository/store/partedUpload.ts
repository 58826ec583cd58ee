// A streamed upload in parts, the same for S3 (multipart uploads) and Azure Blob (staged blocks): the source's
// pieces are gathered into parts, up to queueSize parts are sent at once while the source goes on, and the
// parts are committed in order at the end. An object that ends within its first part goes up in one request.
// A failure (the source's, a part's, the caller's cancel) stops the parts in flight and abandons what was sent
// before the call settles, so nothing half-stored outlives it (a killed process leaves its parts to
// cleanIncomplete).
//
// Parts are gathered in buffers that are used again from part to part and from upload to upload
// (partBufferPool.ts), not in a new buffer per part as the SDKs' own stream uploads do (lib-storage's Upload
// joins each part with Buffer.concat; Azure's uploadStream allocates its buffers per call). A part stays in
// flight long enough for V8 to move its buffer's handle to the old generation, and V8 counts the memory behind
// such buffers against the old generation's limit until its next full collection: new part buffers forced
// several more full collections per backup (README, "npm run bench:objectstore"). The SDKs still sign (S3) and
// retry each part: the body they get is a buffer.
import type { PartBufferPool } from './partBufferPool';

/** What a store does with the parts (S3: s3MultipartUpload.ts, Azure: azureBlockUpload.ts). */
export interface PartedUploadTarget {
  /** Stores the whole object in one request: it ended within its first part. */
  putWhole(body: Buffer, signal: AbortSignal): Promise<void>;
  /** Sends part `number` (from 1). Called with up to queueSize parts at once. */
  sendPart(number: number, body: Buffer, signal: AbortSignal): Promise<void>;
  /** Makes parts 1 to `count`, in order, the object. */
  commit(count: number, signal: AbortSignal): Promise<void>;
  /** Removes what was sent after a failure, if anything was; never throws. */
  abandon(): Promise<void>;
}

export interface PartedUploadOptions {
  /** Bytes per part (the last one holds what is left). */
  partSize: number;
  /** Parts sent at once; the source waits while this many are in flight. */
  queueSize: number;
  /** Where part buffers come from and go back to. */
  buffers: PartBufferPool;
  signal?: AbortSignal;
}

/**
 * One part being gathered. It starts in a pooled buffer and moves to one of its full size only when it
 * outgrows that: most objects of unknown length (WAL segments, manifests) are smaller than a part.
 */
class Part {
  bytes = 0;
  buffer: Buffer;

  constructor(
    readonly number: number,
    /** The part's bytes when full. */
    readonly size: number,
    private readonly buffers: PartBufferPool,
  ) {
    this.buffer = buffers.take(Math.min(size, buffers.size));
  }

  /** Copies what fits of piece from offset on; returns how many bytes it took. */
  take(piece: Uint8Array, offset: number): number {
    if (this.bytes === this.buffer.length) this.grow();
    const n = Math.min(this.buffer.length - this.bytes, piece.length - offset);
    this.buffer.set(offset === 0 && n === piece.length ? piece : piece.subarray(offset, offset + n), this.bytes);
    this.bytes += n;
    return n;
  }

  private grow(): void {
    const larger = Buffer.allocUnsafeSlow(this.size);
    larger.set(this.buffer);
    this.buffers.give(this.buffer);
    this.buffer = larger;
  }

  get full(): boolean {
    return this.bytes === this.size;
  }

  get body(): Buffer {
    return this.buffer.subarray(0, this.bytes);
  }
}

/** Uploads the whole of source through target; rejects (after abandoning what it sent) when anything fails. */
export async function uploadInParts(source: AsyncIterable<Uint8Array>, target: PartedUploadTarget, options: PartedUploadOptions): Promise<void> {
  const { partSize, queueSize, buffers, signal } = options;
  // Parts in flight stop when the upload fails, whoever failed first: the caller, the source or a part.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let failed: { err: unknown } | undefined;
  const inFlight = new Set<Promise<void>>();
  const throwIfFailed = () => {
    if (failed) throw failed.err;
  };

  const launch = (part: Part) => {
    const sending: Promise<void> = target
      .sendPart(part.number, part.body, stop.signal)
      .then(
        // Only a part the server answered goes back: a failed request may still hold its body.
        () => buffers.give(part.buffer),
        (err: unknown) => {
          failed ??= { err };
          stop.abort(err);
        },
      )
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  // The part being gathered; undefined while none is (its buffer is then the SDK's or the pool's).
  let part: Part | undefined = new Part(1, partSize, buffers);
  try {
    for await (const piece of source) {
      throwIfFailed();
      let offset = 0;
      while (offset < piece.length) {
        if (part.full) {
          // A full part is sent once more bytes come: the last part is never empty, and an object of exactly
          // one part goes up in one request.
          const next: number = part.number + 1;
          launch(part);
          part = undefined;
          while (inFlight.size >= queueSize) await Promise.race(inFlight);
          throwIfFailed();
          part = new Part(next, partSize, buffers);
        }
        offset += part.take(piece, offset);
      }
    }
    const last = part;
    part = undefined;
    // Nothing sent yet: the object ended within its first part.
    if (last.number === 1) {
      await target.putWhole(last.body, stop.signal);
      buffers.give(last.buffer);
      return;
    }
    launch(last);
    await Promise.all(inFlight);
    throwIfFailed();
    await target.commit(last.number, stop.signal);
  } catch (err) {
    stop.abort(err);
    if (part) buffers.give(part.buffer);
    await Promise.all(inFlight);
    await target.abandon();
    // The first failure is the cause; the parts stopped because of it only say they were aborted.
    throw failed && !isAbortError(failed.err) ? failed.err : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function isAbortError(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError';
}
