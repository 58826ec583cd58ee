import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, HEADER_SIZE } from '../../src/core/repository/chunkedCipher';
import { readStoredFile, writeStoredFile } from '../../src/core/repository/storedFileIo';
import { folderAt } from '../support/folderStore';

const key = randomBytes(32);

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** Half compressible text, half random bytes, a few MiB: like a database. */
function sampleData(): Buffer {
  return Buffer.concat([Buffer.from('insert into orders values (1, 42);\n'.repeat(60_000)), randomBytes(1_500_000)]);
}

describe('stored files', () => {
  it.each([
    ['zstd', true],
    ['gzip', true],
    [undefined, true],
    ['zstd', false],
  ] as const)('round-trips through %s compression (encrypted: %s) with size and SHA-256 recorded', async (compress, encrypted) => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const data = sampleData();
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'dump.enc', role: 'dump', source: Readable.from([data]), compress, key: encrypted ? key : undefined });
    expect(file.sourceBytes).toBe(data.length);
    const onDisk = await readFile(join(dir, 'dump.enc'));
    expect(file.bytes).toBe(onDisk.length);
    if (compress) expect(file.bytes).toBeLessThan(data.length);
    // Encrypted files never show the data; compression alone would (its first occurrence is a literal).
    if (encrypted) expect(onDisk.includes(Buffer.from('insert into orders'))).toBe(false);
    expect((await readAll(readStoredFile(folderAt(dir), file, key))).equals(data)).toBe(true);
  });

  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])('seals %i bytes, arriving in odd pieces, into chunks the reader accepts', async (size) => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const data = randomBytes(size);
    const pieces: Buffer[] = [];
    for (let at = 0, step = 1; at < size; at += step, step = (step * 7919) % 300_000 + 1) pieces.push(data.subarray(at, at + step));
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'piece.enc', role: 'dump', source: Readable.from(pieces), key });
    const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
    // Header, the data, one 16-byte tag per chunk: no chunk more, none less.
    expect(file.bytes).toBe(HEADER_SIZE + size + 16 * chunks);
    expect(file.sourceBytes).toBe(size);
    expect((await readAll(readStoredFile(folderAt(dir), file, key))).equals(data)).toBe(true);
  });

  it('fails with CHECKSUM_MISMATCH naming the file when one byte is flipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'base.tar.zst.enc', role: 'base', source: Readable.from([sampleData()]), compress: 'zstd', key });
    const path = join(dir, file.name);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
    await writeFile(path, bytes);
    await expect(readAll(readStoredFile(folderAt(dir), file, key))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('base.tar.zst.enc') });
  });

  it('detects a truncated file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'dump.enc', role: 'dump', source: Readable.from([sampleData()]), key });
    await truncate(join(dir, file.name), file.bytes - 100);
    await expect(readAll(readStoredFile(folderAt(dir), file, key))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('refuses a wrong key with a clear error and no output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'dump.enc', role: 'dump', source: Readable.from([sampleData()]), key });
    const received: Buffer[] = [];
    const stream = readStoredFile(folderAt(dir), file, randomBytes(32));
    stream.on('data', (d: Buffer) => received.push(d));
    await expect(new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(received.length).toBe(0);
  });

  it('stops writing when cancelled, with a CANCELLED error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-store-'));
    const controller = new AbortController();
    const endless = new Readable({ read() { this.push(randomBytes(65536)); } });
    const run = writeStoredFile({ folder: folderAt(dir), name: 'x.enc', role: 'dump', source: endless, compress: 'zstd', key, signal: controller.signal, onSourceBytes: (n) => { if (n > 2_000_000) controller.abort(); } });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    // The store's writer was aborted: neither the file nor its temporary file is left.
    expect(await readdir(dir)).toEqual([]);
  });
});
