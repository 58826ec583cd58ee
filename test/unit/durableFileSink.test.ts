import { randomBytes } from 'node:crypto';
import { mkdtemp, open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DurableFileSink } from '../../src/core/repository/store/durableFileSink';
import { StoredFileSink } from '../../src/core/repository/storedFileSink';

/** 200 MiB in 1 MiB pieces of the same random block (no need for 200 MiB of entropy). */
function bigSource(): Readable {
  const block = randomBytes(1 << 20);
  return Readable.from((function* () {
    for (let i = 0; i < 200; i++) yield block;
  })());
}

// The folder store's writer flushes as it goes; the stored-file sink (sealing, hashing) writes through it.
describe('durable file sink under the stored-file sink', () => {
  it('flushes to disk as it goes, not only at the end', async () => {
    const handle = await open(join(await mkdtemp(join(tmpdir(), 'lifeboat-sink-')), 'f'), 'wx');
    let syncs = 0;
    const datasync = handle.datasync.bind(handle);
    handle.datasync = () => (syncs++, datasync());
    const file = new DurableFileSink(handle);
    const sink = new StoredFileSink({ write: (pieces) => file.writeAll(pieces) }, randomBytes(32));
    await pipeline(bigSource(), sink);
    await file.settle();
    expect((await handle.stat()).size).toBe(sink.bytes);
    await handle.close();
    // 200 MiB with a background sync every 64 MiB (never two at once): at least two.
    expect(syncs).toBeGreaterThanOrEqual(2);
  });

  it('fails the write when a background sync reports a write-back error', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'lifeboat-sink-')), 'f');
    const handle = await open(path, 'wx');
    handle.datasync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    const file = new DurableFileSink(handle);
    await expect(pipeline(bigSource(), new StoredFileSink({ write: (pieces) => file.writeAll(pieces) }, undefined))).rejects.toMatchObject({ code: 'EIO' });
    await handle.close();
    expect((await stat(path)).size).toBeGreaterThan(0);
  });
});
