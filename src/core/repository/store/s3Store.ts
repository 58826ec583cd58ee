// The repository in an S3 bucket (AWS, MinIO, Ceph radosgw, R2), under a prefix. A put streams into a
// multipart upload of unknown length (partedUpload.ts, s3MultipartUpload.ts), so a backup never lands on
// local disk; an upload that fails or is cancelled is aborted before put settles, and cleanIncomplete
// aborts what a killed process left. Create-if-absent is a PUT with If-None-Match: * (S3's conditional
// write), the commit point of manifests and locks: only servers that honour it may hold a repository
// (checkCreateIfAbsent.ts).
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { LifeboatError } from '../../lifeboatError';
import { classifyS3Error } from './classifyS3Error';
import { formatRepositoryLocation, type S3Location } from './parseRepositoryLocation';
import type { CleanIncompleteOptions, GetOptions, ListOptions, PutOptions, RepositoryStore, StoreCallOptions, StoredObject } from './repositoryStore';
import { ObjectStore } from './objectStore';
import { throwIfCancelled } from './storeCancellation';
import { countedUpload } from './countedUpload';
import { PartBufferPool } from './partBufferPool';
import { uploadInParts } from './partedUpload';
import { s3MultipartUpload } from './s3MultipartUpload';
import type { S3Credentials } from './storeCredentials';
import { assertStoreFolder, assertStoreKey, assertStorePrefix } from './storeKey';
import { S3_PARTS, uploadPartSize } from './uploadPartSize';

export interface S3StoreOptions {
  credentials: S3Credentials;
  /** Where the credentials came from, named in AUTH_FAILED's hint (never the value). */
  credentialsFrom: string;
  /**
   * Bytes per part of every multipart upload, instead of sizing them by the put's expectedBytes. S3 allows
   * 10,000 parts, so this caps one object: 32 MiB parts hold 312 GiB. Memory is about partSize x (queueSize
   * + 1) per upload.
   */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
  /** Attempts per request, the first included (the SDK retries throttling and network errors). */
  maxAttempts?: number;
  /** How long a connection may take to open before the server counts as unreachable. */
  connectTimeoutMs?: number;
}

/** ListObjectsV2's and DeleteObjects' own maximum. */
const MAX_PAGE = 1000;

export class S3Store extends ObjectStore implements RepositoryStore {
  readonly name: string;
  private readonly client: S3Client;
  private bucketChecked = false;
  private readonly queueSize: number;
  /** The common part's buffers, one per part in flight and one being gathered: about 25 MiB once used. */
  private readonly partBuffers: PartBufferPool;

  constructor(
    readonly location: S3Location,
    private readonly options: S3StoreOptions,
  ) {
    super();
    this.name = formatRepositoryLocation(location);
    this.queueSize = options.queueSize ?? 4;
    this.partBuffers = new PartBufferPool(S3_PARTS.min, this.queueSize + 1);
    // The SDK warns on stderr that later releases need Node 22: Lifeboat pins the release it runs with, and
    // the warning would land in archive_command's output and the CLI's --json.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const c = options.credentials;
    this.client = new S3Client({
      endpoint: location.endpoint,
      // A server of one's own answers to any region name; AWS needs the bucket's (or AWS_REGION).
      region: location.region ?? (location.endpoint ? 'us-east-1' : undefined),
      forcePathStyle: location.forcePathStyle,
      credentials: c.kind === 'access-key' ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } : undefined,
      // Checksums only where S3 requires them: the SDK's default (CRC32 trailers in aws-chunked bodies on
      // every upload) is refused by Ceph, older MinIO and other S3-compatible servers. Integrity does not
      // depend on it: every stored file's SHA-256 is in its manifest or sidecar and checked on read.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: options.maxAttempts ?? 4,
      requestHandler: { connectionTimeout: options.connectTimeoutMs ?? 10_000 },
    });
  }

  private key(key: string): string {
    return this.location.prefix + key;
  }

  protected fail(err: unknown, key: string | undefined, signal?: AbortSignal): unknown {
    return classifyS3Error(err, { storeName: this.name, location: this.location, credentialsFrom: this.options.credentialsFrom, key, signal });
  }

  async put(key: string, source: Readable | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    // A failed body makes Upload abort its multipart upload before done() settles (its own abort() settles
    // first and cleans up later).
    return countedUpload(
      source,
      options,
      this.name,
      (body) =>
        uploadInParts(body, s3MultipartUpload(this.client, this.location.bucket, this.key(key)), {
          partSize: this.options.partSize ?? uploadPartSize(options.expectedBytes, S3_PARTS),
          queueSize: this.queueSize,
          buffers: this.partBuffers,
          signal: options.signal,
        }),
      (err) => this.fail(err, key, options.signal),
    );
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    const range = options.range;
    if (range?.length === 0) return this.emptyRead(key, range.offset, options, Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' }), Object.assign(new Error('InvalidRange'), { name: 'InvalidRange' }));
    const header = range ? `bytes=${range.offset}-${range.length !== undefined ? range.offset + range.length - 1 : ''}` : undefined;
    let body: Readable;
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: header }), { abortSignal: options.signal });
      body = answer.Body as Readable;
    } catch (err) {
      if (range && (err as { name?: string }).name === 'InvalidRange') return this.emptyRead(key, range.offset, options, err, err, { atEnd: true });
      throw this.fail(err, key, options.signal);
    }
    return this.handOut(body, key, options.signal);
  }

  async stat(key: string, options: StoreCallOptions = {}): Promise<StoredObject | undefined> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }), { abortSignal: options.signal });
      return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (httpStatus(err) === 403) throw await this.whyForbidden(key, err, options.signal);
      if (httpStatus(err) !== 404) throw this.fail(err, key, options.signal);
    }
    // A HEAD's 404 has no body to tell a missing key from a missing bucket: the bucket is checked once.
    await this.assertBucket(options.signal);
    return undefined;
  }

  /**
   * A HEAD's 403 has no body to tell a refused key from a refused access: a one-byte GET of the same key
   * says which (InvalidAccessKeyId, SignatureDoesNotMatch or AccessDenied).
   */
  private async whyForbidden(key: string, headError: unknown, signal?: AbortSignal): Promise<unknown> {
    try {
      await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: 'bytes=0-0' }), { abortSignal: signal });
    } catch (err) {
      if (httpStatus(err) === 403) return this.fail(err, key, signal);
    }
    return this.fail(headError, key, signal);
  }

  private async assertBucket(signal?: AbortSignal): Promise<void> {
    if (this.bucketChecked) return;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }), { abortSignal: signal });
    } catch (err) {
      throw this.fail(httpStatus(err) === 404 ? Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }) : err, undefined, signal);
    }
    this.bucketChecked = true;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<StoredObject> {
    assertStorePrefix(prefix, this.name);
    let token: string | undefined;
    do {
      throwIfCancelled(options.signal, this.name);
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.key(prefix), ContinuationToken: token, MaxKeys: Math.min(options.pageSize ?? MAX_PAGE, MAX_PAGE) }),
          { abortSignal: options.signal },
        );
      } catch (err) {
        throw this.fail(err, prefix, options.signal);
      }
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        yield { key: o.Key.slice(this.location.prefix.length), size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async listFolders(folder: string, options: StoreCallOptions = {}): Promise<string[]> {
    assertStoreFolder(folder, this.name);
    const base = this.key(folder);
    const names: string[] = [];
    let token: string | undefined;
    do {
      throwIfCancelled(options.signal, this.name);
      try {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }), { abortSignal: options.signal });
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(base.length, -1));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (err) {
        throw this.fail(err, folder, options.signal);
      }
    } while (token);
    return names.sort();
  }

  async delete(key: string, options: StoreCallOptions = {}): Promise<void> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }), { abortSignal: options.signal });
    } catch (err) {
      if (httpStatus(err) === 404 && (err as { name?: string }).name !== 'NoSuchBucket') return;
      throw this.fail(err, key, options.signal);
    }
  }

  async deletePrefix(prefix: string, options: StoreCallOptions = {}): Promise<number> {
    assertStoreFolder(prefix, this.name);
    if (prefix === '') throw new LifeboatError('INVALID_INPUT', `Refusing to delete everything in ${this.name}.`, 'Delete a service or backup folder, never the repository root.');
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const keys = batch;
      batch = [];
      try {
        const answer = await this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: options.signal });
        const failed = answer.Errors?.[0];
        if (failed) throw Object.assign(new Error(failed.Code ?? 'DeleteFailed'), { name: failed.Code ?? 'DeleteFailed', Code: failed.Code });
      } catch (err) {
        throw this.fail(err, prefix, options.signal);
      }
      removed += keys.length;
    };
    // Keys are collected a page at a time and removed a page at a time: deleting while listing the same
    // prefix is what S3 documents as safe with continuation tokens.
    for await (const o of this.list(prefix, options)) {
      batch.push(this.key(o.key));
      if (batch.length === MAX_PAGE) await flush();
    }
    await flush();
    return removed;
  }

  async createIfAbsent(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<boolean> {
    assertStoreKey(key, this.name);
    for (let attempt = 1; ; attempt++) {
      throwIfCancelled(options.signal, this.name);
      try {
        await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: bytes, ContentLength: bytes.byteLength, IfNoneMatch: '*' }), { abortSignal: options.signal });
        return true;
      } catch (err) {
        const status = httpStatus(err);
        if (status === 412) return false;
        // 409 ConditionalRequestConflict: another conditional write to this key was in flight; S3 says retry.
        if (status !== 409 || attempt >= 4) throw this.fail(err, key, options.signal);
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  async cleanIncomplete(prefix: string, options: CleanIncompleteOptions): Promise<number> {
    assertStorePrefix(prefix, this.name);
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadMarker: string | undefined;
    do {
      throwIfCancelled(options.signal, this.name);
      try {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.location.bucket, Prefix: this.key(prefix), KeyMarker: keyMarker, UploadIdMarker: uploadMarker }),
          { abortSignal: options.signal },
        );
        for (const u of page.Uploads ?? []) {
          if (!u.Key || !u.UploadId || !u.Initiated || u.Initiated >= options.startedBefore) continue;
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.location.bucket, Key: u.Key, UploadId: u.UploadId }), { abortSignal: options.signal }).catch((err: unknown) => {
            // Finished or aborted by someone else meanwhile.
            if (httpStatus(err) !== 404) throw err;
          });
          removed++;
        }
        const more = page.IsTruncated === true;
        keyMarker = more ? page.NextKeyMarker : undefined;
        uploadMarker = more ? page.NextUploadIdMarker : undefined;
      } catch (err) {
        throw this.fail(err, prefix, options.signal);
      }
    } while (keyMarker);
    return removed;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
