// What the S3 and Azure Blob stores share above their SDKs: a writer fed into their own streamed put, small
// reads collected from a get, the ranged reads neither server answers as a file would (an empty range; a
// range from exactly the end, answered 416), and a body handed out through a buffer of Lifeboat's own whose
// late failures are classified like any other. Each store keeps its SDK calls and its error names.
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GetBytesOptions, GetOptions, PutOptions, StoreCallOptions, StoredObject, StoreWriter } from './repositoryStore';
import { collectBytes } from './collectBytes';
import { streamedWriter } from './streamedWriter';
import { throwIfCancelled } from './storeCancellation';
import { assertStoreKey } from './storeKey';

export abstract class ObjectStore {
  abstract readonly name: string;
  abstract put(key: string, source: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<{ bytes: number }>;
  abstract get(key: string, options?: GetOptions): Promise<Readable>;
  abstract stat(key: string, options?: StoreCallOptions): Promise<StoredObject | undefined>;
  /** The store's LifeboatError for an SDK failure, naming the repository and the key. */
  protected abstract fail(err: unknown, key: string | undefined, signal?: AbortSignal): unknown;

  async openWriter(key: string, options: PutOptions = {}): Promise<StoreWriter> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    return streamedWriter((source, o) => this.put(key, source, o), options);
  }

  async getBytes(key: string, options: GetBytesOptions = {}): Promise<Buffer> {
    return collectBytes(await this.get(key, options));
  }

  /**
   * Nothing, as a file read at offset gives, where the server cannot say so itself: an empty range (neither
   * store has one: the object must exist and reach offset), or a range from exactly the end (atEnd: the
   * server answered 416, which is right only when offset is the object's size). Otherwise missing or pastEnd.
   */
  protected async emptyRead(key: string, offset: number, options: StoreCallOptions, missing: unknown, pastEnd: unknown, o: { atEnd?: boolean } = {}): Promise<Readable> {
    const found = await this.stat(key, options);
    if (!found) throw this.fail(missing, key, options.signal);
    if (o.atEnd ? found.size !== offset : offset > found.size) throw this.fail(pastEnd, key, options.signal);
    return Readable.from([]);
  }

  /** The SDK's body through a 1 MiB buffer of our own; a failure later in the stream names the store and key. */
  protected handOut(body: Readable, key: string, signal: AbortSignal | undefined): Readable {
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    pipeline(body, out, { signal }).catch((err) => out.destroy(this.fail(err, key, signal) as Error));
    return out;
  }
}
