// A small object's bytes from an object store's stream, for getBytes: the stream's own errors (already
// LifeboatErrors naming the repository) pass through.
import type { Readable } from 'node:stream';

export async function collectBytes(stream: Readable): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}
