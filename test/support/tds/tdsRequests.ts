// Client requests after login (MS-TDS 2.2.6.7 SQLBatch, 2.2.6.6 RPCRequest): the T-SQL text, or the
// procedure and its parameters. tedious sends every parameterised query (mssql's request.query) as an RPC
// to sp_executesql, whose first two parameters are the statement and the parameter declarations.
import { ByteReader } from './tdsBytes';
import { type TdsCellValue, readTypeInfo, readValue } from './tdsTypes';

export interface TdsParameter {
  /** Without the leading "@"; empty for a positional parameter. */
  name: string;
  /** e.g. "nvarchar(128)", "int", "numeric(25,0)". */
  type: string;
  value: TdsCellValue;
  output: boolean;
}

export interface DecodedRequest {
  kind: 'batch' | 'rpc';
  /** The batch text; for sp_executesql the @statement; for another procedure "EXEC <name>". */
  sql: string;
  /** The procedure an RPC called, e.g. "sp_executesql". */
  procedure?: string;
  /** sp_executesql's @params, e.g. "@db nvarchar(128)". */
  parameterDeclarations?: string;
  parameters: TdsParameter[];
}

/** Well-known procedures an RPC may name by number instead of by name (2.2.6.6 ProcID). */
const PROCEDURE_BY_ID: Record<number, string> = {
  1: 'sp_cursor',
  2: 'sp_cursoropen',
  3: 'sp_cursorprepare',
  4: 'sp_cursorexecute',
  5: 'sp_cursorprepexec',
  6: 'sp_cursorunprepare',
  7: 'sp_cursorfetch',
  8: 'sp_cursoroption',
  9: 'sp_cursorclose',
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
  14: 'sp_prepexecrpc',
  15: 'sp_unprepare',
};

/** ALL_HEADERS (2.2.5.3) precedes batches and RPCs in TDS 7.2+: skip it by its total length. */
function skipAllHeaders(reader: ByteReader): void {
  const total = reader.u32le();
  if (total < 4) throw new Error(`ALL_HEADERS declares ${total} bytes`);
  reader.skip(total - 4);
}

export function decodeSqlBatch(data: Buffer): DecodedRequest {
  const reader = new ByteReader(data, 'SQLBatch');
  skipAllHeaders(reader);
  return { kind: 'batch', sql: reader.bytes(reader.remaining).toString('utf16le'), parameters: [] };
}

export function decodeRpc(data: Buffer): DecodedRequest {
  const reader = new ByteReader(data, 'RPCRequest');
  skipAllHeaders(reader);
  const nameLength = reader.u16le();
  const procedure =
    nameLength === 0xffff
      ? (PROCEDURE_BY_ID[reader.u16le()] ?? 'unknown procedure id')
      : reader.bytes(nameLength * 2).toString('utf16le');
  reader.u16le(); // option flags (WITH RECOMPILE, NO_METADATA): nothing for the double to honour
  const parameters: TdsParameter[] = [];
  while (reader.remaining > 0) {
    const marker = reader.data[reader.offset];
    // 0x80 / 0xFF separate batched RPCs; tedious never batches them, so the double stops at one.
    if (marker === 0x80 || marker === 0xff || marker === 0xfe) break;
    const name = reader.bVarchar().replace(/^@/, '');
    const status = reader.u8();
    const parameterType = readTypeInfo(reader);
    const value = readValue(reader, parameterType);
    parameters.push({ name, type: parameterType.type.name, value, output: (status & 0x01) !== 0 });
  }

  if (procedure.toLowerCase() === 'sp_executesql') {
    const [statement, declarations, ...rest] = parameters;
    if (typeof statement?.value !== 'string') throw new Error('sp_executesql without a statement');
    return {
      kind: 'rpc',
      sql: statement.value,
      procedure,
      parameterDeclarations: typeof declarations?.value === 'string' ? declarations.value : undefined,
      parameters: rest,
    };
  }
  return { kind: 'rpc', sql: `EXEC ${procedure}`, procedure, parameters };
}
