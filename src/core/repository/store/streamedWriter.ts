// A StoreWriter for the object stores: the pieces are fed into the store's own streamed put (S3 multipart,
// Azure block upload) through one buffered stream, so the upload's parts are cut, sent and retried exactly as
// a put's are, and an abort fails that put (which aborts its upload) instead of completing it.
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { PutOptions, StoreWriter } from './repositoryStore';

/** What may wait for the upload before write() makes its caller wait: about one part of an upload. */
const BUFFERED = 8 << 20;

export function streamedWriter(put: (source: Readable, options: PutOptions) => Promise<{ bytes: number }>, options: PutOptions = {}): StoreWriter {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const body = new PassThrough({ highWaterMark: BUFFERED });
  let failure: unknown;
  const stored = put(body, { ...options, signal: controller.signal }).finally(() => options.signal?.removeEventListener('abort', onAbort));
  // Kept for write() and commit() to report; a failed upload is never an unhandled rejection.
  const settled = stored.then(
    () => undefined,
    (err: unknown) => {
      failure = err;
    },
  );
  return {
    async write(pieces) {
      for (const piece of pieces) {
        if (failure !== undefined) throw failure;
        if (!body.write(piece)) await Promise.race([once(body, 'drain'), settled]);
      }
      if (failure !== undefined) throw failure;
    },
    async commit() {
      body.end();
      return stored;
    },
    async abort() {
      controller.abort();
      body.destroy();
      await settled;
    },
  };
}
