// A folder of a repository's store: where a backup's files or a service's WAL live ("orders/backups/<id>/",
// "orders/wal/"). Stored files are read and written by name within one, whichever store it is on.
import type { RepositoryStore } from './repositoryStore';

export interface StoreFolder {
  store: RepositoryStore;
  /** "" (the root) or a folder ending with "/". */
  prefix: string;
}

export function keyIn(folder: StoreFolder, name: string): string {
  return folder.prefix + name;
}

/**
 * How a folder is named to a person: "/srv/backups/orders/wal/", "s3://bucket/prefix/orders/wal/", an object
 * store's query (its endpoint) kept at the end: "s3://bucket/prefix/orders/wal/?endpoint=https://minio:9000".
 */
export function describeFolder(folder: StoreFolder): string {
  const [path = '', query] = folder.store.name.split(/\?(.*)/s);
  const base = path.endsWith('/') ? path : `${path}/`;
  return base + folder.prefix + (query ? `?${query}` : '');
}
