// A stream's end of a StoreWriter: what a put pipes a source into. Pieces the source produced while a write
// was under way go out together in the next one.
import { Writable } from 'node:stream';
import type { StoreWriter } from './repositoryStore';

export class StoreWriterSink extends Writable {
  constructor(private readonly writer: Pick<StoreWriter, 'write'>) {
    super({ highWaterMark: 4 << 20 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writer.write([chunk]).then(() => done(), done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.writer.write(chunks.map((c) => c.chunk)).then(() => done(), done);
  }
}
