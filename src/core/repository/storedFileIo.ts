// Writes a tool's output into the repository through Lifeboat's layers (compression, then authenticated
// encryption), hashing what is stored; and reads it back, checking size, SHA-256 and authentication.
// Plain data only ever exists in memory on the way. The bytes go to and come from the repository's store (a
// folder, S3, Azure Blob) by name within a StoreFolder; nothing here knows which store it is.
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, createGzip, gunzip, gunzipSync } from 'node:zlib';
import { LifeboatError } from '../lifeboatError';
import { ENCRYPTION_ALG, ZERO_TAIL, type Layer, type StoredFile } from './storedFile';
import { DecryptStream, openSealedFile } from './chunkedCipher';
import { childProcessStream, ZSTD_HINT } from './childProcessStream';
import { StoredFileSink } from './storedFileSink';
import { describeFolder, keyIn, type StoreFolder } from './store/storeFolder';
import { ZeroTailPadder, ZeroTailTrimmer } from './zeroTail';

/** Deep buffers between stages: with Node's 16 KiB default, every 64 KiB pipe read stalls the chain. */
const STAGE_BUFFER = 4 << 20;

/** zlib's output pieces: its 16 KiB default made gunzip of a WAL segment four times slower (measured: 114 ms
 * against 27 ms for 16 MiB), all of it per-piece stream overhead. */
const ZLIB_CHUNK = 1 << 20;

/** Counts bytes flowing through, reporting them as they pass. */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly onBytes?: (total: number) => void) {
    super({ highWaterMark: STAGE_BUFFER });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }
}

export interface WriteStoredFileOptions {
  folder: StoreFolder;
  name: string;
  role: string;
  source: Readable;
  /** gzip level; 6 by default (WAL uses 1: it is read back in bulk by restores). */
  gzipLevel?: number;
  /** Layers the tool already applied (pg_basebackup's client-side zstd), recorded but not applied again. */
  appliedByTool?: Layer[];
  compress?: 'zstd' | 'gzip';
  /** Leave trailing zeros out (the zero-tail layer): WAL segments closed early are mostly zeros. */
  trimZeroTail?: boolean;
  key?: Buffer;
  signal?: AbortSignal;
  onSourceBytes?: (bytes: number) => void;
  /** About how many bytes the file may hold at most (PutOptions.expectedBytes): the source's size, say. */
  expectedBytes?: number;
}

export async function writeStoredFile(o: WriteStoredFileOptions): Promise<StoredFile> {
  const stages: NodeJS.ReadWriteStream[] = [];
  const layers: Layer[] = [...(o.appliedByTool ?? [])];
  // With a stage that changes the bytes the source is counted before it; otherwise the sink counts what it
  // receives.
  const counter = o.compress || o.trimZeroTail ? new ByteCounter(o.onSourceBytes) : undefined;
  if (counter) stages.push(counter);
  if (o.trimZeroTail) {
    stages.push(new ZeroTailTrimmer(STAGE_BUFFER));
    layers.push(ZERO_TAIL);
  }
  if (o.compress === 'zstd') {
    stages.push(childProcessStream('zstd', ['-q', '-c', '-3', '-T0'], 'zstd compression', ZSTD_HINT));
    layers.push('zstd');
  } else if (o.compress === 'gzip') {
    stages.push(createGzip({ level: o.gzipLevel ?? 6, chunkSize: ZLIB_CHUNK }));
    layers.push('gzip');
  }
  if (o.key) layers.push(ENCRYPTION_ALG);
  const where = describeFolder(o.folder) + o.name;
  // The file appears under its name only once committed: a failed or cancelled write leaves nothing.
  const writer = await o.folder.store.openWriter(keyIn(o.folder, o.name), { signal: o.signal, expectedBytes: o.expectedBytes });
  const sink = new StoredFileSink(writer, o.key, counter ? undefined : o.onSourceBytes);
  try {
    await pipeline([o.source, ...stages, sink], { signal: o.signal });
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw classifyIoError(err, where);
  }
  return { name: o.name, role: o.role, layers, bytes: sink.bytes, sha256: sink.digest(), sourceBytes: counter ? counter.bytes : sink.plainBytes };
}

function checkIntegrity(file: StoredFile, bytes: number, digest: () => string): LifeboatError | undefined {
  if (bytes !== file.bytes)
    return new LifeboatError('CHECKSUM_MISMATCH', `${file.name} has ${bytes} bytes; the manifest says ${file.bytes} (truncated or extended).`, 'Do not restore from this file; verify the other backups and take a new one.');
  const actual = digest();
  if (actual !== file.sha256)
    return new LifeboatError('CHECKSUM_MISMATCH', `${file.name} is damaged: its SHA-256 is ${actual}, the manifest says ${file.sha256}.`, 'Do not restore from this file; verify the other backups and take a new one.');
  return undefined;
}

/** Checks size and SHA-256 of the stored bytes as they stream past; fails at the end if either differs. */
class IntegrityCheck extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  constructor(private readonly file: StoredFile) {
    super({ highWaterMark: STAGE_BUFFER });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(checkIntegrity(this.file, this.bytes, () => this.hash.digest('hex')));
  }
}

export interface ReadOptions {
  /** A consumer that can take zstd itself (tar -I zstd) is handed the compressed stream. */
  keepZstd?: boolean;
  /** The consumer restores the zero tail itself (a sparse file extended to sourceBytes); the length is
   * still checked. */
  leaveZeroTail?: boolean;
}

function longerThanRecorded(file: StoredFile): LifeboatError {
  return new LifeboatError('CHECKSUM_MISMATCH', `${file.name} decodes to more than the ${file.sourceBytes} bytes its entry records.`, 'Do not restore from this file; verify the other backups and take a new one.');
}

/**
 * The decoded content of a stored file. Integrity is checked first in the chain, so a damaged file fails
 * the stream (at the latest at its end): a consumer must treat its output as good only when the stream ends
 * without error.
 */
export function readStoredFile(folder: StoreFolder, file: StoredFile, key: Buffer | undefined, onStoredBytes?: (bytes: number) => void, options: ReadOptions = {}): Readable {
  const stages: NodeJS.ReadWriteStream[] = [new ByteCounter(onStoredBytes), new IntegrityCheck(file)];
  const layers = [...file.layers].reverse();
  // A consumer that can take zstd itself (tar -I zstd) is handed the compressed stream: the decompressed
  // bytes then flow tool to tool, never through Node.
  if (options.keepZstd && layers.at(-1) === 'zstd') layers.pop();
  for (const layer of layers) {
    if (layer === ENCRYPTION_ALG) {
      if (!key) throw new LifeboatError('AUTH_FAILED', `${file.name} is encrypted and no key was given.`, 'Import the repository key into this computer\'s keychain.');
      stages.push(new DecryptStream(key, file.name));
    } else if (layer === 'zstd') stages.push(childProcessStream('zstd', ['-q', '-d', '-c'], 'zstd decompression', ZSTD_HINT));
    else if (layer === 'gzip') stages.push(createGunzip({ chunkSize: ZLIB_CHUNK }));
    else if (layer === ZERO_TAIL) stages.push(new ZeroTailPadder(file.sourceBytes, options.leaveZeroTail ? 'leave' : 'write', STAGE_BUFFER, () => longerThanRecorded(file)));
  }
  const out = new PassThrough({ highWaterMark: STAGE_BUFFER });
  const fail = (err: unknown) => {
    // A stage that never got its input (zstd's child process) is stopped with the rest.
    for (const stage of stages) (stage as unknown as { destroy(): void }).destroy();
    out.destroy(classifyIoError(err, describeFolder(folder) + file.name) as Error);
  };
  folder.store.get(keyIn(folder, file.name)).then((stored) => pipeline([stored, ...stages, out]), fail).catch(fail);
  return out;
}

/** Files small enough to decode in memory (a WAL segment is 16 MB by default, at most 1 GB). */
export const IN_MEMORY_LIMIT = 64 << 20;

/** Whether decodeStoredFile can take this file: every layer in-process, and small enough. */
export function decodableInMemory(file: StoredFile): boolean {
  return file.sourceBytes <= IN_MEMORY_LIMIT && !file.layers.includes('zstd');
}

/**
 * The decoded content of a small stored file, in memory: for a one-shot process (restore_command), where a
 * stream chain's per-piece buffers and collections cost more than the work. The zero tail is not written
 * out but returned as a count, for the consumer to write or leave sparse. Checks as readStoredFile does.
 */
export async function decodeStoredFile(folder: StoreFolder, file: StoredFile, key: Buffer | undefined, options: { blocking?: boolean } = {}): Promise<{ data: Buffer; zeroTail: number }> {
  const stored = await folder.store.getBytes(keyIn(folder, file.name), { blocking: options.blocking });
  const damaged = checkIntegrity(file, stored.length, () => createHash('sha256').update(stored).digest('hex'));
  if (damaged) throw damaged;
  let data = stored;
  for (const layer of [...file.layers].reverse()) {
    if (layer === ENCRYPTION_ALG) {
      if (!key) throw new LifeboatError('AUTH_FAILED', `${file.name} is encrypted and no key was given.`, 'Import the repository key into this computer\'s keychain.');
      data = Buffer.concat(openSealedFile(key, file.name, data));
    } else if (layer === 'gzip') {
      // One output buffer of the final size: zlib's pieces and their concatenation cost more than inflating.
      const zlibOptions = { chunkSize: Math.max(ZLIB_CHUNK, file.sourceBytes) };
      try {
        data = options.blocking ? gunzipSync(data, zlibOptions) : await promisify(gunzip)(data, zlibOptions);
      } catch (err) {
        throw new LifeboatError('CHECKSUM_MISMATCH', `${file.name} does not decompress: ${(err as Error).message}.`, 'Do not restore from this file; verify the other backups and take a new one.');
      }
    } else if (layer !== ZERO_TAIL) throw new LifeboatError('INVALID_INPUT', `${file.name} has a ${layer} layer, which is decoded by a stream only.`, 'Read it with readStoredFile.');
  }
  if (data.length > file.sourceBytes) throw longerThanRecorded(file);
  const zeroTail = file.sourceBytes - data.length;
  if (zeroTail > 0 && !file.layers.includes(ZERO_TAIL))
    throw new LifeboatError('CHECKSUM_MISMATCH', `${file.name} decodes to ${data.length} bytes; its entry records ${file.sourceBytes}.`, 'Do not restore from this file; verify the other backups and take a new one.');
  return { data, zeroTail };
}

export function classifyIoError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new LifeboatError('NO_SPACE', `The repository disk is full (writing ${path}).`, 'Free space or apply retention; the incomplete backup was removed.', { cause: err });
  if (code === 'ENOENT') return new LifeboatError('NOT_FOUND', `${path} is missing.`, 'The backup is incomplete or was moved; verify the repository.', { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new LifeboatError('PERMISSION_DENIED', `No permission to access ${path}.`, 'Check the repository folder\'s permissions.', { cause: err });
  if ((err as Error)?.name === 'AbortError') return new LifeboatError('CANCELLED', 'Cancelled by the user.', 'Nothing was kept from this run.', { cause: err });
  return err;
}
