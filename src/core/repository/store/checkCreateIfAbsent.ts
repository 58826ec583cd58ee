// Proves, on the store itself, that create-if-absent refuses a key that exists. Some S3-compatible servers
// ignore If-None-Match on PUT and overwrite (s3rver does; older MinIO and Ceph releases may): there a
// manifest or lock would silently replace another writer's, so a repository must not be created or used
// on them. Run at repo init and repo use; it writes and removes one small probe object.
import { randomBytes } from 'node:crypto';
import { LifeboatError } from '../../lifeboatError';
import type { RepositoryStore, StoreCallOptions } from './repositoryStore';

/** Where the probe goes: beside the agents' locks, never among a service's files. */
const PROBE_FOLDER = '.lifeboat/probes/';

export async function checkCreateIfAbsent(store: RepositoryStore, options: StoreCallOptions = {}): Promise<void> {
  const key = `${PROBE_FOLDER}create-if-absent-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const first = await store.createIfAbsent(key, Buffer.from('first\n'), options);
    const second = await store.createIfAbsent(key, Buffer.from('second\n'), options);
    const kept = (await store.getBytes(key, options)).toString('utf8');
    if (!first || second || kept !== 'first\n')
      throw new LifeboatError(
        'CONFLICT',
        `${store.name} does not refuse to create an object that exists (a conditional PUT with If-None-Match: * ${second ? 'succeeded' : 'failed'} and the object holds "${kept.trim()}").`,
        'Backups there could overwrite each other\'s manifests and locks. Use a server that supports conditional writes (AWS S3, Azure Blob, a current MinIO or Ceph), or a folder repository.',
      );
  } finally {
    await store.delete(key, options).catch(() => undefined);
  }
}
