import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, DecryptStream, HEADER_SIZE } from '../../src/core/repository/chunkedCipher';
import { StoredFileSink } from '../../src/core/repository/storedFileSink';

/** Runs source -> transform -> memory, failing as a whole when any stage fails. */
async function through(pieces: Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(Readable.from(pieces), transform, async (source: AsyncIterable<Buffer | string>) => {
    for await (const part of source) parts.push(Buffer.from(part));
  });
  return Buffer.concat(parts);
}

/** Seals through the repository's write stage (the only writer of the format) and reads the file back. */
async function encrypt(key: Buffer, plain: Buffer): Promise<Buffer> {
  // Feed in odd-sized pieces, as a child process's stdout would.
  const pieces: Buffer[] = [];
  for (let i = 0; i < plain.length; i += 65_537) pieces.push(plain.subarray(i, i + 65_537));
  const path = join(await mkdtemp(join(tmpdir(), 'lifeboat-cipher-')), 'sealed');
  const handle = await open(path, 'wx');
  try {
    await pipeline(Readable.from(pieces), new StoredFileSink({ write: async (batch) => void (await handle.writev(batch)) }, key));
  } finally {
    await handle.close();
  }
  return readFile(path);
}

async function decrypt(key: Buffer, sealed: Buffer): Promise<Buffer> {
  return through([sealed], new DecryptStream(key, 'base.tar.zst.enc'));
}

const key = randomBytes(32);

describe('chunked authenticated encryption', () => {
  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 12345])('round-trips %i bytes exactly', async (size) => {
    const plain = randomBytes(size);
    const sealed = await encrypt(key, plain);
    expect(sealed.length).toBe(HEADER_SIZE + size + 16 * (Math.floor(size / CHUNK_SIZE) + (size % CHUNK_SIZE === 0 && size > 0 ? 0 : 1)));
    expect((await decrypt(key, sealed)).equals(plain)).toBe(true);
  });

  it('never produces the same ciphertext twice for the same data', async () => {
    const plain = Buffer.alloc(1000, 7);
    expect((await encrypt(key, plain)).equals(await encrypt(key, plain))).toBe(false);
  });

  it('detects one flipped byte anywhere', async () => {
    const sealed = await encrypt(key, randomBytes(2 * CHUNK_SIZE + 10));
    for (const at of [HEADER_SIZE + 5, HEADER_SIZE + CHUNK_SIZE + 20, sealed.length - 3, 20]) {
      const damaged = Buffer.from(sealed);
      damaged[at]! ^= 0x01;
      await expect(decrypt(key, damaged)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    }
  });

  it('detects truncation at a chunk boundary, which a naive chunked format would miss', async () => {
    const sealed = await encrypt(key, randomBytes(2 * CHUNK_SIZE + 10));
    const cut = sealed.subarray(0, HEADER_SIZE + 2 * (CHUNK_SIZE + 16));
    await expect(decrypt(key, cut)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    await expect(decrypt(key, sealed.subarray(0, 10))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('detects appended data', async () => {
    const sealed = await encrypt(key, randomBytes(100));
    await expect(decrypt(key, Buffer.concat([sealed, Buffer.alloc(40)]))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('tells a wrong key apart from damage, and outputs nothing', async () => {
    const sealed = await encrypt(key, randomBytes(5000));
    const received: Buffer[] = [];
    const run = pipeline(Readable.from([sealed]), new DecryptStream(randomBytes(32), 'base.tar.zst.enc'), async (source: AsyncIterable<Buffer | string>) => {
      for await (const part of source) received.push(Buffer.from(part));
    });
    await expect(run).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('another key') });
    expect(received).toEqual([]);
  });
});
