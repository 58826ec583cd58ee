// A file system's answer, said as a LifeboatError naming the repository folder and the key: a full disk, a
// permission, a share that went away (NFS, SMB) or a missing file each get their own code and a hint.
import { LifeboatError } from '../../lifeboatError';
import { cancelledError, isAbortError } from './storeCancellation';

export function classifyPosixError(err: unknown, root: string, key: string | undefined, signal?: AbortSignal): unknown {
  if (err instanceof LifeboatError) return err;
  if (isAbortError(err) || signal?.aborted) return cancelledError(signal, root);
  const code = (err as NodeJS.ErrnoException)?.code;
  const what = key === undefined ? root : `${key} in ${root}`;
  const fail = (c: 'NOT_FOUND' | 'PERMISSION_DENIED' | 'NO_SPACE' | 'UNREACHABLE', message: string, hint: string) => new LifeboatError(c, message, hint, { cause: err });
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return fail('NOT_FOUND', `There is no ${what}.`, `List what the repository holds (ls ${root}); if it is a mounted share, check that it is mounted (findmnt ${root}).`);
    case 'ENOSPC':
    case 'EDQUOT':
      return fail('NO_SPACE', `The repository disk is full (writing ${what}).`, `Free space (df -h ${root}) or apply retention (lifeboat retention <service> --apply); nothing half-written was kept.`);
    case 'EACCES':
    case 'EPERM':
      return fail('PERMISSION_DENIED', `This account may not access ${what} (${code}).`, `Check the owner and mode of the repository folder (ls -ld ${root}), or run as the account that writes the backups.`);
    case 'EROFS':
      return fail('PERMISSION_DENIED', `${root} is on a read-only file system.`, `Remount it read-write (findmnt ${root}).`);
    // What a network file system says when its server went away or the mount is stale.
    case 'ESTALE':
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
    case 'ENOTCONN':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EIO':
      return fail('UNREACHABLE', `The repository folder ${root} did not answer (${code}) while accessing ${key ?? 'it'}.`, `Check the share's server and the mount (findmnt ${root}; dmesg), then retry.`);
    default:
      return err;
  }
}
