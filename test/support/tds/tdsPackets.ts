// TDS packet framing (MS-TDS 2.2.3): every message travels as packets of an 8-byte header plus data; the
// last packet of a message carries the EOM status bit. Reads client messages, writes server messages.
import type { Socket } from 'node:net';

export const PACKET_TYPE = {
  SQL_BATCH: 0x01,
  RPC_REQUEST: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

const HEADER_LENGTH = 8;
const STATUS_EOM = 0x01;
const STATUS_IGNORE = 0x02;
const STATUS_RESET_CONNECTION = 0x08;
const STATUS_RESET_CONNECTION_SKIP_TRAN = 0x10;

/** What a client sent, reassembled from its packets. */
export interface TdsClientMessage {
  type: number;
  data: Buffer;
  /** The client gave up on this message before finishing it (2.2.1.7): answer with DONE only. */
  ignored: boolean;
  resetConnection: boolean;
}

/** Collects socket data into whole messages, calling `onMessage` for each. */
export class TdsMessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private current: { type: number; chunks: Buffer[]; resetConnection: boolean } | undefined;

  constructor(private readonly onMessage: (message: TdsClientMessage) => void) {}

  /** Throws on a malformed packet: the session then drops the connection, as a server would. */
  push(data: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    while (this.pending.length >= HEADER_LENGTH) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER_LENGTH) throw new Error(`TDS packet header declares length ${length}`);
      if (this.pending.length < length) return;
      const type = this.pending.readUInt8(0);
      const status = this.pending.readUInt8(1);
      const body = this.pending.subarray(HEADER_LENGTH, length);
      this.pending = this.pending.subarray(length);

      // An attention packet may arrive while a response is being written; it is a message of its own.
      if (type === PACKET_TYPE.ATTENTION) {
        this.onMessage({ type, data: Buffer.alloc(0), ignored: false, resetConnection: false });
        continue;
      }
      if (!this.current) {
        const resetConnection = (status & (STATUS_RESET_CONNECTION | STATUS_RESET_CONNECTION_SKIP_TRAN)) !== 0;
        this.current = { type, chunks: [], resetConnection };
      } else if (this.current.type !== type) {
        throw new Error(`TDS packet of type 0x${type.toString(16)} inside a message of type 0x${this.current.type.toString(16)}`);
      }
      this.current.chunks.push(Buffer.from(body));
      if (status & STATUS_EOM) {
        const { chunks, resetConnection } = this.current;
        this.current = undefined;
        this.onMessage({
          type,
          data: Buffer.concat(chunks),
          ignored: (status & STATUS_IGNORE) !== 0,
          resetConnection,
        });
      }
    }
  }
}

/** Numbers packets and knows the negotiated packet size; one per connection. */
export class TdsPacketWriter {
  private packetId = 1;
  packetSize = 4096;

  constructor(
    private readonly socket: Socket,
    private readonly spid: number,
  ) {}

  /** Sends `payload` as packets of one message; `last` marks the final packet with EOM. */
  send(type: number, payload: Buffer, last: boolean): void {
    const room = this.packetSize - HEADER_LENGTH;
    let offset = 0;
    do {
      const chunk = payload.subarray(offset, offset + room);
      offset += chunk.length;
      const isLast = last && offset >= payload.length;
      const header = Buffer.alloc(HEADER_LENGTH);
      header.writeUInt8(type, 0);
      header.writeUInt8(isLast ? STATUS_EOM : 0, 1);
      header.writeUInt16BE(HEADER_LENGTH + chunk.length, 2);
      header.writeUInt16BE(this.spid, 4);
      header.writeUInt8(this.packetId, 6);
      header.writeUInt8(0, 7);
      this.packetId = (this.packetId + 1) % 256;
      if (!this.socket.destroyed) this.socket.write(Buffer.concat([header, chunk]));
    } while (offset < payload.length);
  }
}

/**
 * One server response message, written token by token. `flush()` sends what is buffered without ending
 * the message, the way SQL Server pushes STATS messages out while a BACKUP runs; `end()` closes it (EOM).
 */
export class TdsResponseMessage {
  private buffered: Buffer[] = [];
  private ended = false;
  /** True once any packet of this message has left, i.e. the client is reading it. */
  started = false;

  constructor(private readonly writer: TdsPacketWriter) {}

  write(token: Buffer): void {
    if (this.ended) throw new Error('response message already ended');
    this.buffered.push(token);
  }

  flush(): void {
    if (this.ended || this.buffered.length === 0) return;
    this.writer.send(PACKET_TYPE.TABULAR_RESULT, Buffer.concat(this.buffered), false);
    this.buffered = [];
    this.started = true;
  }

  end(): void {
    if (this.ended) return;
    this.writer.send(PACKET_TYPE.TABULAR_RESULT, Buffer.concat(this.buffered), true);
    this.buffered = [];
    this.ended = true;
    this.started = true;
  }
}
