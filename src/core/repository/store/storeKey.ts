// What a repository key may be: a relative "/"-separated path that means the same file on a folder, an S3
// bucket and an Azure container, so a repository copied between them keeps its layout. Checked at the edge
// of every store, since a key that escapes the root ("..") or that S3 and a file system read differently
// ("a//b", "a\b") would be a repository nobody can copy.
import { LifeboatError } from '../../lifeboatError';

/** S3 allows 1,024 bytes, Azure 1,024 characters: the smaller of the two. */
const MAX_KEY_BYTES = 1024;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why key is not a repository key, or undefined when it is one. */
function keyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (CONTROL.test(key)) return 'it holds a control character';
  if (key.includes('\\')) return 'it holds a backslash (use "/")';
  if (key.startsWith('/')) return 'it starts with "/" (keys are relative to the repository)';
  if (key.endsWith('/')) return 'it ends with "/" (that is a folder)';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty path segment ("//")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}

function badKey(what: string, key: string, problem: string, storeName: string): LifeboatError {
  return new LifeboatError('INVALID_INPUT', `"${key}" is not a valid ${what} in ${storeName}: ${problem}.`, 'Repository keys are relative paths such as orders/backups/<id>/manifest.json; this is a bug in the caller.');
}

/** Throws INVALID_INPUT unless key is a repository key. */
export function assertStoreKey(key: string, storeName: string): void {
  const problem = keyProblem(key);
  if (problem) throw badKey('key', key, problem, storeName);
}

/** A prefix to list by: "" (everything), a folder ("orders/wal/") or the start of a key ("orders/wal/0000"). */
export function assertStorePrefix(prefix: string, storeName: string): void {
  if (prefix === '') return;
  const problem = keyProblem(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (problem) throw badKey('prefix', prefix, problem, storeName);
}

/** A folder: "" (the root) or a prefix ending with "/". */
export function assertStoreFolder(folder: string, storeName: string): void {
  if (folder !== '' && !folder.endsWith('/')) throw badKey('folder', folder, 'a folder ends with "/"', storeName);
  assertStorePrefix(folder, storeName);
}
