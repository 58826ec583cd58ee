// PRELOGIN (MS-TDS 2.2.6.5): the first exchange, where client and server state their versions and agree
// (or not) on encryption. The double never speaks TLS, so it answers ENCRYPT_NOT_SUP or, to imitate a
// server that forces encryption, ENCRYPT_REQ.
import { ByteWriter } from './tdsBytes';

const OPTION = { VERSION: 0x00, ENCRYPTION: 0x01, INSTOPT: 0x02, THREADID: 0x03, MARS: 0x04, TERMINATOR: 0xff };

export const ENCRYPTION_NAMES = ['OFF', 'ON', 'NOT_SUP', 'REQ'] as const;
export type EncryptionOption = (typeof ENCRYPTION_NAMES)[number];

export interface ClientPrelogin {
  /** e.g. "19.2.2.0" for tedious 19.2.2 (the client's own version, not the TDS version). */
  clientVersion: string;
  encryption: EncryptionOption;
  /** The instance the client believes it reached; empty for the default instance. */
  instance: string;
  mars: boolean;
}

export function parseClientPrelogin(data: Buffer): ClientPrelogin {
  const result: ClientPrelogin = { clientVersion: '', encryption: 'NOT_SUP', instance: '', mars: false };
  let offset = 0;
  for (;;) {
    if (offset >= data.length) throw new Error('PRELOGIN: option list has no terminator');
    const token = data.readUInt8(offset);
    if (token === OPTION.TERMINATOR) break;
    if (offset + 5 > data.length) throw new Error('PRELOGIN: truncated option header');
    const start = data.readUInt16BE(offset + 1);
    const length = data.readUInt16BE(offset + 3);
    if (start + length > data.length) throw new Error(`PRELOGIN: option 0x${token.toString(16)} points past the end`);
    const value = data.subarray(start, start + length);
    switch (token) {
      case OPTION.VERSION:
        if (length >= 6) {
          result.clientVersion = `${value[0]}.${value[1]}.${value.readUInt16BE(2)}.${value.readUInt16BE(4)}`;
        }
        break;
      case OPTION.ENCRYPTION: {
        const name = ENCRYPTION_NAMES[value[0] ?? 2];
        if (!name) throw new Error(`PRELOGIN: unknown encryption value ${value[0]}`);
        result.encryption = name;
        break;
      }
      case OPTION.INSTOPT:
        result.instance = value.toString('latin1').replace(/\0.*$/s, '');
        break;
      case OPTION.MARS:
        result.mars = value[0] === 1;
        break;
      default:
        // THREADID, TRACEID, FEDAUTHREQUIRED, NONCE: nothing the double acts on.
        break;
    }
    offset += 5;
  }
  return result;
}

/** The server's answer: its version (e.g. 16.0.4135) and its encryption stance. */
export function buildServerPrelogin(version: readonly number[], encryption: EncryptionOption): Buffer {
  const [major = 16, minor = 0, build = 0] = version;
  const versionData = new ByteWriter().u8(major).u8(minor).u16be(build).u16be(0).toBuffer();
  const options: Array<[number, Buffer]> = [
    [OPTION.VERSION, versionData],
    [OPTION.ENCRYPTION, Buffer.from([ENCRYPTION_NAMES.indexOf(encryption)])],
    [OPTION.INSTOPT, Buffer.from([0])],
    [OPTION.THREADID, Buffer.alloc(0)],
    [OPTION.MARS, Buffer.from([0])],
  ];
  const headerLength = options.length * 5 + 1;
  const header = new ByteWriter();
  const body = new ByteWriter();
  for (const [token, value] of options) {
    header.u8(token).u16be(headerLength + body.size).u16be(value.length);
    body.bytes(value);
  }
  header.u8(OPTION.TERMINATOR);
  return Buffer.concat([header.toBuffer(), body.toBuffer()]);
}
