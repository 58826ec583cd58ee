// Little helpers to read and write the TDS wire formats (MS-TDS 2.2.5): little-endian integers, UCS-2 text
// with 1- or 2-byte character counts, and bounds-checked reads so a malformed message fails loudly.

/** Grows as it is written; `toBuffer()` returns exactly what was written. */
export class ByteWriter {
  private buffer = Buffer.alloc(256);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
    return this;
  }

  u16le(value: number): this {
    this.reserve(2);
    this.buffer.writeUInt16LE(value, this.length);
    this.length += 2;
    return this;
  }

  u16be(value: number): this {
    this.reserve(2);
    this.buffer.writeUInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  u32le(value: number): this {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
    return this;
  }

  u32be(value: number): this {
    this.reserve(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  i32le(value: number): this {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
    return this;
  }

  u64le(value: bigint): this {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(value, this.length);
    this.length += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** B_VARCHAR: a 1-byte count of UCS-2 characters, then the characters. */
  bVarchar(text: string): this {
    if (text.length > 255) throw new Error(`B_VARCHAR holds at most 255 characters: ${text.slice(0, 40)}...`);
    return this.u8(text.length).bytes(Buffer.from(text, 'utf16le'));
  }

  /** US_VARCHAR: a 2-byte count of UCS-2 characters, then the characters. */
  usVarchar(text: string): this {
    if (text.length > 0xffff) throw new Error('US_VARCHAR holds at most 65535 characters');
    return this.u16le(text.length).bytes(Buffer.from(text, 'utf16le'));
  }

  /** B_VARBYTE: a 1-byte length, then the bytes. */
  bVarbyte(data: Uint8Array): this {
    return this.u8(data.length).bytes(data);
  }

  get size(): number {
    return this.length;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

/** Reads forward through one message; every read checks that the bytes are there. */
export class ByteReader {
  offset = 0;

  constructor(
    readonly data: Buffer,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  private need(count: number): void {
    if (this.offset + count > this.data.length) {
      throw new Error(`${this.what}: needs ${count} more bytes at offset ${this.offset}, has ${this.remaining}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data.readUInt8(this.offset++);
  }

  u16le(): number {
    this.need(2);
    const value = this.data.readUInt16LE(this.offset);
    this.offset += 2;
    return value;
  }

  u32le(): number {
    this.need(4);
    const value = this.data.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  i32le(): number {
    this.need(4);
    const value = this.data.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  u64le(): bigint {
    this.need(8);
    const value = this.data.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const value = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }

  skip(count: number): void {
    this.need(count);
    this.offset += count;
  }

  bVarchar(): string {
    return this.bytes(this.u8() * 2).toString('utf16le');
  }

  usVarchar(): string {
    return this.bytes(this.u16le() * 2).toString('utf16le');
  }
}
