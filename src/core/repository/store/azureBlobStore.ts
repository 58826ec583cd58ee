// The repository in an Azure Blob Storage container, under a prefix, as block blobs. A put stages the
// stream's blocks and commits the block list at the end, so a blob appears only whole: blocks of a stream
// that failed stay uncommitted, which no listing shows (Azure discards them after a week, cleanIncomplete
// at once). Create-if-absent is a Put Blob with If-None-Match: *, the commit point of manifests and locks.
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import type { DefaultAzureCredential } from '@azure/identity';
import { Readable } from 'node:stream';
import { LifeboatError } from '../../lifeboatError';
import { classifyAzureError } from './classifyAzureError';
import { formatRepositoryLocation, type AzureBlobLocation } from './parseRepositoryLocation';
import type { CleanIncompleteOptions, GetOptions, ListOptions, PutOptions, RepositoryStore, StoreCallOptions, StoredObject } from './repositoryStore';
import { ObjectStore } from './objectStore';
import { throwIfCancelled } from './storeCancellation';
import { azureBlockUpload } from './azureBlockUpload';
import { countedUpload } from './countedUpload';
import { PartBufferPool } from './partBufferPool';
import { uploadInParts } from './partedUpload';
import type { AzureCredentials } from './storeCredentials';
import { assertStoreFolder, assertStoreKey, assertStorePrefix } from './storeKey';
import { AZURE_BLOCKS, uploadPartSize } from './uploadPartSize';

export interface AzureBlobStoreOptions {
  credentials: AzureCredentials;
  /** Where the credentials came from, named in AUTH_FAILED's hint (never the value). */
  credentialsFrom: string;
  /** Bytes per staged block of every put, instead of sizing them by the put's expectedBytes. */
  blockSize?: number;
  /** Blocks staged at once. */
  concurrency?: number;
  /** Attempts per request, the first included. */
  maxTries?: number;
  /** First delay between attempts (it doubles, up to 8 s). */
  retryDelayMs?: number;
}

/** List Blobs' own maximum. */
const MAX_PAGE = 5000;

export class AzureBlobStore extends ObjectStore implements RepositoryStore {
  readonly name: string;
  private readonly container: ContainerClient;
  private readonly concurrency: number;
  /** The common block's buffers, one per block in flight and one being gathered: about 20 MiB once used. */
  private readonly blockBuffers: PartBufferPool;

  private constructor(
    readonly location: AzureBlobLocation,
    private readonly options: AzureBlobStoreOptions,
    credential: StorageSharedKeyCredential | AnonymousCredential | DefaultAzureCredential,
    sasToken: string | undefined,
  ) {
    super();
    this.name = formatRepositoryLocation(location);
    this.concurrency = options.concurrency ?? 4;
    this.blockBuffers = new PartBufferPool(AZURE_BLOCKS.min, this.concurrency + 1);
    const pipelineOptions: StoragePipelineOptions = {
      retryOptions: { maxTries: options.maxTries ?? 4, retryDelayInMs: options.retryDelayMs ?? 800, maxRetryDelayInMs: 8_000 },
    };
    const url = `${location.endpoint}/${location.container}${sasToken ? `?${sasToken.replace(/^\?/, '')}` : ''}`;
    this.container = new ContainerClient(url, credential, pipelineOptions);
  }

  /** DefaultAzureCredential loads only when asked for: @azure/identity is large and most stores use a key. */
  static async open(location: AzureBlobLocation, options: AzureBlobStoreOptions): Promise<AzureBlobStore> {
    const c = options.credentials;
    if (c.kind === 'account-key') return new AzureBlobStore(location, options, new StorageSharedKeyCredential(location.account, c.accountKey), undefined);
    if (c.kind === 'sas') return new AzureBlobStore(location, options, new AnonymousCredential(), c.sasToken);
    const { DefaultAzureCredential } = await import('@azure/identity');
    return new AzureBlobStore(location, options, new DefaultAzureCredential(), undefined);
  }

  private blob(key: string) {
    return this.container.getBlockBlobClient(this.location.prefix + key);
  }

  protected fail(err: unknown, key: string | undefined, signal?: AbortSignal): unknown {
    return classifyAzureError(err, { storeName: this.name, location: this.location, credentialsFrom: this.options.credentialsFrom, key, signal });
  }

  async put(key: string, source: Readable | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    return countedUpload(
      source,
      options,
      this.name,
      (body) =>
        uploadInParts(body, azureBlockUpload(this.blob(key)), {
          partSize: this.options.blockSize ?? uploadPartSize(options.expectedBytes, AZURE_BLOCKS),
          queueSize: this.concurrency,
          buffers: this.blockBuffers,
          signal: options.signal,
        }),
      (err) => this.fail(err, key, options.signal),
    );
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    const range = options.range;
    if (range?.length === 0) return this.emptyRead(key, range.offset, options, Object.assign(new Error('BlobNotFound'), { code: 'BlobNotFound', statusCode: 404 }), Object.assign(new Error('InvalidRange'), { code: 'InvalidRange', statusCode: 416 }));
    let body: Readable;
    try {
      const answer = await this.blob(key).download(range?.offset ?? 0, range?.length, { abortSignal: options.signal });
      body = answer.readableStreamBody as Readable;
    } catch (err) {
      if (range && (err as { statusCode?: number }).statusCode === 416) return this.emptyRead(key, range.offset, options, err, err, { atEnd: true });
      throw this.fail(err, key, options.signal);
    }
    return this.handOut(body, key, options.signal);
  }

  async stat(key: string, options: StoreCallOptions = {}): Promise<StoredObject | undefined> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      const p = await this.blob(key).getProperties({ abortSignal: options.signal });
      return { key, size: p.contentLength ?? 0, modifiedAt: p.lastModified ?? new Date(0) };
    } catch (err) {
      const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
      // A HEAD's answer names its error in a header: a missing container is an error, a missing blob is not.
      if (e.statusCode === 404 && (e.details?.errorCode ?? e.code) !== 'ContainerNotFound') return undefined;
      throw this.fail(err, key, options.signal);
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<StoredObject> {
    assertStorePrefix(prefix, this.name);
    const pages = this.container.listBlobsFlat({ prefix: this.location.prefix + prefix, abortSignal: options.signal }).byPage({ maxPageSize: Math.min(options.pageSize ?? MAX_PAGE, MAX_PAGE) });
    for (;;) {
      throwIfCancelled(options.signal, this.name);
      let page;
      try {
        page = await pages.next();
      } catch (err) {
        throw this.fail(err, prefix, options.signal);
      }
      if (page.done) return;
      for (const b of page.value.segment.blobItems) {
        yield { key: b.name.slice(this.location.prefix.length), size: b.properties.contentLength ?? 0, modifiedAt: b.properties.lastModified };
      }
    }
  }

  async listFolders(folder: string, options: StoreCallOptions = {}): Promise<string[]> {
    assertStoreFolder(folder, this.name);
    const base = this.location.prefix + folder;
    const names: string[] = [];
    try {
      for await (const page of this.container.listBlobsByHierarchy('/', { prefix: base, abortSignal: options.signal }).byPage({ maxPageSize: MAX_PAGE })) {
        for (const p of page.segment.blobPrefixes ?? []) names.push(p.name.slice(base.length, -1));
      }
    } catch (err) {
      throw this.fail(err, folder, options.signal);
    }
    return names.sort();
  }

  async delete(key: string, options: StoreCallOptions = {}): Promise<void> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      await this.blob(key).deleteIfExists({ deleteSnapshots: 'include', abortSignal: options.signal });
    } catch (err) {
      throw this.fail(err, key, options.signal);
    }
  }

  async deletePrefix(prefix: string, options: StoreCallOptions = {}): Promise<number> {
    assertStoreFolder(prefix, this.name);
    if (prefix === '') throw new LifeboatError('INVALID_INPUT', `Refusing to delete everything in ${this.name}.`, 'Delete a service or backup folder, never the repository root.');
    const keys: string[] = [];
    for await (const o of this.list(prefix, options)) keys.push(o.key);
    // A few at a time: one request per blob (Azurite has no batch API to prove the batch one on).
    for (let i = 0; i < keys.length; i += 8) await Promise.all(keys.slice(i, i + 8).map((k) => this.delete(k, options)));
    return keys.length;
  }

  async createIfAbsent(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<boolean> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      await this.blob(key).upload(bytes, bytes.byteLength, { conditions: { ifNoneMatch: '*' }, abortSignal: options.signal });
      return true;
    } catch (err) {
      const e = err as { statusCode?: number; code?: string };
      // 409 BlobAlreadyExists, or 412 ConditionNotMet when the other writer committed in between.
      if ((e.statusCode === 409 && e.code !== 'ContainerNotFound') || e.statusCode === 412) return false;
      throw this.fail(err, key, options.signal);
    }
  }

  async cleanIncomplete(prefix: string, options: CleanIncompleteOptions): Promise<number> {
    assertStorePrefix(prefix, this.name);
    const full = this.location.prefix + prefix;
    let removed = 0;
    try {
      const committed = new Set<string>();
      for await (const b of this.container.listBlobsFlat({ prefix: full, abortSignal: options.signal })) committed.add(b.name);
      for await (const b of this.container.listBlobsFlat({ prefix: full, includeUncommitedBlobs: true, abortSignal: options.signal })) {
        if (committed.has(b.name) || b.properties.lastModified >= options.startedBefore) continue;
        // Blocks only, no blob: committing an empty block list (only if still no blob) discards them, and the
        // empty blob it makes goes at once.
        const blob = this.container.getBlockBlobClient(b.name);
        try {
          await blob.commitBlockList([], { conditions: { ifNoneMatch: '*' }, abortSignal: options.signal });
        } catch (err) {
          // Its writer committed it meanwhile: a real blob, left alone.
          if ((err as { statusCode?: number }).statusCode === 409 || (err as { statusCode?: number }).statusCode === 412) continue;
          throw err;
        }
        await blob.deleteIfExists({ abortSignal: options.signal });
        removed++;
      }
    } catch (err) {
      throw this.fail(err, prefix, options.signal);
    }
    return removed;
  }

  async close(): Promise<void> {
    // The pipeline's connections are pooled by Node and close when idle.
  }
}
