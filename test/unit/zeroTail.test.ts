import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ZERO_TAIL } from '../../src/core/repository/storedFile';
import { readStoredFile, writeStoredFile } from '../../src/core/repository/storedFileIo';
import { ZeroTailPadder, ZeroTailTrimmer } from '../../src/core/repository/zeroTail';
import { folderAt } from '../support/folderStore';

async function through(stream: NodeJS.ReadWriteStream, pieces: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const done = (async () => {
    for await (const p of stream as unknown as AsyncIterable<Buffer>) out.push(Buffer.from(p));
  })();
  for (const p of pieces) stream.write(p);
  stream.end();
  await done;
  return Buffer.concat(out);
}

/** Cuts data into pieces of the given sizes (the last takes the rest), as a pipe would deliver it. */
function cut(data: Buffer, sizes: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const size of sizes) pieces.push(data.subarray(at, (at += size)));
  if (at < data.length) pieces.push(data.subarray(at));
  return pieces;
}

describe('zero tail', () => {
  const withGaps = Buffer.concat([randomBytes(1000), Buffer.alloc(300_000), Buffer.from([7]), Buffer.alloc(5), randomBytes(10), Buffer.alloc(2_000_000)]);
  const dataEnd = withGaps.length - 2_000_000;

  it.each([
    ['one piece', [withGaps.length]],
    ['pieces ending inside the zeros between data', [1200, 400_000]],
    ['pieces of 64 KiB', Array.from({ length: 40 }, () => 65536)],
    ['a piece ending right after the last data byte', [dataEnd]],
  ])('drops only the trailing zeros (%s)', async (_name, sizes) => {
    const trimmed = await through(new ZeroTailTrimmer(1 << 20), cut(withGaps, sizes));
    expect(trimmed.equals(withGaps.subarray(0, dataEnd))).toBe(true);
  });

  it('trims an all-zero or empty input to nothing, and pads back to the recorded length', async () => {
    expect((await through(new ZeroTailTrimmer(1 << 20), [Buffer.alloc(3_000_000)])).length).toBe(0);
    expect((await through(new ZeroTailTrimmer(1 << 20), [])).length).toBe(0);
    const padded = await through(new ZeroTailPadder(withGaps.length, 'write', 1 << 20, () => new Error('too long')), [withGaps.subarray(0, dataEnd)]);
    expect(padded.equals(withGaps)).toBe(true);
  });

  it('refuses content longer than the recorded length, whether it writes the zeros or leaves them', async () => {
    await expect(through(new ZeroTailPadder(10, 'write', 1 << 20, () => new Error('longer than recorded')), [randomBytes(11)])).rejects.toThrow('longer than recorded');
    // Also when the consumer extends the file itself: the length is checked, no zeros are written.
    await expect(through(new ZeroTailPadder(10, 'leave', 1 << 20, () => new Error('longer than recorded')), [randomBytes(11)])).rejects.toThrow('longer than recorded');
    expect((await through(new ZeroTailPadder(10, 'leave', 1 << 20, () => new Error('longer than recorded')), [Buffer.from([1, 2, 3])])).length).toBe(3);
  });

  it('round-trips through the repository: fewer bytes stored, the same bytes read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-zerotail-'));
    const data = Buffer.concat([randomBytes(500_000), Buffer.alloc(8 << 20)]);
    const key = randomBytes(32);
    const file = await writeStoredFile({ folder: folderAt(dir), name: 'seg', role: 'segment', source: Readable.from([data]), trimZeroTail: true, key });
    expect(file.layers[0]).toBe(ZERO_TAIL);
    expect(file.sourceBytes).toBe(data.length);
    expect(file.bytes).toBeLessThan(600_000); // no compression: only the random half-megabyte (and tags) stored
    const parts: Buffer[] = [];
    for await (const p of readStoredFile(folderAt(dir), file, key)) parts.push(p as Buffer);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  }, 30_000);
});
