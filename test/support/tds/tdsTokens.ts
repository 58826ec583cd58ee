// Server token encoders (MS-TDS 2.2.7): LOGINACK, ENVCHANGE, INFO/ERROR, COLMETADATA, ROW, RETURNSTATUS and
// the three DONE variants. Each returns the bytes of one token.
import { ByteWriter } from './tdsBytes';
import { type SqlType, type TdsCellValue, writeTypeInfo, writeValue } from './tdsTypes';

const TOKEN = {
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  ROW: 0xd1,
  RETURNSTATUS: 0x79,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DONE_STATUS = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, COUNT: 0x10, ATTN: 0x20 } as const;

/** curCmd values SQL Server puts in DONE tokens; clients rarely look at them. */
export const CURRENT_COMMAND = { NONE: 0x00, SELECT: 0xc1 } as const;

const ENVCHANGE = { DATABASE: 1, LANGUAGE: 2, PACKET_SIZE: 4, SQL_COLLATION: 7 } as const;

/** A length-prefixed token: type byte, 2-byte length, body. */
function withLength(type: number, body: Buffer): Buffer {
  return new ByteWriter().u8(type).u16le(body.length).bytes(body).toBuffer();
}

export function loginAck(progName: string, version: readonly number[]): Buffer {
  const [major = 16, minor = 0, build = 0] = version;
  const body = new ByteWriter()
    .u8(1) // interface: SQL_TSQL
    .u32be(0x74000004) // TDS 7.4, written big-endian as the spec's examples show
    .bVarchar(progName)
    .u8(major)
    .u8(minor)
    .u8((build >> 8) & 0xff)
    .u8(build & 0xff);
  return withLength(TOKEN.LOGINACK, body.toBuffer());
}

function envChangeText(type: number, newValue: string, oldValue: string): Buffer {
  return withLength(TOKEN.ENVCHANGE, new ByteWriter().u8(type).bVarchar(newValue).bVarchar(oldValue).toBuffer());
}

export function databaseChange(newDatabase: string, oldDatabase: string): Buffer {
  return envChangeText(ENVCHANGE.DATABASE, newDatabase, oldDatabase);
}

export function languageChange(language: string): Buffer {
  return envChangeText(ENVCHANGE.LANGUAGE, language, '');
}

export function packetSizeChange(newSize: number, oldSize: number): Buffer {
  return envChangeText(ENVCHANGE.PACKET_SIZE, String(newSize), String(oldSize));
}

export function collationChange(collation: Buffer): Buffer {
  return withLength(
    TOKEN.ENVCHANGE,
    new ByteWriter().u8(ENVCHANGE.SQL_COLLATION).bVarbyte(collation).bVarbyte(Buffer.alloc(0)).toBuffer(),
  );
}

export interface ServerMessage {
  number: number;
  state: number;
  /** Severity: 0-10 are informational (INFO token), 11 and above are errors (ERROR token). */
  class: number;
  message: string;
  serverName: string;
  procName: string;
  lineNumber: number;
}

export function serverMessage(kind: 'info' | 'error', m: ServerMessage): Buffer {
  const body = new ByteWriter()
    .i32le(m.number)
    .u8(m.state)
    .u8(m.class)
    .usVarchar(m.message)
    .bVarchar(m.serverName)
    .bVarchar(m.procName)
    .i32le(m.lineNumber);
  return withLength(kind === 'info' ? TOKEN.INFO : TOKEN.ERROR, body.toBuffer());
}

export interface EncodedColumn {
  name: string;
  type: SqlType;
}

export function colMetadata(columns: readonly EncodedColumn[]): Buffer {
  const w = new ByteWriter().u8(TOKEN.COLMETADATA).u16le(columns.length);
  for (const column of columns) {
    w.u32le(0) // user type
      .u16le(0x0001 | 0x0008); // flags: nullable, updateable-unknown
    writeTypeInfo(w, column.type);
    w.bVarchar(column.name);
  }
  return w.toBuffer();
}

export function row(columns: readonly EncodedColumn[], values: readonly (TdsCellValue | undefined)[], where: string): Buffer {
  const w = new ByteWriter().u8(TOKEN.ROW);
  columns.forEach((column, i) => writeValue(w, column.type, values[i], `${where}, column "${column.name}"`));
  return w.toBuffer();
}

export function returnStatus(value: number): Buffer {
  return new ByteWriter().u8(TOKEN.RETURNSTATUS).i32le(value).toBuffer();
}

function doneToken(type: number, status: number, command: number, rowCount: number): Buffer {
  return new ByteWriter().u8(type).u16le(status).u16le(command).u64le(BigInt(rowCount)).toBuffer();
}

/** End of a statement in a SQL batch (or of the whole batch, without MORE). */
export function done(status: number, command: number = CURRENT_COMMAND.NONE, rowCount = 0): Buffer {
  return doneToken(TOKEN.DONE, status, command, rowCount);
}

/** End of a statement inside a stored procedure (sp_executesql included). */
export function doneInProc(status: number, command: number = CURRENT_COMMAND.NONE, rowCount = 0): Buffer {
  return doneToken(TOKEN.DONEINPROC, status, command, rowCount);
}

/** End of a stored procedure called by RPC. */
export function doneProc(status: number, command: number = CURRENT_COMMAND.NONE, rowCount = 0): Buffer {
  return doneToken(TOKEN.DONEPROC, status, command, rowCount);
}
