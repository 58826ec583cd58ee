// Whether a folder can hold a new repository: it can be created, this account can write in it, and it is
// empty. Checked before anything else happens (before a key is made in the keychain), and every refusal
// names the folder and what to do about it, since a path is the user's input, never Lifeboat's bug.
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LifeboatError } from '../lifeboatError';
import { REPOSITORY_FILE } from './repositoryInfo';

const ELSEWHERE = 'choose a folder this account can create and write (lifeboat repo init /srv/backups/lifeboat)';

function refusal(err: unknown, root: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const fail = (c: 'INVALID_INPUT' | 'PERMISSION_DENIED' | 'NO_SPACE', message: string, hint: string) => new LifeboatError(c, message, hint, { cause: err });
  switch (code) {
    case 'ENOTDIR':
      return fail('INVALID_INPUT', `${root} cannot be a folder: a part of that path is a file.`, `Check the path, or ${ELSEWHERE}.`);
    case 'ENOENT':
      return fail('INVALID_INPUT', `${root} cannot be created: its parent does not exist and cannot be made.`, `Check the path, or ${ELSEWHERE}.`);
    case 'EACCES':
    case 'EPERM':
      return fail('PERMISSION_DENIED', `This account may not create or write ${root} (${code}).`, `Check the owner and mode of the folder and its parents (ls -ld ${root}), or ${ELSEWHERE}.`);
    case 'EROFS':
      return fail('PERMISSION_DENIED', `${root} is on a read-only file system.`, `Remount it read-write, or ${ELSEWHERE}.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return fail('NO_SPACE', `No space left to create ${root}.`, 'Free space on that disk, or choose a folder on another one.');
    default:
      return err;
  }
}

/**
 * Creates root and its missing parents one level at a time. Not mkdir's recursive mode: on Linux it reports a
 * read-only file system as ENOENT, and under /proc it never returns (it retries the ENOENT forever).
 */
async function makeFolders(root: string): Promise<void> {
  const missing: string[] = [];
  for (let p = root; ; p = dirname(p)) {
    const kind = await stat(p).then((s) => (s.isDirectory() ? 'folder' : 'file'), (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'missing' : Promise.reject(err)));
    if (kind === 'folder') break;
    if (kind === 'file') throw Object.assign(new Error(`${p} is a file`), { code: 'ENOTDIR' });
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) await mkdir(p);
}

/** The absolute root for a new repository at path, once it is known to be creatable, writable and empty. */
export async function prepareRepositoryFolder(path: string): Promise<string> {
  const root = resolve(path);
  try {
    await makeFolders(root);
    // Writable, proven by writing: permissions, ACLs, read-only mounts and root squash all show here.
    const probe = join(root, `.lifeboat-write-check-${process.pid}`);
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
  } catch (err) {
    throw refusal(err, root);
  }
  const existing = (await readdir(root)).filter((n) => !n.startsWith('.lifeboat-write-check-'));
  if (existing.includes(REPOSITORY_FILE))
    throw new LifeboatError('CONFLICT', `${root} is already a Lifeboat repository.`, `Use it as it is: lifeboat repo use ${root}.`);
  if (existing.length) throw new LifeboatError('CONFLICT', `${root} is not empty.`, 'A repository needs an empty folder (or one that does not exist yet).');
  return root;
}
