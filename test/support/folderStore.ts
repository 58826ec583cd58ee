// A store folder on a local directory, for tests of what reads and writes stored files.
import { PosixStore } from '../../src/core/repository/store/posixStore';
import type { StoreFolder } from '../../src/core/repository/store/storeFolder';

export function folderAt(dir: string): StoreFolder {
  return { store: new PosixStore({ kind: 'posix', path: dir }), prefix: '' };
}
