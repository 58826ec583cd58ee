// Writes a file so that a crash leaves either the old content or the new, never a torn file:
// temp file in the same folder, fsync, rename over the target, fsync the folder.
import { open, readdir, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAlive } from '../jobs/processAlive';
import { LifeboatError } from '../lifeboatError';

function tempPrefix(path: string): string {
  return `.${basename(path)}.tmp-`;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${tempPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw classifyWriteError(err, path);
  }
  await syncDirectory(dir);
}

/** Removes the temp files of writes to path that never reached their rename because their process died (a
 * crash mid-write); a live writer's temp file is left alone. Returns what it removed. */
export async function removeAbandonedTempFiles(path: string): Promise<string[]> {
  const prefix = tempPrefix(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dirname(path), name)).then(() => removed.push(name), () => undefined);
  }
  return removed;
}

/** Makes the rename itself durable; some platforms (Windows) cannot open a folder, which is fine there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform or file system: the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

function classifyWriteError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new LifeboatError('NO_SPACE', `No space left to write ${path}.`, 'Free space on that disk; the previous file is unchanged.', { cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new LifeboatError('PERMISSION_DENIED', `Cannot write ${path} (${code}).`, 'Check the folder permissions, or choose another location.', { cause: err });
  return err;
}
