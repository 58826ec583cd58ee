// The repository on a folder (a local disk or a mounted NFS/SMB share), as Lifeboat has always kept it: a
// key is a file under the root. Writes go to a temporary file beside the target, are fsynced and renamed
// over it (then the folder is fsynced), so a key appears only whole; create-if-absent links the complete
// temporary file to its name, which fails if the name exists (atomic on local file systems and NFS, like
// O_EXCL, and a reader never sees half a manifest), with O_EXCL as the fallback where links are refused.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isAlive } from '../../jobs/processAlive';
import { LifeboatError } from '../../lifeboatError';
import { classifyPosixError } from './classifyPosixError';
import { DurableFileSink } from './durableFileSink';
import { StoreWriterSink } from './storeWriterSink';
import type { PosixLocation } from './parseRepositoryLocation';
import type { CleanIncompleteOptions, GetBytesOptions, GetOptions, ListOptions, PutOptions, RepositoryStore, StoreCallOptions, StoredObject, StoreWriter } from './repositoryStore';
import { throwIfCancelled } from './storeCancellation';
import { assertStoreFolder, assertStoreKey, assertStorePrefix } from './storeKey';

/**
 * Temporary files: ".<name>.tmp-<pid>-<random>", the spelling of atomicWrite.ts (and walArchive's older
 * ".<name>.tmp-<pid>"), so every cleaner recognises every writer's leftovers. Never listed as keys.
 */
const TEMPORARY = /^\.(.+)\.tmp-(\d+)(?:-[0-9a-f]+)?$/;

function temporaryName(name: string): string {
  return `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Errors of link() that mean "this file system makes no hard links", not "no permission". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export class PosixStore implements RepositoryStore {
  readonly name: string;
  private readonly root: string;

  constructor(readonly location: PosixLocation) {
    this.root = location.path;
    this.name = location.path;
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private fail(err: unknown, key: string | undefined, signal?: AbortSignal): unknown {
    return classifyPosixError(err, this.root, key, signal);
  }

  /**
   * The folder for a key, created below the root as needed, never the root itself: an unmounted share's
   * mount point must not silently become a repository on the local disk.
   */
  private async folderFor(key: string): Promise<string> {
    const folder = dirname(this.pathOf(key));
    await this.assertRoot();
    await mkdir(folder, { recursive: true });
    return folder;
  }

  private async assertRoot(): Promise<void> {
    const kind = await stat(this.root).then((s) => (s.isDirectory() ? 'folder' : 'file'), (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'missing' : Promise.reject(err)));
    if (kind === 'missing')
      throw new LifeboatError('NOT_FOUND', `The repository folder ${this.root} does not exist.`, `If it is a share, mount it (findmnt ${this.root}); otherwise create the repository: lifeboat repo init ${this.root}.`);
    if (kind === 'file') throw new LifeboatError('NOT_FOUND', `${this.root} is a file, not a repository folder.`, 'Check the repository path in the fleet file (policy.repository).');
  }

  async put(key: string, source: Readable | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    const writer = await this.openWriter(key, options);
    try {
      await pipeline(source, new StoreWriterSink(writer), { signal: options.signal });
      return await writer.commit();
    } catch (err) {
      await writer.abort();
      if (source instanceof Readable) source.destroy();
      throw this.fail(err, key, options.signal);
    }
  }

  async openWriter(key: string, options: PutOptions = {}): Promise<StoreWriter> {
    assertStoreKey(key, this.name);
    let temp: string | undefined;
    let handle: FileHandle | undefined;
    try {
      throwIfCancelled(options.signal, this.name);
      const folder = await this.folderFor(key);
      temp = join(folder, temporaryName(basename(this.pathOf(key))));
      handle = await open(temp, 'wx', options.fileMode ?? 0o600);
    } catch (err) {
      await handle?.close().catch(() => undefined);
      if (temp) await unlink(temp).catch(() => undefined);
      throw this.fail(err, key, options.signal);
    }
    const folder = dirname(temp);
    const file = handle;
    const tempPath = temp;
    const sink = new DurableFileSink(file);
    let pending = true;
    const drop = async () => {
      if (!pending) return;
      pending = false;
      await file.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    };
    return {
      write: async (pieces) => {
        try {
          throwIfCancelled(options.signal, this.name);
          await sink.writeAll(pieces);
        } catch (err) {
          throw this.fail(err, key, options.signal);
        }
      },
      commit: async () => {
        try {
          throwIfCancelled(options.signal, this.name);
          await sink.settle();
          await file.sync();
          pending = false;
          await file.close();
          await rename(tempPath, this.pathOf(key));
          await syncFolder(folder);
          return { bytes: sink.bytes };
        } catch (err) {
          pending = true;
          await drop();
          throw this.fail(err, key, options.signal);
        }
      },
      abort: drop,
    };
  }

  async getBytes(key: string, options: GetBytesOptions = {}): Promise<Buffer> {
    assertStoreKey(key, this.name);
    try {
      throwIfCancelled(options.signal, this.name);
      return options.blocking ? readFileSync(this.pathOf(key)) : await readFile(this.pathOf(key), { signal: options.signal });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') await this.assertRoot().catch((e) => Promise.reject(this.fail(e, undefined)));
      throw this.fail(err, key, options.signal);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    assertStoreKey(key, this.name);
    let handle: FileHandle | undefined;
    try {
      throwIfCancelled(options.signal, this.name);
      handle = await open(this.pathOf(key), 'r').catch(async (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') await this.assertRoot();
        throw err;
      });
      const { size } = await handle.stat();
      const range = options.range;
      if (range && range.offset > size)
        throw new LifeboatError('INVALID_INPUT', `Bytes from ${range.offset} of ${key} in ${this.name} were asked for; it has ${size}.`, 'This is a bug in the caller: a range starts within the object.');
      const start = range?.offset ?? 0;
      const end = range?.length !== undefined ? Math.min(size, start + range.length) : size;
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      if (end <= start) {
        await handle.close();
        out.end();
        return out;
      }
      const file = handle.createReadStream({ start, end: end - 1, highWaterMark: 1 << 20 });
      handle = undefined;
      pipeline(file, out, { signal: options.signal }).catch((err) => out.destroy(this.fail(err, key, options.signal) as Error));
      return out;
    } catch (err) {
      await handle?.close().catch(() => undefined);
      throw this.fail(err, key, options.signal);
    }
  }

  async stat(key: string, options: StoreCallOptions = {}): Promise<StoredObject | undefined> {
    assertStoreKey(key, this.name);
    throwIfCancelled(options.signal, this.name);
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime } : undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        await this.assertRoot().catch((e) => Promise.reject(this.fail(e, undefined)));
        return undefined;
      }
      throw this.fail(err, key, options.signal);
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<StoredObject> {
    assertStorePrefix(prefix, this.name);
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    let keys: string[];
    try {
      throwIfCancelled(options.signal, this.name);
      keys = (await this.filesUnder(folder, options.signal)).filter((k) => k.startsWith(prefix)).sort(byteOrder);
    } catch (err) {
      throw this.fail(err, undefined, options.signal);
    }
    for (const key of keys) {
      throwIfCancelled(options.signal, this.name);
      const found = await this.stat(key, options);
      // Removed since the folder was read: it is simply no longer there.
      if (found) yield found;
    }
  }

  /** Keys of the files under folder (recursively), temporary files left out. */
  private async filesUnder(folder: string, signal: AbortSignal | undefined): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      throwIfCancelled(signal, this.name);
      let entries;
      try {
        entries = await readdir(join(this.root, ...relative.split('/').filter(Boolean)), { withFileTypes: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw err;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) await walk(`${relative}${entry.name}/`);
        else if (!TEMPORARY.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) keys.push(relative + entry.name);
      }
    };
    await this.assertRoot();
    await walk(folder);
    return keys;
  }

  async listFolders(folder: string, options: StoreCallOptions = {}): Promise<string[]> {
    assertStoreFolder(folder, this.name);
    try {
      throwIfCancelled(options.signal, this.name);
      await this.assertRoot();
      const entries = await readdir(join(this.root, ...folder.split('/').filter(Boolean)), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) =>
        err.code === 'ENOENT' || err.code === 'ENOTDIR' ? [] : Promise.reject(err),
      );
      return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(byteOrder);
    } catch (err) {
      throw this.fail(err, folder, options.signal);
    }
  }

  async delete(key: string, options: StoreCallOptions = {}): Promise<void> {
    assertStoreKey(key, this.name);
    try {
      throwIfCancelled(options.signal, this.name);
      await unlink(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.fail(err, key, options.signal);
    }
  }

  async deletePrefix(prefix: string, options: StoreCallOptions = {}): Promise<number> {
    assertStoreFolder(prefix, this.name);
    if (prefix === '') throw new LifeboatError('INVALID_INPUT', `Refusing to delete everything in ${this.name}.`, 'Delete a service or backup folder, never the repository root.');
    try {
      throwIfCancelled(options.signal, this.name);
      const count = (await this.filesUnder(prefix, options.signal)).length;
      await rm(join(this.root, ...prefix.split('/').filter(Boolean)), { recursive: true, force: true });
      return count;
    } catch (err) {
      throw this.fail(err, prefix, options.signal);
    }
  }

  async createIfAbsent(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<boolean> {
    assertStoreKey(key, this.name);
    const path = this.pathOf(key);
    let temp: string | undefined;
    try {
      throwIfCancelled(options.signal, this.name);
      const folder = await this.folderFor(key);
      temp = join(folder, temporaryName(basename(path)));
      await writeSynced(temp, bytes, options.fileMode ?? 0o600);
      try {
        await link(temp, path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') return false;
        if (!NO_HARD_LINKS.has(code)) throw err;
        // SMB/CIFS and some FUSE file systems make no hard links: O_EXCL then, written in place.
        try {
          await writeSynced(path, bytes, options.fileMode ?? 0o600, 'wx');
        } catch (excl) {
          if ((excl as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw excl;
        }
      }
      await syncFolder(folder);
      return true;
    } catch (err) {
      throw this.fail(err, key, options.signal);
    } finally {
      if (temp) await unlink(temp).catch(() => undefined);
    }
  }

  async cleanIncomplete(prefix: string, options: CleanIncompleteOptions): Promise<number> {
    assertStorePrefix(prefix, this.name);
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    let removed = 0;
    const walk = async (relative: string): Promise<void> => {
      throwIfCancelled(options.signal, this.name);
      const dir = join(this.root, ...relative.split('/').filter(Boolean));
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory()) {
          await walk(`${relative}${entry.name}/`);
          continue;
        }
        const temp = TEMPORARY.exec(entry.name);
        if (!temp || !`${relative}${temp[1]}`.startsWith(prefix)) continue;
        const pid = Number(temp[2]);
        // A live writer on this host is still writing it; one on another host of a share shows by its age.
        if (pid === process.pid || isAlive(pid)) continue;
        const modified = await stat(join(dir, entry.name)).then((s) => s.mtime, () => undefined);
        if (!modified || modified >= options.startedBefore) continue;
        await unlink(join(dir, entry.name)).then(() => removed++, () => undefined);
      }
    };
    try {
      await this.assertRoot();
      await walk(folder);
    } catch (err) {
      throw this.fail(err, prefix, options.signal);
    }
    return removed;
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

/** Keys sort as object stores list them: by code unit, so "a-b" comes before "a/b". */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function writeSynced(path: string, bytes: Uint8Array, mode: number, flags = 'wx'): Promise<void> {
  const handle = await open(path, flags, mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename or link durable; some platforms (Windows) cannot open a folder, where it is still atomic. */
async function syncFolder(folder: string): Promise<void> {
  if (sep === '\\') return;
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Not supported by this file system: the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
