// One behaviour suite for every repository store, each against a real server: a folder, S3 on Ceph's radosgw,
// on s3rver and on moto, Azure Blob on Azurite. Every case asserts on the bytes and keys the server holds afterwards.
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/core/lifeboatError';
import { checkCreateIfAbsent } from '../../src/core/repository/store/checkCreateIfAbsent';
import type { RepositoryStore, StoredObject } from '../../src/core/repository/store/repositoryStore';
import { azuriteUnderTest, motoUnderTest, posixUnderTest, radosgwUnderTest, s3rverUnderTest, SIZED_OBJECT, type StoreUnderTest } from '../support/storesUnderTest';

/** Deterministic, incompressible bytes in odd-sized pieces (never aligned with parts or blocks), as a tool's
 * output of unknown length; `failAfter` makes the source die there, `onBytes` watches it flow. */
async function* toolOutput(total: number, o: { seed?: number; failAfter?: number; onBytes?: (n: number) => void } = {}): AsyncGenerator<Buffer> {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, o.seed ?? 7), Buffer.alloc(16));
  const piece = 1_000_003;
  for (let sent = 0; sent < total; ) {
    if (o.failAfter !== undefined && sent >= o.failAfter) throw new Error('the tool died halfway');
    const n = Math.min(piece, total - sent);
    sent += n;
    o.onBytes?.(sent);
    yield cipher.update(Buffer.alloc(n));
  }
}

async function digestOf(stream: AsyncIterable<Buffer>): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of stream) {
    hash.update(piece);
    bytes += piece.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function bytesOf(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece);
  return Buffer.concat(pieces);
}

async function keysOf(listing: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  for await (const o of listing) all.push(o);
  return all;
}

/** The LifeboatError a promise rejects with (the test fails if it resolves or rejects with anything else). */
async function failure(promise: Promise<unknown>): Promise<LifeboatError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof LifeboatError)) throw new Error(`expected a LifeboatError, got ${outcome === undefined ? 'success' : String(outcome)}`);
  return outcome;
}

const put = (store: RepositoryStore, key: string, data: string | Buffer) => store.put(key, Readable.from([Buffer.from(data)]));

const suites: StoreUnderTest[] = [posixUnderTest(), radosgwUnderTest(), s3rverUnderTest(), motoUnderTest(), azuriteUnderTest()];

describe.each(suites)('$label', (s) => {
  const cannot = s.cannotProve;
  const all = !cannot.all;

  beforeAll(async () => {
    if (all) await s.start();
  });
  afterAll(async () => {
    await s.stop();
  });

  if (all) it('stores a small object byte for byte, replaces it whole, and says its size', async () => {
    const store = await s.fresh();
    expect(await put(store, 'orders/backups/b1/history.json', '[1]\n')).toEqual({ bytes: 4 });
    expect((await bytesOf(await store.get('orders/backups/b1/history.json'))).toString()).toBe('[1]\n');
    await put(store, 'orders/backups/b1/history.json', '[1,2]\n');
    expect((await bytesOf(await store.get('orders/backups/b1/history.json'))).toString()).toBe('[1,2]\n');
    const stat = await store.stat('orders/backups/b1/history.json');
    expect(stat?.size).toBe(6);
    expect(Math.abs(stat!.modifiedAt.getTime() - Date.now())).toBeLessThan(5 * 60_000);
    // An empty stream is an empty object, not a missing one.
    await store.put('orders/empty', Readable.from([]));
    expect((await store.stat('orders/empty'))?.size).toBe(0);
    expect((await bytesOf(await store.get('orders/empty'))).length).toBe(0);
  });

  if (all) it('streams 70 MB of unknown length in parts and reads back exactly the same bytes', async () => {
    const store = await s.fresh();
    const total = 70 * 1_000_000 + 12_345;
    const written = await digestOf(toolOutput(total));
    expect(await store.put('orders/backups/b2/base.tar.zst.enc', Readable.from(toolOutput(total)))).toEqual({ bytes: total });
    expect(await digestOf(await store.get('orders/backups/b2/base.tar.zst.enc'))).toEqual(written);
    expect((await store.stat('orders/backups/b2/base.tar.zst.enc'))?.size).toBe(total);
    const parts = await s.partsOf(store, 'orders/backups/b2/base.tar.zst.enc');
    // 8 MiB parts (or blocks): a multipart upload of 9, not one PUT.
    if (parts !== undefined) expect(parts).toBe(Math.ceil(total / (8 << 20)));
  });

  if (all && s.ownParts && !cannot.multipartParts) it('a put that says how big it may get sends parts sized from that while its source still flows', async () => {
    const store = await s.fresh({ ownPartSizes: true });
    const key = 'orders/backups/b3/base.tar.zst.enc';
    const written = await digestOf(toolOutput(SIZED_OBJECT, { seed: 3 }));
    // The source holds back its last piece until the server holds a part of the upload: the parts go up while
    // the tool still writes, not all after it ends (a backup's tail).
    let sawPartsInFlight = 0;
    async function* toolStillRunning(): AsyncGenerator<Buffer> {
      const pieces = toolOutput(SIZED_OBJECT, { seed: 3 });
      let last: Buffer | undefined;
      for await (const piece of pieces) {
        if (last) yield last;
        last = piece;
      }
      for (;;) {
        const inFlight = await s.partsInFlight(store, key);
        if (inFlight === undefined || inFlight > 0) {
          sawPartsInFlight = inFlight ?? -1;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      yield last!;
    }
    expect(await store.put(key, Readable.from(toolStillRunning()), { expectedBytes: SIZED_OBJECT })).toEqual({ bytes: SIZED_OBJECT });
    expect(await digestOf(await store.get(key))).toEqual(written);
    expect(await s.partsOf(store, key)).toBe(s.ownParts!.withExpectedBytes);
    if (sawPartsInFlight !== -1) expect(sawPartsInFlight).toBeGreaterThan(0);
    // Said nothing: parts that hold a large object (S3 then sends this one only when it has ended).
    await store.put('orders/backups/b3/unsized', Readable.from(toolOutput(SIZED_OBJECT, { seed: 4 })));
    expect(await s.partsOf(store, 'orders/backups/b3/unsized')).toBe(s.ownParts!.without);
  });

  if (all) it('puts at once on one store keep their own bytes, at and just past the edges of a part', async () => {
    // Puts on one store share its part buffers (S3: partBufferPool.ts): each object must come back as it went.
    const store = await s.fresh({ ownPartSizes: true });
    const part = s.ownParts?.smallest ?? 5 << 20;
    const sizes = [part, part + 1, 3 * part + 17, 1];
    const written = await Promise.all(sizes.map((n, i) => digestOf(toolOutput(n, { seed: 20 + i }))));
    const stored = await Promise.all(sizes.map((n, i) => store.put(`orders/edges/${i}`, Readable.from(toolOutput(n, { seed: 20 + i })), { expectedBytes: n })));
    expect(stored).toEqual(sizes.map((bytes) => ({ bytes })));
    // Once more, now that the buffers have been used.
    const again = digestOf(toolOutput(3 * part + 17, { seed: 30 }));
    await store.put('orders/edges/again', Readable.from(toolOutput(3 * part + 17, { seed: 30 })), { expectedBytes: 3 * part + 17 });
    for (const [i, want] of written.entries()) expect(await digestOf(await store.get(`orders/edges/${i}`))).toEqual(want);
    expect(await digestOf(await store.get('orders/edges/again'))).toEqual(await again);
    if (s.ownParts && !cannot.multipartParts) {
      // A part's worth goes up in one request; one byte more is two parts.
      expect(await s.storedWhole(store, 'orders/edges/0')).toBe(true);
      expect(await s.storedWhole(store, 'orders/edges/1')).toBe(false);
      expect(await Promise.all([1, 2].map((i) => s.partsOf(store, `orders/edges/${i}`)))).toEqual([2, 4]);
    }
  });

  if (all) it('reads byte ranges: inside, to the end, cut at the end, empty at the end, refused past it', async () => {
    const store = await s.fresh();
    const data = await bytesOf(toolOutput(300_000, { seed: 3 }));
    await put(store, 'wal/000000010000000000000001.gz', data);
    const range = async (offset: number, length?: number) => bytesOf(await store.get('wal/000000010000000000000001.gz', { range: { offset, length } }));
    expect((await range(1_000, 5_000)).equals(data.subarray(1_000, 6_000))).toBe(true);
    expect((await range(299_990)).equals(data.subarray(299_990))).toBe(true);
    expect((await range(100, 10_000_000)).equals(data.subarray(100))).toBe(true);
    if (!cannot.firstByteRange) expect((await range(0, 1)).equals(data.subarray(0, 1))).toBe(true);
    expect((await range(300_000)).length).toBe(0);
    expect((await range(5, 0)).length).toBe(0);
    expect((await failure(range(300_001))).code).toBe('INVALID_INPUT');
  });

  if (all) it('lists by prefix in byte order across pages, with sizes, and names the folders', async () => {
    const store = await s.fresh();
    const wal = Array.from({ length: 25 }, (_, i) => `orders/wal/0000000100000000000000${i.toString(16).toUpperCase().padStart(2, '0')}.json`);
    for (const key of wal) await put(store, key, key);
    await put(store, 'orders/walx/other.json', 'x');
    await put(store, 'orders/backups/b1/manifest.json', '{}');
    await put(store, 'billing/backups/b9/manifest.json', '{}');
    await put(store, '.lifeboat/locks/orders.backup.20261125T000000Z.lock', '{}');

    const listed = await keysOf(store.list('orders/wal/', { pageSize: 10 }));
    expect(listed.map((o) => o.key)).toEqual([...wal].sort());
    expect(listed.every((o, i) => o.size === wal.slice().sort()[i]!.length)).toBe(true);
    // A prefix is a string prefix, not only a folder.
    expect((await keysOf(store.list('orders/wal', { pageSize: 7 }))).map((o) => o.key)).toEqual([...wal].sort().concat('orders/walx/other.json'));
    expect((await keysOf(store.list('orders/wal/00000001000000000000001', { pageSize: 3 }))).map((o) => o.key)).toEqual(wal.slice(16).sort());
    expect(await keysOf(store.list('nobody/'))).toEqual([]);
    if (!cannot.nestedFolders) {
      expect(await store.listFolders('')).toEqual(['.lifeboat', 'billing', 'orders']);
      expect(await store.listFolders('orders/')).toEqual(['backups', 'wal', 'walx']);
    }
    expect(await store.listFolders('orders/backups/')).toEqual(['b1']);
    expect(await store.listFolders('nobody/')).toEqual([]);
  });

  if (all) it('deletes one key, then a whole folder and nothing beside it', async () => {
    const store = await s.fresh();
    for (const key of ['orders/backups/b1/manifest.json', 'orders/backups/b1/base.tar', 'orders/backups/b1/history.json', 'orders/backups/b10/manifest.json', 'orders/backups/b2/manifest.json']) await put(store, key, key);
    await store.delete('orders/backups/b1/manifest.json');
    await store.delete('orders/backups/b1/manifest.json');
    expect(await store.stat('orders/backups/b1/manifest.json')).toBeUndefined();
    expect(await store.deletePrefix('orders/backups/b1/')).toBe(2);
    expect((await keysOf(store.list(''))).map((o) => o.key)).toEqual(['orders/backups/b10/manifest.json', 'orders/backups/b2/manifest.json']);
    expect(await store.listFolders('orders/backups/')).toEqual(['b10', 'b2']);
    expect((await failure(store.deletePrefix(''))).code).toBe('INVALID_INPUT');
  });

  if (all) it('a missing key is NOT_FOUND to read, absent to stat, and fine to delete', async () => {
    const store = await s.fresh();
    const missing = await failure(store.get('orders/backups/nope/manifest.json'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('orders/backups/nope/manifest.json');
    expect(await store.stat('orders/backups/nope/manifest.json')).toBeUndefined();
    await store.delete('orders/backups/nope/manifest.json');
  });

  if (all) it('refuses keys that would mean different files on a folder and in a bucket', async () => {
    const store = await s.fresh();
    for (const key of ['../escape', 'a//b', '/abs', 'a\\b', 'a/./b', 'folder/']) expect((await failure(put(store, key, 'x'))).code).toBe('INVALID_INPUT');
    expect(await keysOf(store.list(''))).toEqual([]);
  });

  if (all && !cannot.conditionalCreate && !cannot.concurrentCreate) it('create-if-absent: of two concurrent creators exactly one wins, and the object holds its bytes', async () => {
    const store = await s.fresh();
    for (let round = 0; round < 10; round++) {
      const key = `.lifeboat/locks/orders.backup.${round}.lock`;
      const a = Buffer.from(`{"owner":"agent-a","round":${round}}`);
      const b = Buffer.from(`{"owner":"agent-b","round":${round}}`);
      const [wonA, wonB] = await Promise.all([store.createIfAbsent(key, a), store.createIfAbsent(key, b)]);
      expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
      expect((await bytesOf(await store.get(key))).equals(wonA ? a : b)).toBe(true);
      expect(await store.createIfAbsent(key, Buffer.from('late'))).toBe(false);
      expect((await bytesOf(await store.get(key))).equals(wonA ? a : b)).toBe(true);
    }
    await checkCreateIfAbsent(store);
    expect(await keysOf(store.list('.lifeboat/probes/'))).toEqual([]);
  });

  if (all && !cannot.conditionalCreate && cannot.concurrentCreate) it('create-if-absent, one creator after another: the first wins, a later one is refused, the object keeps its bytes', async () => {
    const store = await s.fresh();
    const key = '.lifeboat/locks/orders.backup.0.lock';
    expect(await store.createIfAbsent(key, Buffer.from('{"owner":"agent-a"}'))).toBe(true);
    expect(await store.createIfAbsent(key, Buffer.from('{"owner":"agent-b"}'))).toBe(false);
    expect((await bytesOf(await store.get(key))).toString()).toBe('{"owner":"agent-a"}');
    await checkCreateIfAbsent(store);
  });

  if (cannot.conditionalCreate)
    if (all) it('the create-if-absent probe refuses a server that overwrites', async () => {
      const store = await s.fresh();
      const refused = await failure(checkCreateIfAbsent(store));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.message).toContain(store.name);
    });

  if (all) it('a source that fails halfway leaves no key, and no upload behind', async () => {
    const store = await s.fresh();
    await put(store, 'orders/backups/b3/manifest.json', '{}');
    await expect(store.put('orders/backups/b3/base.tar', Readable.from(toolOutput(60 << 20, { failAfter: 20 << 20 })))).rejects.toThrow();
    expect((await keysOf(store.list(''))).map((o) => o.key)).toEqual(['orders/backups/b3/manifest.json']);
    expect(await store.stat('orders/backups/b3/base.tar')).toBeUndefined();
    if (!cannot.uploadCleanup) expect(await s.incompleteUploads(store)).toBe(0);
  });

  if (all) it('a cancelled put is CANCELLED, leaves no key, and aborts its upload before it returns', async () => {
    const store = await s.fresh();
    const controller = new AbortController();
    const cancelled = await failure(
      store.put('orders/backups/b4/base.tar', Readable.from(toolOutput(2 ** 40, { onBytes: (n) => n >= 20 << 20 && controller.abort() })), { signal: controller.signal }),
    );
    expect(cancelled.code).toBe('CANCELLED');
    expect(await keysOf(store.list(''))).toEqual([]);
    if (!cannot.uploadCleanup) expect(await s.incompleteUploads(store)).toBe(0);
  });

  if (all && !cannot.uploadCleanup) it("cleanIncomplete removes a killed writer's upload, and only one older than it is told", async () => {
    const store = await s.fresh();
    await put(store, 'orders/wal/000000010000000000000001.gz', 'whole');
    await s.leaveIncompleteUpload(store, 'orders/wal/000000010000000000000002.gz');
    expect(await s.incompleteUploads(store)).toBe(1);
    expect((await keysOf(store.list(''))).map((o) => o.key)).toEqual(['orders/wal/000000010000000000000001.gz']);
    if (!cannot.uploadAge) {
      // Still possibly being written: started after the moment given.
      expect(await store.cleanIncomplete('orders/', { startedBefore: new Date(Date.now() - 2 * 3_600_000) })).toBe(0);
      expect(await s.incompleteUploads(store)).toBe(1);
    }
    expect(await store.cleanIncomplete('billing/', { startedBefore: new Date(Date.now() + 60_000) })).toBe(0);
    expect(await store.cleanIncomplete('orders/', { startedBefore: new Date(Date.now() + 60_000) })).toBe(1);
    expect(await s.incompleteUploads(store)).toBe(0);
    expect((await keysOf(store.list(''))).map((o) => o.key)).toEqual(['orders/wal/000000010000000000000001.gz']);
    expect((await bytesOf(await store.get('orders/wal/000000010000000000000001.gz'))).toString()).toBe('whole');
  });

  if (all && !cannot.credentials) it('a wrong credential is AUTH_FAILED naming the repository, and never shows the secret', async () => {
    const good = await s.fresh();
    await put(good, 'lifeboat-repo.json', '{}');
    const store = await s.withWrongCredentials(good);
    for (const attempt of [() => put(store, 'x.json', '{}'), () => keysOf(store.list('')), () => store.get('lifeboat-repo.json'), () => store.stat('lifeboat-repo.json')]) {
      const refused = await failure(attempt());
      expect(refused.code).toBe('AUTH_FAILED');
      expect(refused.message).toContain(store.name);
      expect(refused.hint).toContain('the test harness');
      expect(`${refused.message} ${refused.hint}`).not.toMatch(/not-the-secret|[A-Za-z0-9+/]{60,}={0,2}/);
    }
    expect((await keysOf(good.list(''))).map((o) => o.key)).toEqual(['lifeboat-repo.json']);
  });

  if (all) it('a bucket, container or folder that does not exist is NOT_FOUND naming it, and is not created', async () => {
    const { store, name } = await s.missingPlace();
    for (const attempt of [() => put(store, 'lifeboat-repo.json', '{}'), () => store.get('lifeboat-repo.json'), () => keysOf(store.list('')), () => store.stat('lifeboat-repo.json'), () => store.createIfAbsent('x.lock', Buffer.from('x'))]) {
      const missing = await failure(attempt());
      expect(missing.code).toBe('NOT_FOUND');
      expect(missing.message).toContain(name);
    }
    if (store.location.kind === 'posix') expect(existsSync(store.location.path)).toBe(false);
  });

  // Last: the server does not come back.
  if (all && !cannot.server) it('a stopped server is UNREACHABLE naming the repository', async () => {
    const store = await s.fresh();
    await put(store, 'lifeboat-repo.json', '{}');
    await s.stopServer();
    for (const attempt of [() => put(store, 'x.json', '{}'), () => store.get('lifeboat-repo.json'), () => keysOf(store.list('')), () => store.stat('lifeboat-repo.json'), () => store.put('big', Readable.from(toolOutput(20 << 20)))]) {
      const gone = await failure(attempt());
      expect(gone.code).toBe('UNREACHABLE');
      expect(gone.message).toContain(store.name);
    }
  });

  // What this server cannot prove is not run against it (never a skipped test): the README lists it, and each
  // such case runs on a server that can (radosgw, moto, Azurite or the folder).
});

it('generates distinct test data per seed (the harness itself)', async () => {
  const a = await digestOf(toolOutput(2_000_000, { seed: 1 }));
  const b = await digestOf(toolOutput(2_000_000, { seed: 2 }));
  expect(a.bytes).toBe(2_000_000);
  expect(a.sha256).not.toBe(b.sha256);
});
