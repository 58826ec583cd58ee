// LOGIN7 (MS-TDS 2.2.6.4): who the client is, which database it wants and its password, which travels
// only "obfuscated" (each byte's nibbles swapped, then XORed with 0xA5), so it is readable here.
import { ByteReader } from './tdsBytes';

export interface ClientLogin7 {
  /** e.g. 0x74000004 for TDS 7.4. */
  tdsVersion: number;
  packetSize: number;
  clientPid: number;
  /** ApplicationIntent=ReadOnly (TypeFlags fReadOnlyIntent), which matters for AG readable secondaries. */
  readOnlyIntent: boolean;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  /** The client library, e.g. "Tedious". */
  library: string;
  language: string;
  database: string;
  /** Integrated (SSPI/NTLM) authentication was requested instead of a SQL login. */
  integratedSecurity: boolean;
}

const FIXED_LENGTH = 36;

export function decodeLogin7(data: Buffer): ClientLogin7 {
  const reader = new ByteReader(data, 'LOGIN7');
  const declaredLength = reader.u32le();
  if (declaredLength > data.length) throw new Error(`LOGIN7 declares ${declaredLength} bytes, has ${data.length}`);
  const tdsVersion = data.readUInt32LE(4);
  const packetSize = data.readUInt32LE(8);
  const clientPid = data.readUInt32LE(16);
  const optionFlags2 = data.readUInt8(25);
  const typeFlags = data.readUInt8(26);

  // Offsets (from the start of LOGIN7) and lengths in characters, in the order the spec lists them.
  const field = (index: number): string => {
    const at = FIXED_LENGTH + index * 4;
    const offset = data.readUInt16LE(at);
    const chars = data.readUInt16LE(at + 2);
    if (offset + chars * 2 > data.length) throw new Error(`LOGIN7 field ${index} points past the end`);
    return data.toString('utf16le', offset, offset + chars * 2);
  };
  const passwordAt = FIXED_LENGTH + 2 * 4;
  const passwordOffset = data.readUInt16LE(passwordAt);
  const passwordChars = data.readUInt16LE(passwordAt + 2);
  const password = deobfuscatePassword(data.subarray(passwordOffset, passwordOffset + passwordChars * 2));

  return {
    tdsVersion,
    packetSize,
    clientPid,
    readOnlyIntent: (typeFlags & 0x20) !== 0,
    hostName: field(0),
    userName: field(1),
    password,
    appName: field(3),
    serverName: field(4),
    library: field(6),
    language: field(7),
    database: field(8),
    integratedSecurity: (optionFlags2 & 0x80) !== 0,
  };
}

/** Undoes the LOGIN7 password obfuscation: XOR with 0xA5, then swap the nibbles back. */
export function deobfuscatePassword(bytes: Buffer): string {
  const plain = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = (bytes[i] ?? 0) ^ 0xa5;
    plain[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return plain.toString('utf16le');
}
