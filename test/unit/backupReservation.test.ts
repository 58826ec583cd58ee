// A new backup takes its folder before it writes: two backups of one service begun in the same second get
// folders of their own (a failed one removes its folder, and must never take another backup's with it).
// On a real folder repository; the create-if-absent it rests on is checked on every store by the store suite.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BackupRepository } from '../../src/core/repository/backupRepository';

let root: string;
let repository: BackupRepository;
const at = new Date('2026-12-07T18:01:56.250Z');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-reserve-'));
  repository = await BackupRepository.init(join(root, 'repo'), null, {});
});
afterEach(async () => {
  await repository.close();
  await rm(root, { recursive: true, force: true });
});

it('gives two backups begun in the same second folders of their own, the later one a second on', async () => {
  const first = await repository.reserveBackupFolder('orders', 'physical', at);
  const second = await repository.reserveBackupFolder('orders', 'physical', at);
  expect(first.id).toBe('orders-20261207T180156Z-physical');
  expect(second.id).toBe('orders-20261207T180157Z-physical');
  expect(second.folder.prefix).not.toBe(first.folder.prefix);
  // Each folder holds its reservation, naming its own backup; another kind keeps its own second.
  const reserved = JSON.parse(await readFile(join(root, 'repo', 'orders', 'backups', second.id, 'reserved.json'), 'utf8')) as { backupId: string };
  expect(reserved.backupId).toBe(second.id);
  expect((await repository.reserveBackupFolder('orders', 'logical', at)).id).toBe('orders-20261207T180156Z-logical');
});

it('never takes the folder of a backup made before reservations (a manifest, no reservation)', async () => {
  const older = 'orders-20261207T180156Z-physical';
  await repository.store.put(`orders/backups/${older}/manifest.json`, Readable.from([Buffer.from('{}\n')]));
  const taken = await repository.reserveBackupFolder('orders', 'physical', at);
  expect(taken.id).toBe('orders-20261207T180157Z-physical');
  expect(await readdir(join(root, 'repo', 'orders', 'backups', older))).toEqual(['manifest.json']);
});

it('a folder another job holds is not taken again, and a copy of that id is refused rather than written into', async () => {
  const { id } = await repository.reserveBackupFolder('orders', 'physical', at);
  // What copyBackup asks before it claims (and would remove, on failure) the copy's folder.
  expect(await repository.takeBackupFolder('orders', id)).toBe(false);
  expect(await repository.takeBackupFolder('orders', 'orders-20261207T180159Z-physical')).toBe(true);
});
