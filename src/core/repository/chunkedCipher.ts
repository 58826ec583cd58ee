// Authenticated, chunked encryption of repository files (AES-256-GCM through Node's OpenSSL), so a damaged,
// truncated, extended or reordered file is detected chunk by chunk and never silently restored.
//
// Layout: a 32-byte header, then chunks of CHUNK_SIZE plaintext bytes (the last one shorter, possibly empty),
// each followed by its 16-byte tag. Each file gets its own key, HKDF(repository key, random salt), so nonces
// never repeat across files; the nonce is the chunk counter plus a "final chunk" flag (the STREAM
// construction), which is what makes truncation and appended data detectable. The header is authenticated as
// associated data of every chunk.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { LifeboatError } from '../lifeboatError';

const MAGIC = Buffer.from('LBE1');
const ALG_AES_256_GCM = 1;
const CHUNK_LOG2 = 20;
export const CHUNK_SIZE = 1 << CHUNK_LOG2;
const TAG = 16;
export const HEADER_SIZE = 32;

/** A short public identifier of a key: lets Lifeboat say "wrong key" instead of "damaged file". */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('lifeboat key fingerprint v1').digest('hex').slice(0, 32);
}

function keyId(key: Buffer): Buffer {
  return Buffer.from(keyFingerprint(key).slice(0, 16), 'hex');
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, 'lifeboat file key v1', 32));
}

function nonce(counter: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUIntBE(counter, 5, 6);
  n[11] = final ? 1 : 0;
  return n;
}

export function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new LifeboatError('INVALID_INPUT', 'A repository key is 32 bytes.', 'Use the key Lifeboat generated for this repository.');
}

/**
 * Seals a file's chunks one after another. The caller decides the chunk boundaries (CHUNK_SIZE each, the
 * last one shorter) and says which chunk is final; the header must be written first.
 */
export class ChunkSealer {
  readonly header: Buffer;
  private readonly key: Buffer;
  private counter = 0;

  constructor(repositoryKey: Buffer) {
    assertKey(repositoryKey);
    const salt = randomBytes(16);
    this.header = Buffer.alloc(HEADER_SIZE);
    MAGIC.copy(this.header, 0);
    this.header[4] = ALG_AES_256_GCM;
    this.header[5] = CHUNK_LOG2;
    keyId(repositoryKey).copy(this.header, 8);
    salt.copy(this.header, 16);
    this.key = fileKey(repositoryKey, salt);
  }

  /** The ciphertext of one chunk given as pieces (GCM takes its input in any number of updates), tag last. */
  seal(pieces: Buffer[], final: boolean): Buffer[] {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.counter++, final));
    cipher.setAAD(this.header);
    const out = pieces.map((piece) => cipher.update(piece));
    const tail = cipher.final();
    if (tail.length) out.push(tail);
    out.push(cipher.getAuthTag());
    return out;
  }
}

/**
 * Opens a file's chunks one after another: the header first, then each block (ciphertext pieces, tag
 * last), whose plaintext is released only once it authenticated.
 */
class ChunkOpener {
  private header: Buffer | undefined;
  private key: Buffer | undefined;
  private counter = 0;

  constructor(
    private readonly repositoryKey: Buffer,
    private readonly label: string,
  ) {
    assertKey(repositoryKey);
  }

  get started(): boolean {
    return this.header !== undefined;
  }

  readHeader(header: Buffer): void {
    if (!header.subarray(0, 4).equals(MAGIC) || header[4] !== ALG_AES_256_GCM)
      throw this.damaged('it is not a Lifeboat encrypted file');
    if (!header.subarray(8, 16).equals(keyId(this.repositoryKey)))
      throw new LifeboatError('AUTH_FAILED', `${this.label} was encrypted with another key.`, 'Import the key this repository was created with (its fingerprint is in lifeboat-repo.json).');
    this.header = Buffer.from(header);
    this.key = fileKey(this.repositoryKey, header.subarray(16, 32));
  }

  open(pieces: Buffer[], final: boolean): Buffer[] {
    const decipher = createDecipheriv('aes-256-gcm', this.key!, nonce(this.counter, final));
    decipher.setAAD(this.header!);
    const size = pieces.reduce((n, p) => n + p.length, 0);
    const plain: Buffer[] = [];
    const tag: Buffer[] = [];
    let offset = 0;
    for (const piece of pieces) {
      const bodyEnd = Math.max(0, Math.min(piece.length, size - TAG - offset));
      if (bodyEnd > 0) plain.push(decipher.update(piece.subarray(0, bodyEnd)));
      if (bodyEnd < piece.length) tag.push(piece.subarray(bodyEnd));
      offset += piece.length;
    }
    try {
      decipher.setAuthTag(Buffer.concat(tag));
      plain.push(decipher.final());
    } catch {
      throw this.damaged(final ? `chunk ${this.counter} failed authentication (damaged, truncated or extended)` : `chunk ${this.counter} failed authentication`);
    }
    this.counter++;
    return plain.filter((p) => p.length > 0);
  }

  damaged(why: string): LifeboatError {
    return new LifeboatError('CHECKSUM_MISMATCH', `${this.label} is damaged: ${why}.`, 'Do not restore from this file; verify the other backups and take a new one.');
  }
}

/** The plaintext of a whole encrypted file held in memory (a WAL segment for restore_command). */
export function openSealedFile(repositoryKey: Buffer, label: string, data: Buffer): Buffer[] {
  const opener = new ChunkOpener(repositoryKey, label);
  if (data.length < HEADER_SIZE + TAG) throw opener.damaged('it is truncated');
  opener.readHeader(data.subarray(0, HEADER_SIZE));
  const block = CHUNK_SIZE + TAG;
  const plain: Buffer[] = [];
  // The last block is the one that reaches the end, possibly empty but for its tag.
  for (let offset = HEADER_SIZE; ; offset += block) {
    const final = data.length - offset <= block;
    plain.push(...opener.open([data.subarray(offset, final ? data.length : offset + block)], final));
    if (final) return plain;
  }
}

export class DecryptStream extends Transform {
  private readonly opener: ChunkOpener;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** `label` names the file in error messages. */
  constructor(repositoryKey: Buffer, label: string) {
    super({ highWaterMark: CHUNK_SIZE + (CHUNK_SIZE >> 1) });
    this.opener = new ChunkOpener(repositoryKey, label);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    try {
      if (!this.opener.started) {
        if (this.pendingBytes < HEADER_SIZE) return done();
        this.opener.readHeader(Buffer.concat(this.takeBytes(HEADER_SIZE)));
      }
      const block = CHUNK_SIZE + TAG;
      // Keep at least one whole block back: only at the end do we know which block is final.
      while (this.pendingBytes > block) this.release(this.opener.open(this.takeBytes(block), false));
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.opener.started || this.pendingBytes < TAG) throw this.opener.damaged('it is truncated');
      this.release(this.opener.open(this.takeBytes(this.pendingBytes), true));
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private release(plain: Buffer[]): void {
    for (const p of plain) this.push(p);
  }

  /** The first n pending bytes, as slices of the pieces they lie in (no copy). */
  private takeBytes(n: number): Buffer[] {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const piece = this.pending[0]!;
      if (piece.length <= left) {
        out.push(this.pending.shift()!);
        left -= piece.length;
      } else {
        out.push(piece.subarray(0, left));
        this.pending[0] = piece.subarray(left);
        left = 0;
      }
    }
    this.pendingBytes -= n;
    return out;
  }
}
