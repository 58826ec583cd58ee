// SQL Server data types on the wire (MS-TDS 2.2.5.4-2.2.5.6): a column's TYPE_INFO in COLMETADATA and an
// RPC parameter's, and the bytes of one value. Column types are written the way a DBA reads them
// ("nvarchar(128)", "numeric(25,0)", "datetime2(3)"); parameters are decoded into the same shape.
import { ByteReader, ByteWriter } from './tdsBytes';

/** A value in a fixture row or a decoded parameter. Dates without a zone are wall-clock (see toWallClock). */
export type TdsCellValue = string | number | bigint | boolean | Date | Uint8Array | null;

export type SqlTypeKind =
  | 'int'
  | 'bit'
  | 'float'
  | 'decimal'
  | 'money'
  | 'nvarchar'
  | 'nchar'
  | 'varchar'
  | 'char'
  | 'varbinary'
  | 'binary'
  | 'uniqueidentifier'
  | 'date'
  | 'time'
  | 'datetime'
  | 'smalldatetime'
  | 'datetime2'
  | 'datetimeoffset';

export interface SqlType {
  /** How T-SQL spells it, e.g. "nvarchar(max)", "numeric(25,0)", "int". */
  name: string;
  kind: SqlTypeKind;
  /** Bytes of an integer, float or money value. */
  size?: number;
  /** Characters (n-types) or bytes of a string/binary type; 'max' for the PLP (max) types. */
  length?: number | 'max';
  precision?: number;
  scale?: number;
  /** decimal and numeric share a wire format and differ only in their type id. */
  numeric?: boolean;
}

const TYPE = {
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BIGVARBINARY: 0xa5,
  BIGVARCHAR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
} as const;

/** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, ignore case/kana/width, sort id 52 (code page 1252). */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

const MAX_LENGTH = 0xffff;
const PLP_NULL = 0xffffffffffffffffn;
const PLP_UNKNOWN_LENGTH = 0xfffffffffffffffen;
const INT_NAMES: Record<number, string> = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' };
const DAYS_FROM_0001_TO_1970 = 719162;
const DAYS_FROM_1900_TO_1970 = 25567;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Reading a type as written in a fixture

export function parseSqlType(spec: string): SqlType {
  const match = /^\s*(\w+)\s*(?:\(\s*(max|\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(spec);
  if (!match) throw new Error(`test double: cannot read the type "${spec}"`);
  const base = (match[1] ?? '').toLowerCase();
  const first = match[2]?.toLowerCase();
  const second = match[3];
  const length = (fallback: number): number | 'max' => (first === 'max' ? 'max' : first ? Number(first) : fallback);
  switch (base) {
    case 'tinyint':
      return { name: base, kind: 'int', size: 1 };
    case 'smallint':
      return { name: base, kind: 'int', size: 2 };
    case 'int':
      return { name: base, kind: 'int', size: 4 };
    case 'bigint':
      return { name: base, kind: 'int', size: 8 };
    case 'bit':
      return { name: base, kind: 'bit', size: 1 };
    case 'real':
      return { name: base, kind: 'float', size: 4 };
    case 'float':
      return { name: base, kind: 'float', size: first && Number(first) <= 24 ? 4 : 8 };
    case 'money':
      return { name: base, kind: 'money', size: 8 };
    case 'smallmoney':
      return { name: base, kind: 'money', size: 4 };
    case 'decimal':
    case 'numeric': {
      const precision = first && first !== 'max' ? Number(first) : 18;
      const scale = second ? Number(second) : 0;
      if (precision < 1 || precision > 38 || scale > precision) throw new Error(`test double: bad type ${spec}`);
      return { name: `${base}(${precision},${scale})`, kind: 'decimal', precision, scale, numeric: base === 'numeric' };
    }
    case 'sysname':
      return { name: 'nvarchar(128)', kind: 'nvarchar', length: 128 };
    case 'nvarchar':
    case 'varchar':
    case 'varbinary':
    case 'nchar':
    case 'char':
    case 'binary': {
      const n = length(1);
      const limit = base.startsWith('n') ? 4000 : 8000;
      if (n !== 'max' && (n < 1 || n > limit)) throw new Error(`test double: bad type ${spec}`);
      if (n === 'max' && (base === 'nchar' || base === 'char' || base === 'binary')) {
        throw new Error(`test double: ${base}(max) does not exist`);
      }
      return { name: `${base}(${n})`, kind: base, length: n };
    }
    case 'uniqueidentifier':
      return { name: base, kind: 'uniqueidentifier' };
    case 'date':
      return { name: base, kind: 'date' };
    case 'datetime':
      return { name: base, kind: 'datetime', size: 8 };
    case 'smalldatetime':
      return { name: base, kind: 'smalldatetime', size: 4 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = first && first !== 'max' ? Number(first) : 7;
      if (scale > 7) throw new Error(`test double: bad type ${spec}`);
      return { name: `${base}(${scale})`, kind: base, scale };
    }
    default:
      throw new Error(`test double: the type "${spec}" is not supported (add it to tdsTypes.ts)`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing TYPE_INFO and values (result sets)

function decimalLength(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

function timeLength(scale: number): number {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

/** TYPE_INFO as COLMETADATA carries it; every column is sent as its nullable (…N) variant. */
export function writeTypeInfo(w: ByteWriter, type: SqlType): void {
  switch (type.kind) {
    case 'int':
      w.u8(TYPE.INTN).u8(type.size ?? 4);
      return;
    case 'bit':
      w.u8(TYPE.BITN).u8(1);
      return;
    case 'float':
      w.u8(TYPE.FLTN).u8(type.size ?? 8);
      return;
    case 'money':
      w.u8(TYPE.MONEYN).u8(type.size ?? 8);
      return;
    case 'decimal':
      w.u8(type.numeric ? TYPE.NUMERICN : TYPE.DECIMALN)
        .u8(decimalLength(type.precision ?? 18))
        .u8(type.precision ?? 18)
        .u8(type.scale ?? 0);
      return;
    case 'nvarchar':
    case 'nchar':
    case 'varchar':
    case 'char': {
      const id = { nvarchar: TYPE.NVARCHAR, nchar: TYPE.NCHAR, varchar: TYPE.BIGVARCHAR, char: TYPE.BIGCHAR }[type.kind];
      const unit = type.kind.startsWith('n') ? 2 : 1;
      w.u8(id).u16le(type.length === 'max' ? MAX_LENGTH : (type.length ?? 1) * unit).bytes(DEFAULT_COLLATION);
      return;
    }
    case 'varbinary':
    case 'binary':
      w.u8(type.kind === 'varbinary' ? TYPE.BIGVARBINARY : TYPE.BIGBINARY).u16le(
        type.length === 'max' ? MAX_LENGTH : (type.length ?? 1),
      );
      return;
    case 'uniqueidentifier':
      w.u8(TYPE.GUID).u8(16);
      return;
    case 'date':
      w.u8(TYPE.DATEN);
      return;
    case 'datetime':
    case 'smalldatetime':
      w.u8(TYPE.DATETIMN).u8(type.size ?? 8);
      return;
    case 'time':
      w.u8(TYPE.TIMEN).u8(type.scale ?? 7);
      return;
    case 'datetime2':
      w.u8(TYPE.DATETIME2N).u8(type.scale ?? 7);
      return;
    case 'datetimeoffset':
      w.u8(TYPE.DATETIMEOFFSETN).u8(type.scale ?? 7);
      return;
  }
}

/** One value of a ROW token, NULL included. `where` names the column in error messages. */
export function writeValue(w: ByteWriter, type: SqlType, value: TdsCellValue | undefined, where: string): void {
  const fail = (why: string): never => {
    throw new Error(`test double: ${where} (${type.name}): ${why}`);
  };
  if (value === undefined) return fail('no value given (use null for NULL)');
  const isMax = type.length === 'max';
  if (value === null) {
    if (isMax) w.u64le(PLP_NULL);
    else if (type.kind.endsWith('char') || type.kind.endsWith('binary')) w.u16le(0xffff);
    else w.u8(0);
    return;
  }
  switch (type.kind) {
    case 'int': {
      const size = type.size ?? 4;
      const n = toBigInt(value, fail);
      const bits = BigInt(size * 8);
      const [min, max] = size === 1 ? [0n, 255n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
      if (n < min || n > max) fail(`${n} is out of range`);
      const bytes = Buffer.alloc(size);
      if (size === 8) bytes.writeBigInt64LE(n);
      else if (size === 1) bytes.writeUInt8(Number(n));
      else bytes.writeIntLE(Number(n), 0, size);
      w.u8(size).bytes(bytes);
      return;
    }
    case 'bit':
      if (value !== true && value !== false && value !== 0 && value !== 1) fail('expects true/false or 0/1');
      w.u8(1).u8(value === true || value === 1 ? 1 : 0);
      return;
    case 'float': {
      if (typeof value !== 'number') fail('expects a number');
      const bytes = Buffer.alloc(type.size ?? 8);
      if (type.size === 4) bytes.writeFloatLE(value as number);
      else bytes.writeDoubleLE(value as number);
      w.u8(bytes.length).bytes(bytes);
      return;
    }
    case 'money': {
      const units = toScaledBigInt(value, 4, 19, fail);
      if (type.size === 4) {
        w.u8(4).i32le(Number(units));
      } else {
        const bytes = Buffer.alloc(8);
        bytes.writeInt32LE(Number(units >> 32n), 0);
        bytes.writeUInt32LE(Number(units & 0xffffffffn), 4);
        w.u8(8).bytes(bytes);
      }
      return;
    }
    case 'decimal': {
      const precision = type.precision ?? 18;
      const scaled = toScaledBigInt(value, type.scale ?? 0, precision, fail);
      const length = decimalLength(precision);
      const magnitude = scaled < 0n ? -scaled : scaled;
      const bytes = Buffer.alloc(length - 1);
      let rest = magnitude;
      for (let i = 0; i < bytes.length; i++) {
        bytes[i] = Number(rest & 0xffn);
        rest >>= 8n;
      }
      w.u8(length).u8(scaled < 0n ? 0 : 1).bytes(bytes);
      return;
    }
    case 'nvarchar':
    case 'nchar':
    case 'varchar':
    case 'char': {
      if (typeof value !== 'string') fail('expects a string');
      const text = value as string;
      const wide = type.kind.startsWith('n');
      if (!wide && /[^\x00-\xff]/.test(text)) fail('has characters outside code page 1252 (use nvarchar)');
      if (type.length !== 'max' && text.length > (type.length ?? 1)) fail(`"${text}" is longer than the column`);
      const padded = type.kind === 'nchar' || type.kind === 'char' ? text.padEnd(Number(type.length), ' ') : text;
      writeSizedBytes(w, Buffer.from(padded, wide ? 'utf16le' : 'latin1'), isMax);
      return;
    }
    case 'varbinary':
    case 'binary': {
      if (!(value instanceof Uint8Array)) fail('expects a Buffer or Uint8Array');
      const bytes = value as Uint8Array;
      if (type.length !== 'max' && bytes.length > (type.length ?? 1)) fail('is longer than the column');
      writeSizedBytes(w, bytes, isMax);
      return;
    }
    case 'uniqueidentifier':
      if (typeof value !== 'string') fail('expects a GUID string');
      w.u8(16).bytes(guidToBytes(value as string, fail));
      return;
    case 'date': {
      const clock = toWallClock(value, fail);
      w.u8(3).bytes(uint24(clock.days + DAYS_FROM_0001_TO_1970));
      return;
    }
    case 'datetime':
    case 'smalldatetime': {
      const clock = toWallClock(value, fail);
      const days = clock.days + DAYS_FROM_1900_TO_1970;
      if (type.kind === 'smalldatetime') {
        w.u8(4).u16le(days).u16le(Math.round(Number(clock.ticks) / 600_000_000));
      } else {
        // datetime counts 1/300 s; round as SQL Server does (to .000, .003 or .007).
        w.u8(8).i32le(days).u32le(Math.round((Number(clock.ticks) * 300) / 10_000_000));
      }
      return;
    }
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = type.scale ?? 7;
      const clock = toWallClock(value, fail);
      const units = clock.ticks / 10n ** BigInt(7 - scale);
      const time = Buffer.alloc(timeLength(scale));
      time.writeUIntLE(Number(units), 0, time.length);
      if (type.kind === 'time') {
        w.u8(time.length).bytes(time);
      } else if (type.kind === 'datetime2') {
        w.u8(time.length + 3).bytes(time).bytes(uint24(clock.days + DAYS_FROM_0001_TO_1970));
      } else {
        // The wire holds the UTC instant plus the offset; the double always answers offset +00:00.
        w.u8(time.length + 5).bytes(time).bytes(uint24(clock.days + DAYS_FROM_0001_TO_1970)).u16le(0);
      }
      return;
    }
  }
}

function writeSizedBytes(w: ByteWriter, bytes: Uint8Array, isMax: boolean): void {
  if (!isMax) {
    w.u16le(bytes.length).bytes(bytes);
    return;
  }
  // PLP: total length, chunks of (length, bytes), a zero-length chunk to end.
  w.u64le(BigInt(bytes.length));
  if (bytes.length > 0) w.u32le(bytes.length).bytes(bytes);
  w.u32le(0);
}

function uint24(value: number): Buffer {
  const bytes = Buffer.alloc(3);
  bytes.writeUIntLE(value, 0, 3);
  return bytes;
}

function toBigInt(value: TdsCellValue, fail: (why: string) => never): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return fail(`expects an integer, got ${String(value)}`);
}

/** An exact decimal as an integer count of 10^-scale units; strings keep every digit. */
function toScaledBigInt(value: TdsCellValue, scale: number, precision: number, fail: (why: string) => never): bigint {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) fail('pass integers beyond 2^53 as strings or bigint');
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return fail('expects a decimal string, number or bigint');
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return fail(`"${text}" is not a decimal number`);
  const fraction = match[3] ?? '';
  if (fraction.length > scale) fail(`"${text}" has more than ${scale} decimals`);
  const digits = (match[2] ?? '0') + fraction.padEnd(scale, '0');
  if (digits.replace(/^0+/, '').length > precision) fail(`"${text}" has more than ${precision} digits`);
  const magnitude = BigInt(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** A point in wall-clock time: days since 1970-01-01 and 100-ns ticks since midnight. */
interface WallClock {
  days: number;
  ticks: bigint;
}

/**
 * Date objects give their UTC fields (mssql reads values as UTC by default, so they round-trip); strings
 * "YYYY-MM-DD[ HH:MM[:SS[.fffffff]]]" are taken as written, with no zone, like msdb's local times.
 */
function toWallClock(value: TdsCellValue, fail: (why: string) => never): WallClock {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) fail('is an invalid Date');
    const days = Math.floor(ms / MS_PER_DAY);
    return { days, ticks: BigInt(ms - days * MS_PER_DAY) * 10_000n };
  }
  if (typeof value !== 'string') return fail('expects a Date or a "YYYY-MM-DD HH:MM:SS.fffffff" string');
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(value.trim());
  if (!match) return fail(`"${value}" is not "YYYY-MM-DD HH:MM:SS.fffffff"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', f = ''] = match;
  const days = Math.floor(Date.UTC(Number(y), Number(mo) - 1, Number(d)) / MS_PER_DAY);
  const seconds = BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(s));
  return { days, ticks: seconds * 10_000_000n + BigInt(f.padEnd(7, '0')) };
}

function guidToBytes(text: string, fail: (why: string) => never): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) fail(`"${text}" is not a GUID`);
  const raw = Buffer.from(hex, 'hex');
  // The first three groups are little-endian on the wire.
  return Buffer.concat([raw.subarray(0, 4).reverse(), raw.subarray(4, 6).reverse(), raw.subarray(6, 8).reverse(), raw.subarray(8)]);
}

function bytesToGuid(bytes: Buffer): string {
  const ordered = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8),
  ]).toString('hex');
  const parts = [ordered.slice(0, 8), ordered.slice(8, 12), ordered.slice(12, 16), ordered.slice(16, 20), ordered.slice(20)];
  return parts.join('-').toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------
// Reading TYPE_INFO and values (RPC parameters)

/** A parameter's type as its TYPE_INFO said; fixed-length types (INT4, ...) carry no length before a value. */
export interface ParameterType {
  type: SqlType;
  fixedLength: boolean;
}

export function readTypeInfo(r: ByteReader): ParameterType {
  const id = r.u8();
  const fixed: number[] = [TYPE.INT1, TYPE.INT2, TYPE.INT4, TYPE.INT8, TYPE.BIT, TYPE.FLT4, TYPE.FLT8, TYPE.MONEY, TYPE.MONEY4, TYPE.DATETIME, TYPE.DATETIM4];
  return { type: readTypeInfoBody(r, id), fixedLength: fixed.includes(id) };
}

function readTypeInfoBody(r: ByteReader, id: number): SqlType {
  switch (id) {
    case TYPE.INT1:
      return parseSqlType('tinyint');
    case TYPE.INT2:
      return parseSqlType('smallint');
    case TYPE.INT4:
      return parseSqlType('int');
    case TYPE.INT8:
      return parseSqlType('bigint');
    case TYPE.BIT:
      return parseSqlType('bit');
    case TYPE.FLT4:
      return parseSqlType('real');
    case TYPE.FLT8:
      return parseSqlType('float');
    case TYPE.MONEY:
      return parseSqlType('money');
    case TYPE.MONEY4:
      return parseSqlType('smallmoney');
    case TYPE.DATETIME:
      return parseSqlType('datetime');
    case TYPE.DATETIM4:
      return parseSqlType('smalldatetime');
    case TYPE.INTN: {
      const size = r.u8();
      return { name: INT_NAMES[size] ?? `int${size}`, kind: 'int', size };
    }
    case TYPE.BITN:
      r.u8();
      return parseSqlType('bit');
    case TYPE.FLTN:
      return r.u8() === 4 ? parseSqlType('real') : parseSqlType('float');
    case TYPE.MONEYN:
      return r.u8() === 4 ? parseSqlType('smallmoney') : parseSqlType('money');
    case TYPE.DATETIMN:
      return r.u8() === 4 ? parseSqlType('smalldatetime') : parseSqlType('datetime');
    case TYPE.GUID:
      r.u8();
      return parseSqlType('uniqueidentifier');
    case TYPE.DECIMALN:
    case TYPE.NUMERICN: {
      r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return parseSqlType(`${id === TYPE.NUMERICN ? 'numeric' : 'decimal'}(${precision},${scale})`);
    }
    case TYPE.DATEN:
      return parseSqlType('date');
    case TYPE.TIMEN:
      return parseSqlType(`time(${r.u8()})`);
    case TYPE.DATETIME2N:
      return parseSqlType(`datetime2(${r.u8()})`);
    case TYPE.DATETIMEOFFSETN:
      return parseSqlType(`datetimeoffset(${r.u8()})`);
    case TYPE.NVARCHAR:
    case TYPE.NCHAR:
    case TYPE.BIGVARCHAR:
    case TYPE.BIGCHAR: {
      const maxBytes = r.u16le();
      r.skip(5); // collation
      const base = { [TYPE.NVARCHAR]: 'nvarchar', [TYPE.NCHAR]: 'nchar', [TYPE.BIGVARCHAR]: 'varchar', [TYPE.BIGCHAR]: 'char' }[id];
      const unit = id === TYPE.NVARCHAR || id === TYPE.NCHAR ? 2 : 1;
      return parseSqlType(`${base}(${maxBytes === MAX_LENGTH ? 'max' : Math.max(1, maxBytes / unit)})`);
    }
    case TYPE.BIGVARBINARY:
    case TYPE.BIGBINARY: {
      const maxBytes = r.u16le();
      const base = id === TYPE.BIGVARBINARY ? 'varbinary' : 'binary';
      return parseSqlType(`${base}(${maxBytes === MAX_LENGTH ? 'max' : Math.max(1, maxBytes)})`);
    }
    default:
      throw new Error(`test double: cannot decode a parameter of TDS type 0x${id.toString(16)} (add it to tdsTypes.ts)`);
  }
}

/** Reads a parameter value after its TYPE_INFO; decimals come back as exact strings, bigints as bigint. */
export function readValue(r: ByteReader, { type, fixedLength }: ParameterType): TdsCellValue {
  if (type.length === 'max') return readPlp(r, type);
  if (type.kind.endsWith('char') || type.kind.endsWith('binary')) {
    const length = r.u16le();
    if (length === 0xffff) return null;
    return decodeBytes(r.bytes(length), type);
  }
  // Fixed-length types (INT4 and friends) carry no length byte; the nullable ones do.
  const length = fixedLength ? (type.size ?? 0) : r.u8();
  if (length === 0) return null;
  const bytes = r.bytes(length);
  switch (type.kind) {
    case 'int':
      return length === 8 ? bytes.readBigInt64LE() : length === 1 ? bytes.readUInt8() : bytes.readIntLE(0, length);
    case 'bit':
      return bytes.readUInt8() !== 0;
    case 'float':
      return length === 4 ? bytes.readFloatLE() : bytes.readDoubleLE();
    case 'money': {
      const units = length === 4 ? BigInt(bytes.readInt32LE()) : (BigInt(bytes.readInt32LE(0)) << 32n) | BigInt(bytes.readUInt32LE(4));
      return formatScaled(units, 4);
    }
    case 'decimal': {
      let magnitude = 0n;
      for (let i = length - 1; i >= 1; i--) magnitude = (magnitude << 8n) | BigInt(bytes[i] ?? 0);
      return formatScaled(bytes[0] === 1 ? magnitude : -magnitude, type.scale ?? 0);
    }
    case 'uniqueidentifier':
      return bytesToGuid(bytes);
    case 'date':
      return new Date((bytes.readUIntLE(0, 3) - DAYS_FROM_0001_TO_1970) * MS_PER_DAY);
    case 'datetime':
    case 'smalldatetime': {
      if (length === 4) {
        return new Date((bytes.readUInt16LE(0) - DAYS_FROM_1900_TO_1970) * MS_PER_DAY + bytes.readUInt16LE(2) * 60_000);
      }
      const ms = Math.round((bytes.readUInt32LE(4) * 10) / 3);
      return new Date((bytes.readInt32LE(0) - DAYS_FROM_1900_TO_1970) * MS_PER_DAY + ms);
    }
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = type.scale ?? 7;
      const timeBytes = timeLength(scale);
      const ticks = BigInt(bytes.readUIntLE(0, timeBytes)) * 10n ** BigInt(7 - scale);
      if (type.kind === 'time') return formatTime(ticks);
      const days = bytes.readUIntLE(timeBytes, 3) - DAYS_FROM_0001_TO_1970;
      // datetimeoffset's date and time are already UTC; its trailing offset only says how to display it.
      return new Date(days * MS_PER_DAY + Number(ticks / 10_000n));
    }
    default:
      throw new Error(`test double: no decoder for ${type.name}`);
  }
}

function readPlp(r: ByteReader, type: SqlType): TdsCellValue {
  const total = r.u64le();
  if (total === PLP_NULL) return null;
  const chunks: Buffer[] = [];
  for (;;) {
    const length = r.u32le();
    if (length === 0) break;
    chunks.push(r.bytes(length));
  }
  const bytes = Buffer.concat(chunks);
  if (total !== PLP_UNKNOWN_LENGTH && BigInt(bytes.length) !== total) {
    throw new Error(`test double: PLP value declared ${total} bytes but carried ${bytes.length}`);
  }
  return decodeBytes(bytes, type);
}

function decodeBytes(bytes: Buffer, type: SqlType): TdsCellValue {
  if (type.kind === 'nvarchar' || type.kind === 'nchar') return bytes.toString('utf16le');
  // tedious encodes varchar with the collation's code page (1252 here); latin1 matches it for text a test uses.
  if (type.kind === 'varchar' || type.kind === 'char') return bytes.toString('latin1');
  return Buffer.from(bytes);
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = scale ? digits.slice(0, -scale) : digits;
  const fraction = scale ? `.${digits.slice(-scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function formatTime(ticks: bigint): string {
  const totalSeconds = ticks / 10_000_000n;
  const fraction = (ticks % 10_000_000n).toString().padStart(7, '0');
  const pad = (n: bigint) => n.toString().padStart(2, '0');
  return `${pad(totalSeconds / 3600n)}:${pad((totalSeconds / 60n) % 60n)}:${pad(totalSeconds % 60n)}.${fraction}`;
}
