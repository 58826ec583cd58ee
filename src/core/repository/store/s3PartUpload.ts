// A streamed upload into S3 whose parts are gathered in buffers that are used again from part to part and
// from upload to upload (partBufferPool.ts). lib-storage's Upload joins each part into a new buffer
// (Buffer.concat); parts stay in flight long enough to outlive V8's young-generation collections, and V8
// counts the memory behind buffers allocated since its last full collection against the old generation's
// limit, so every 10-15 MB of new part buffers forced a full collection: five per 23 MB backup, the largest
// share of what an S3 backup cost over a local one (measured, see the README's benchmark section).
//
// The shape is lib-storage's: one PutObject when everything fits in one part; otherwise a multipart upload
// with up to queueSize parts in flight, completed in part order, and aborted before the call settles when
// the source, a part or the caller fails. The SDK signs each part's SHA-256 (the server checks every byte it
// receives against it) and retries a failed part itself, which it can because the body is a buffer.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PartBufferPool } from './partBufferPool';

export interface S3PartUploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  /** Bytes per part (S3: at least 5 MiB except the last, at most 10,000 parts). */
  partSize: number;
  /** Parts uploaded at once; the source waits while this many are in flight. */
  queueSize: number;
  /** Where part buffers come from and go back to. */
  buffers: PartBufferPool;
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

/** Uploads the whole of source to target.key; rejects (after aborting what it began) when anything fails. */
export async function uploadInParts(source: AsyncIterable<Uint8Array>, target: S3PartUploadTarget, signal?: AbortSignal): Promise<void> {
  const { client, bucket, key, partSize, queueSize, buffers } = target;
  // Parts in flight stop when the upload fails, whoever failed first: the caller, the source or a part.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let uploadId: string | undefined;
  let failed: { err: unknown } | undefined;
  const inFlight = new Set<Promise<void>>();
  const sent: Array<{ PartNumber: number; ETag: string }> = [];
  const throwIfFailed = () => {
    if (failed) throw failed.err;
  };

  const launch = (part: Part) => {
    const command = new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: part.number, Body: part.body, ContentLength: part.bytes });
    const sending: Promise<void> = client
      .send(command, { abortSignal: stop.signal })
      .then(
        (answer) => {
          sent.push({ PartNumber: part.number, ETag: answer.ETag ?? '' });
          // Only a part the server answered goes back: a failed request may still hold its body.
          buffers.give(part.buffer);
        },
        (err: unknown) => {
          failed ??= { err };
          stop.abort(err);
        },
      )
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  let numbered = 0;
  // The part being gathered; undefined while none is (its buffer is then the SDK's or the pool's).
  let part: Part | undefined;
  try {
    part = new Part(++numbered, partSize, buffers);
    for await (const piece of source) {
      throwIfFailed();
      let offset = 0;
      while (offset < piece.length) {
        if (part.full) {
          // A full part is sent once more bytes come: the last part is never empty, and an object of exactly
          // one part goes up as one PutObject.
          uploadId ??= (await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: stop.signal })).UploadId;
          launch(part);
          part = undefined;
          while (inFlight.size >= queueSize) await Promise.race(inFlight);
          throwIfFailed();
          part = new Part(++numbered, partSize, buffers);
        }
        offset += part.take(piece, offset);
      }
    }
    if (uploadId === undefined) {
      const only = part;
      part = undefined;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: only.body, ContentLength: only.bytes }), { abortSignal: stop.signal });
      buffers.give(only.buffer);
      return;
    }
    launch(part);
    part = undefined;
    await Promise.all(inFlight);
    throwIfFailed();
    sent.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: sent } }), { abortSignal: stop.signal });
  } catch (err) {
    stop.abort(err);
    if (part) buffers.give(part.buffer);
    await Promise.all(inFlight);
    // What was sent is removed before the caller hears of the failure, so no half-stored object outlives it
    // (a killed process leaves its parts to cleanIncomplete). The abort is sent without the caller's signal:
    // a cancel must still clean up.
    if (uploadId !== undefined) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    // The first failure is the cause; the parts stopped because of it only say they were aborted.
    throw failed && !isAbortError(failed.err) ? failed.err : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function isAbortError(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError';
}
