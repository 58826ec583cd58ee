// The frame of an object store's put: the source is fed through a byte counter of our own, so a cancel (or a
// failing source) reaches the parted upload (partedUpload.ts) as a failed body, which then abandons its parts
// before the put settles instead of committing what it had; the counter says how many bytes were stored,
// which neither S3's nor Azure's answer does.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PutOptions } from './repositoryStore';
import { cancelledError } from './storeCancellation';

class ByteCounter extends Transform {
  bytes = 0;
  constructor() {
    // The upload reads its body with for-await, and a byte stream's read() joins every buffered piece into a
    // new buffer (a copy of each byte before the copy into a part): handed on as objects, the pieces reach
    // the upload as they are. About 32 pieces wait (the sealed 1 MiB chunks of a backup).
    super({ writableHighWaterMark: 4 << 20, readableObjectMode: true, readableHighWaterMark: 32 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * Runs upload(body) with body the counted source; a failure (the upload's, the source's or a cancel) is
 * handed to fail, which names the store and the key.
 */
export async function countedUpload(
  source: Readable | AsyncIterable<Uint8Array>,
  options: PutOptions,
  storeName: string,
  upload: (body: Readable) => Promise<unknown>,
  fail: (err: unknown) => unknown,
): Promise<{ bytes: number }> {
  const counter = new ByteCounter();
  const feeding = pipeline(source, counter).catch((err: unknown) => counter.destroy(err as Error));
  const onAbort = () => counter.destroy(cancelledError(options.signal, storeName));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload(counter);
    await feeding;
    return { bytes: counter.bytes };
  } catch (err) {
    if (typeof (source as Readable).destroy === 'function') (source as Readable).destroy();
    throw fail(err);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
