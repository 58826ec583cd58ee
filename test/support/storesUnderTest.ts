// The repository stores the behaviour suite runs against, each on a real server: a folder, S3 on s3rver and
// on moto, Azure Blob on Azurite. Each says what its server can prove, and gives the suite a raw look
// behind the store's back (parts of an object, uploads a listing does not show) so tests assert on what the
// server holds, not on what the store says.
import { CreateBucketCommand, CreateMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureBlobStore } from '../../src/core/repository/store/azureBlobStore';
import { PosixStore } from '../../src/core/repository/store/posixStore';
import type { RepositoryStore } from '../../src/core/repository/store/repositoryStore';
import { S3Store } from '../../src/core/repository/store/s3Store';
import { startAzurite, type Azurite } from './azurite';
import { motoMissing, startMotoServer } from './motoServer';
import { radosgwMissing, startRadosgw } from './radosgw';
import { startS3rver } from './s3rver';

export interface StoreUnderTest {
  label: string;
  /** What this server cannot prove, by case: such a case is not run against it (the README names each). */
  cannotProve: Partial<Record<'all' | 'conditionalCreate' | 'concurrentCreate' | 'uploadCleanup' | 'uploadAge' | 'multipartParts' | 'firstByteRange' | 'nestedFolders' | 'credentials' | 'server', string>>;
  start(): Promise<void>;
  /**
   * A store on a fresh, empty place (a folder, a prefix) of its own, with the suite's fixed 8 MiB parts, or,
   * with ownPartSizes, parts the store sizes itself from a put's expectedBytes (uploadPartSize.ts).
   */
  fresh(options?: { ownPartSizes?: boolean }): Promise<RepositoryStore>;
  /**
   * Where the store sizes its own parts: how many a SIZED_OBJECT-byte object gets, with its size said and
   * without, and the part it picks for an object said to be small.
   */
  ownParts?: { withExpectedBytes: number; without: number; smallest: number };
  /** Parts (blocks) an upload still in flight has stored so far under key; undefined where there are none. */
  partsInFlight(store: RepositoryStore, key: string): Promise<number | undefined>;
  /** The same place with a credential the server refuses. */
  withWrongCredentials(store: RepositoryStore): Promise<RepositoryStore>;
  /** A store whose bucket, container or folder does not exist; and that name. */
  missingPlace(): Promise<{ store: RepositoryStore; name: string }>;
  /** How many parts (multipart) or blocks the object was stored in; undefined where there are none. */
  partsOf(store: RepositoryStore, key: string): Promise<number | undefined>;
  /** Whether the object went up in one request (S3's PutObject, Azure's Put Blob); undefined where there are no parts. */
  storedWhole(store: RepositoryStore, key: string): Promise<boolean | undefined>;
  /** Leaves what a killed writer would: an upload (or temp file) under key that no listing shows. */
  leaveIncompleteUpload(store: RepositoryStore, key: string): Promise<void>;
  /** How many incomplete uploads (or temp files) exist under the store's place, seen raw. */
  incompleteUploads(store: RepositoryStore): Promise<number>;
  /** Stops the server for good (the last test of a suite). */
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;
const place = () => `run-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}/`;
/** Small parts and blocks, so a 70 MB stream really is a multipart/multi-block upload. */
const PART = 8 << 20;
/** The object ownParts counts for: 20 MB, smaller than S3's 32 MiB part for an object of unknown size. */
export const SIZED_OBJECT = 20_000_000;

/** A pid that belonged to a process that has exited: what a killed writer leaves in a temp file's name. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

export function posixUnderTest(): StoreUnderTest {
  let base = '';
  return {
    label: 'posix folder',
    cannotProve: { credentials: 'a folder has no credentials (file permissions are PERMISSION_DENIED, untestable as root)', server: 'a folder has no server (a vanished NFS mount is ESTALE/EIO, mapped to UNREACHABLE)' },
    async start() {
      base = mkdtempSync(join(tmpdir(), 'lifeboat-posix-store-'));
    },
    async fresh() {
      const path = join(base, place());
      mkdirSync(path);
      return new PosixStore({ kind: 'posix', path });
    },
    withWrongCredentials: async (store) => store,
    async missingPlace() {
      const path = join(base, 'not-mounted', 'repo');
      return { store: new PosixStore({ kind: 'posix', path }), name: path };
    },
    partsOf: async () => undefined,
    storedWhole: async () => undefined,
    partsInFlight: async () => undefined,
    async leaveIncompleteUpload(store, key) {
      const root = (store.location as { path: string }).path;
      const parts = key.split('/');
      const name = parts.pop()!;
      const folder = join(root, ...parts);
      mkdirSync(folder, { recursive: true });
      const temp = join(folder, `.${name}.tmp-${deadPid()}-0badcafe`);
      writeFileSync(temp, randomBytes(1024));
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(temp, anHourAgo, anHourAgo);
    },
    async incompleteUploads(store) {
      const root = (store.location as { path: string }).path;
      return (readdirSync(root, { recursive: true }) as string[]).filter((p) => /(^|\/)\.[^/]+\.tmp-\d+/.test(p)).length;
    },
    stopServer: async () => undefined,
    async stop() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** What a wrong credential changes: the secret (the signature no longer matches), or, for a server that checks
 * only the key id (s3rver), the key id. */
type WrongCredential = 'secret' | 'key-id';

function s3UnderTest(label: string, cannotProve: StoreUnderTest['cannotProve'], wrong: WrongCredential, startServer: () => Promise<{ endpoint: string; accessKeyId: string; secretAccessKey: string; stop(): Promise<void>; kill(): Promise<void> }>): StoreUnderTest {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let raw: S3Client;
  const bucket = 'lifeboat-store-tests';
  const store = (prefix: string, secret?: string, bucketName = bucket, keyId?: string, ownPartSizes = false) =>
    new S3Store(
      { kind: 's3', bucket: bucketName, prefix, endpoint: server!.endpoint, region: 'us-east-1', forcePathStyle: true },
      { credentials: { kind: 'access-key', accessKeyId: keyId ?? server!.accessKeyId, secretAccessKey: secret ?? server!.secretAccessKey }, credentialsFrom: 'the test harness', partSize: ownPartSizes ? undefined : PART, maxAttempts: 2, connectTimeoutMs: 2_000 },
    );
  return {
    label,
    cannotProve,
    async start() {
      server = await startServer();
      raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
      await raw.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    fresh: async (o) => store(place(), undefined, bucket, undefined, o?.ownPartSizes),
    // 5 MiB parts for an object said to be 20 MB; one 32 MiB part (a single PUT) for one of unknown size.
    ownParts: { withExpectedBytes: Math.ceil(SIZED_OBJECT / (5 << 20)), without: 1, smallest: 5 << 20 },
    async partsInFlight(s, key) {
      if (cannotProve.uploadCleanup) return undefined;
      const Key = (s.location as { prefix: string }).prefix + key;
      const uploads = await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
      const upload = uploads.Uploads?.find((u) => u.Key === Key);
      if (!upload) return 0;
      return (await raw.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId: upload.UploadId }))).Parts?.length ?? 0;
    },
    withWrongCredentials: async (s) => store((s.location as { prefix: string }).prefix, 'not-the-secret', bucket, wrong === 'key-id' ? 'NOT-THE-KEY-ID' : undefined),
    missingPlace: async () => ({ store: store(place(), undefined, 'no-such-bucket-here'), name: 'no-such-bucket-here' }),
    async partsOf(s, key) {
      if (cannotProve.multipartParts) return undefined;
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: (s.location as { prefix: string }).prefix + key }));
      // A multipart object's ETag is "<md5 of the parts' md5s>-<number of parts>".
      const parts = /-(\d+)"?$/.exec(head.ETag ?? '')?.[1];
      return parts ? Number(parts) : 1;
    },
    async storedWhole(s, key) {
      if (cannotProve.multipartParts) return undefined;
      const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: (s.location as { prefix: string }).prefix + key }));
      return !/-\d+"?$/.test(head.ETag ?? '');
    },
    async leaveIncompleteUpload(s, key) {
      const Key = (s.location as { prefix: string }).prefix + key;
      const { UploadId } = await raw.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
      await raw.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(5 << 20) }));
    },
    async incompleteUploads(s) {
      const page = await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: (s.location as { prefix: string }).prefix }));
      return page.Uploads?.length ?? 0;
    },
    stopServer: async () => server?.kill(),
    async stop() {
      raw?.destroy();
      await server?.stop();
    },
  };
}

export const s3rverUnderTest = () =>
  s3UnderTest(
    'S3 on s3rver',
    {
      conditionalCreate: 's3rver ignores If-None-Match on PUT (it overwrites): create-if-absent is proven on radosgw and Azurite',
      uploadCleanup: 's3rver has no ListMultipartUploads or AbortMultipartUpload: upload clean-up is proven on radosgw and moto',
      multipartParts: "s3rver's ETag of a multipart object has no part count: the parts are counted on radosgw and moto",
      firstByteRange: 's3rver answers bytes=0-0 with the whole object (its bug): proven on radosgw, moto and Azurite',
      nestedFolders: 's3rver leaves out a common prefix whose keys all lie two folders deeper (its bug): proven on radosgw, moto and Azurite',
    },
    'key-id',
    startS3rver,
  );

export const motoUnderTest = () => {
  const missing = motoMissing();
  return s3UnderTest(
    'S3 on moto',
    {
      credentials: 'moto accepts any key pair: wrong credentials are proven on radosgw, s3rver (key id only) and Azurite',
      // Its PUT looks the key up and then stores, with no lock between, on a threaded server: one run in
      // about thirty let both of two concurrent creators win here (S3, radosgw and Azurite decide atomically).
      concurrentCreate: 'moto checks If-None-Match and then stores without a lock: two concurrent creators can both win; the race is proven on radosgw and Azurite',
      uploadAge: 'moto reports every multipart upload as initiated on 2010-11-10: the age guard is proven on radosgw, Azurite and posix',
      ...(missing ? { all: missing } : {}),
    },
    'secret',
    async () => startMotoServer(),
  );
};

export const radosgwUnderTest = () => {
  const missing = radosgwMissing();
  return s3UnderTest('S3 on Ceph radosgw', missing ? { all: missing } : {}, 'secret', startRadosgw);
};

export function azuriteUnderTest(): StoreUnderTest {
  let azurite: Azurite | undefined;
  const container = 'lifeboat-store-tests';
  const store = (prefix: string, key?: string, containerName = container, ownPartSizes = false) =>
    AzureBlobStore.open(
      { kind: 'azure', account: azurite!.account, container: containerName, prefix, endpoint: azurite!.endpoint },
      { credentials: { kind: 'account-key', accountKey: key ?? azurite!.accountKey }, credentialsFrom: 'the test harness', blockSize: ownPartSizes ? undefined : PART, maxTries: 2, retryDelayMs: 100 },
    );
  const raw = () => new ContainerClient(`${azurite!.endpoint}/${container}`, new StorageSharedKeyCredential(azurite!.account, azurite!.accountKey));
  return {
    label: 'Azure Blob on Azurite',
    cannotProve: {},
    async start() {
      azurite = await startAzurite();
      await raw().create();
    },
    fresh: (o) => store(place(), undefined, container, o?.ownPartSizes),
    // 4 MiB blocks for a blob said to be 20 MB; 8 MiB blocks for one of unknown size.
    ownParts: { withExpectedBytes: Math.ceil(SIZED_OBJECT / (4 << 20)), without: Math.ceil(SIZED_OBJECT / (8 << 20)), smallest: 4 << 20 },
    async partsInFlight(s, key) {
      const blob = raw().getBlockBlobClient((s.location as { prefix: string }).prefix + key);
      const list = await blob.getBlockList('uncommitted').catch((err: { statusCode?: number }) => {
        if (err.statusCode === 404) return undefined;
        throw err;
      });
      return list?.uncommittedBlocks?.length ?? 0;
    },
    withWrongCredentials: (s) => store((s.location as { prefix: string }).prefix, randomBytes(64).toString('base64')),
    missingPlace: async () => ({ store: await store(place(), undefined, 'no-such-container'), name: 'no-such-container' }),
    async partsOf(s, key) {
      const list = await raw().getBlockBlobClient((s.location as { prefix: string }).prefix + key).getBlockList('committed');
      return list.committedBlocks?.length ?? 0;
    },
    async storedWhole(s, key) {
      const list = await raw().getBlockBlobClient((s.location as { prefix: string }).prefix + key).getBlockList('committed');
      return (list.committedBlocks?.length ?? 0) === 0;
    },
    async leaveIncompleteUpload(s, key) {
      const blob = raw().getBlockBlobClient((s.location as { prefix: string }).prefix + key);
      await blob.stageBlock(Buffer.from('block-0').toString('base64'), randomBytes(1 << 20), 1 << 20);
    },
    async incompleteUploads(s) {
      const prefix = (s.location as { prefix: string }).prefix;
      const committed = new Set<string>();
      for await (const b of raw().listBlobsFlat({ prefix })) committed.add(b.name);
      let uncommitted = 0;
      for await (const b of raw().listBlobsFlat({ prefix, includeUncommitedBlobs: true })) if (!committed.has(b.name)) uncommitted++;
      return uncommitted;
    },
    stopServer: async () => azurite?.kill(),
    async stop() {
      await azurite?.stop();
    },
  };
}
