import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/repository/chunkedCipher';
import { ENCRYPTION_ALG, ZERO_TAIL } from '../../src/core/repository/storedFile';
import { BackupRepository } from '../../src/core/repository/backupRepository';
import { archiveWalFile, fetchWalFile, removeAbandonedWrites } from '../../src/core/wal/walArchive';

const key = randomBytes(32);
const SEGMENT = '000000010000000000000003';

/** A WAL-sized file: records that compress, a stretch of random bytes, zeros at the tail (after a switch). */
function segmentLike(): Buffer {
  const seg = Buffer.alloc(16 << 20);
  Buffer.from('insert into orders values (1, 42);\n'.repeat(200_000)).copy(seg, 0);
  randomBytes(2 << 20).copy(seg, 8 << 20);
  return seg;
}

async function setup() {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-wal-'));
  const repo = await BackupRepository.init(join(root, 'repo'), keyFingerprint(key), {});
  const source = join(root, SEGMENT);
  const data = segmentLike();
  await writeFile(source, data);
  return { root, repo, source, data };
}

describe('WAL archive', () => {
  it.each(['zstd', 'gzip'] as const)('archives a segment with %s and encryption, and hands it back byte for byte', async (compress) => {
    const { root, repo, source, data } = await setup();
    const entry = await archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress });
    expect(entry.file.layers).toEqual([ZERO_TAIL, compress, ENCRYPTION_ALG]);
    expect(entry.file.sourceBytes).toBe(data.length);
    expect(entry.file.bytes).toBeLessThan(data.length / 2);
    const stored = await readFile(join(join(root, 'repo', 'shop', 'wal'), entry.file.name));
    expect(stored.includes(Buffer.from('insert into orders'))).toBe(false);
    const dest = join(root, 'RECOVERYXLOG');
    expect(await fetchWalFile(repo, 'shop', SEGMENT, dest, key)).toBe(true);
    expect((await readFile(dest)).equals(data)).toBe(true);
  });

  it.each([false, true])('stores a segment without its zero tail and hands it back whole, or sparse for a scratch restore (decoded in memory: %s)', async (inMemory) => {
    const { root, repo, source, data } = await setup();
    const entry = await archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress: 'gzip' });
    // The 6 MiB of zeros after the random stretch are not stored: what is stored is at least the random
    // 2 MiB, and not the zeros either (they would cost little compressed, so check the decoded length).
    const decoded = join(root, 'decoded');
    expect(await fetchWalFile(repo, 'shop', SEGMENT, decoded, key, { sparseZeroTail: true, inMemory })).toBe(true);
    const sparse = await stat(decoded);
    expect(sparse.size).toBe(data.length);
    expect((await readFile(decoded)).equals(data)).toBe(true);
    // Allocated blocks cover the data (10 MiB) but not the tail; a full write allocates all 16 MiB.
    expect(sparse.blocks * 512).toBeLessThanOrEqual((10 << 20) + (1 << 20));
    const full = join(root, 'full');
    await fetchWalFile(repo, 'shop', SEGMENT, full, key, { inMemory });
    expect((await stat(full)).blocks * 512).toBeGreaterThanOrEqual(data.length);
    expect((await readFile(full)).equals(data)).toBe(true);
    expect(entry.file.sourceBytes).toBe(data.length);
  });

  it.each([
    ['zstd', false],
    ['gzip', true],
  ] as const)('refuses a damaged %s segment with CHECKSUM_MISMATCH and leaves nothing at the destination (in memory: %s)', async (compress, inMemory) => {
    const { root, repo, source } = await setup();
    const entry = await archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress });
    const path = join(join(root, 'repo', 'shop', 'wal'), entry.file.name);
    const stored = await readFile(path);
    stored[Math.floor(stored.length / 2)]! ^= 0x01;
    await writeFile(path, stored);
    await expect(fetchWalFile(repo, 'shop', SEGMENT, join(root, 'RECOVERYXLOG'), key, { inMemory })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect((await readdir(root)).filter((n) => n.startsWith('RECOVERYXLOG'))).toEqual([]);
  });

  it('decodes in memory only what it can: an entry with a layer it does not know is refused, never misread', async () => {
    const { root, repo, source } = await setup();
    await archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress: 'gzip' });
    const sidecar = join(join(root, 'repo', 'shop', 'wal'), `${SEGMENT}.json`);
    const entry = JSON.parse(await readFile(sidecar, 'utf8'));
    entry.file.layers.splice(1, 0, 'rot13');
    await writeFile(sidecar, JSON.stringify(entry));
    // An entry this version cannot read is as good as absent: recovery hears "not archived", never wrong bytes.
    expect(await fetchWalFile(repo, 'shop', SEGMENT, join(root, 'RECOVERYXLOG'), key, { inMemory: true })).toBe(false);
  });

  it('says "not archived" for a segment it does not have', async () => {
    const { root, repo } = await setup();
    expect(await fetchWalFile(repo, 'shop', '000000010000000000000009', join(root, 'RECOVERYXLOG'), key)).toBe(false);
  });

  it('records one of two writers pushing the same segment at once, and keeps the bytes its sidecar names', async () => {
    const { root, repo, source, data } = await setup();
    const [a, b] = await Promise.all([
      archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress: 'gzip' }),
      archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress: 'gzip' }),
    ]);
    expect(a.file).toEqual(b.file);
    const walFolder = join(root, 'repo', 'shop', 'wal');
    expect((await readdir(walFolder)).filter((n) => n.startsWith(SEGMENT) && !n.endsWith('.json'))).toEqual([a.file.name]);
    const dest = join(root, 'RECOVERYXLOG');
    expect(await fetchWalFile(repo, 'shop', SEGMENT, dest, key)).toBe(true);
    expect((await readFile(dest)).equals(data)).toBe(true);
  });

  it('removes stored bytes no sidecar names once they are old, never the recorded ones or a push under way', async () => {
    const { root, repo, source } = await setup();
    const entry = await archiveWalFile({ repo, serviceId: 'shop', sourcePath: source, name: SEGMENT, key, compress: 'gzip' });
    const walFolder = join(root, 'repo', 'shop', 'wal');
    // What a push killed between storing and recording leaves, for this segment and for one never recorded.
    await writeFile(join(walFolder, `${SEGMENT}.w0badf00d.gz.enc`), 'left by a killed push');
    await writeFile(join(walFolder, '000000010000000000000004.w0badf00d.gz.enc'), 'left by a killed push');
    expect(await removeAbandonedWrites(repo, 'shop')).toBe(0);
    expect(await removeAbandonedWrites(repo, 'shop', Date.now() + 16 * 60_000)).toBe(2);
    expect((await readdir(walFolder)).sort()).toEqual([`${SEGMENT}.json`, entry.file.name].sort());
  });
});
