// The one storage interface under the backup repository: a flat space of keys ("orders/wal/0000...json")
// holding byte streams, implemented on a folder (posixStore), S3 (s3Store) and Azure Blob (azureBlobStore).
// Nothing above repository/ knows which one it talks to; the repository's layout is the same in all three,
// so a repository copied between a folder and a bucket with any S3/Azure tool still opens.
//
// Keys are relative, "/"-separated paths (storeKey.ts says which). Every operation takes an AbortSignal, and
// every failure is a LifeboatError naming the repository: NOT_FOUND, AUTH_FAILED, PERMISSION_DENIED,
// UNREACHABLE, NO_SPACE, CONFLICT, CANCELLED or INVALID_INPUT, each with a hint.
import type { Readable } from 'node:stream';
import type { RepositoryLocation } from './parseRepositoryLocation';

/** One stored object as a listing or a stat sees it. */
export interface StoredObject {
  key: string;
  /** Bytes stored. */
  size: number;
  modifiedAt: Date;
}

/** A byte range of an object: `length` past the end is cut at the end; an `offset` past the end is INVALID_INPUT. */
export interface ByteRange {
  offset: number;
  /** Default: to the end of the object. */
  length?: number;
}

export interface StoreCallOptions {
  signal?: AbortSignal;
}

export interface PutOptions extends StoreCallOptions {
  /** File mode where the store has one (posix); object stores keep access in their own policies. Default 0600. */
  fileMode?: number;
  /**
   * About how many bytes the put may store, when the caller can tell (a backup: its cluster's size). Object
   * stores size their upload parts from it (uploadPartSize.ts): small enough to go up while the stream is
   * produced, large enough that the object fits in the store's part limit with room to spare (a put may store more than
   * it said, up to what its parts then hold).
   */
  expectedBytes?: number;
}

export interface GetOptions extends StoreCallOptions {
  range?: ByteRange;
}

export interface ListOptions extends StoreCallOptions {
  /** Keys asked for per request on object stores (S3 and Azure answer at most 1,000 and 5,000). */
  pageSize?: number;
}

export interface CleanIncompleteOptions extends StoreCallOptions {
  /**
   * Only uploads started before this moment are cleaned: a later one may belong to a writer that is still
   * running (archive_command, the agent, another workstation).
   */
  startedBefore: Date;
}

export interface GetBytesOptions extends StoreCallOptions {
  /**
   * Read with blocking calls where the store can (posix): for a one-shot process that does nothing else
   * (restore_command's wal-get), where the thread pool's hand-offs cost more than the read.
   */
  blocking?: boolean;
}

/**
 * A put that is fed piece by piece by a writer that produces its bytes itself (the stored-file sink that
 * seals and hashes a backup): the same guarantees as put, without another stream stage in between.
 */
export interface StoreWriter {
  /** Takes pieces in order; resolves when they may be reused (not yet durable). */
  write(pieces: Buffer[]): Promise<void>;
  /** Makes everything durable and lets the key appear; resolves with the bytes stored. */
  commit(): Promise<{ bytes: number }>;
  /** Drops what was written: the key does not appear, nothing half-written is kept. Never throws. */
  abort(): Promise<void>;
}

export interface RepositoryStore {
  /** Where this store points, e.g. "s3://backups/lifeboat" or "/mnt/backups/lifeboat"; every error names it. */
  readonly name: string;
  readonly location: RepositoryLocation;

  /**
   * Stores a stream of unknown length under key, replacing what was there. The key appears only once the
   * whole stream is stored: a stream that fails or is aborted leaves no key (and, on S3, no multipart
   * upload once this call has settled). Resolves with the bytes stored, after the store acknowledged them
   * durably (fsync on posix).
   */
  put(key: string, source: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<{ bytes: number }>;

  /** As put, fed through a StoreWriter; the writer's abort (or a fired signal) leaves no key. */
  openWriter(key: string, options?: PutOptions): Promise<StoreWriter>;

  /** A small object's bytes, whole (a manifest, a sidecar, a WAL segment). NOT_FOUND when there is no such key. */
  getBytes(key: string, options?: GetBytesOptions): Promise<Buffer>;

  /**
   * The object's bytes (or a range of them). Resolves once the store has answered, so a missing key is a
   * NOT_FOUND here, not an error of the stream; a failure later in the stream (the connection dropped) is
   * a LifeboatError emitted by the stream.
   */
  get(key: string, options?: GetOptions): Promise<Readable>;

  /** The object's size and modification time, or undefined when there is no such key. */
  stat(key: string, options?: StoreCallOptions): Promise<StoredObject | undefined>;

  /**
   * Every key that starts with prefix (a string prefix, not only a folder), in byte order, fetched a page at
   * a time. Incomplete uploads and temporary files are never listed.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<StoredObject>;

  /**
   * The names of the "folders" directly under folder (which is "" or ends with "/"): the services of a
   * repository, the backups of a service. Without the trailing "/", sorted.
   */
  listFolders(folder: string, options?: StoreCallOptions): Promise<string[]>;

  /** Removes one key; a key that is already gone is fine. */
  delete(key: string, options?: StoreCallOptions): Promise<void>;

  /** Removes every key under prefix (a folder, ending with "/"); returns how many were removed. */
  deletePrefix(prefix: string, options?: StoreCallOptions): Promise<number>;

  /**
   * Creates key with bytes only if no object has that key: the commit point of manifests, sidecars and
   * locks. True when this caller created it, false when the key existed (another writer won). Of two
   * concurrent creators exactly one gets true. CONFLICT only when the store could not settle the race.
   */
  createIfAbsent(key: string, bytes: Uint8Array, options?: PutOptions): Promise<boolean>;

  /**
   * Removes what interrupted writes left under prefix that no listing shows but that still takes space:
   * S3 multipart uploads (aborted), uncommitted Azure blocks (discarded), posix temporary files of writers
   * that died. Returns how many it removed.
   */
  cleanIncomplete(prefix: string, options: CleanIncompleteOptions): Promise<number>;

  /** Lets go of connections (object stores); the store is not used afterwards. */
  close(): Promise<void>;
}
