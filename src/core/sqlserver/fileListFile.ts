// The files of a database as RESTORE FILELISTONLY lists them, read from a file a DBA saved: a JSON array
// (SqlDatabaseFile objects or FILELISTONLY rows) or FILELISTONLY output saved as CSV with its header.
import type { SqlDatabaseFile } from '../../shared/sqlServer';
import { LifeboatError } from '../lifeboatError';
import { readCsvRecords } from './csvRecords';

const HINT = 'Save RESTORE FILELISTONLY FROM DISK = N\'...\' as CSV with headers, or give a JSON array of { logicalName, physicalName, type }.';

function pick(row: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined && row[key] !== null && row[key] !== '' && row[key] !== 'NULL') return row[key];
  }
  return undefined;
}

function toFile(row: Record<string, unknown>, where: string): SqlDatabaseFile {
  const logicalName = pick(row, 'logicalName', 'LogicalName');
  const physicalName = pick(row, 'physicalName', 'PhysicalName');
  const type = String(pick(row, 'type', 'Type') ?? '').trim().toUpperCase();
  if (typeof logicalName !== 'string' || !logicalName) throw new LifeboatError('INVALID_INPUT', `${where}: LogicalName is missing.`, HINT);
  if (typeof physicalName !== 'string' || !physicalName) throw new LifeboatError('INVALID_INPUT', `${where}: PhysicalName is missing.`, HINT);
  if (type !== 'D' && type !== 'L' && type !== 'S' && type !== 'F') throw new LifeboatError('INVALID_INPUT', `${where}: Type "${type}" is not D, L, S or F.`, HINT);
  const file: SqlDatabaseFile = { logicalName, physicalName, type, fileGroupName: (pick(row, 'fileGroupName', 'FileGroupName') as string | undefined) ?? null };
  const size = Number(pick(row, 'sizeBytes', 'Size'));
  if (Number.isFinite(size)) file.sizeBytes = size;
  return file;
}

export function parseFileList(text: string): SqlDatabaseFile[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*\[/.test(body)) {
    let rows: unknown;
    try {
      rows = JSON.parse(body);
    } catch (error) {
      throw new LifeboatError('INVALID_INPUT', `The file list is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, HINT);
    }
    if (!Array.isArray(rows)) throw new LifeboatError('INVALID_INPUT', 'The file list must be a JSON array.', HINT);
    return rows.map((r, i) => toFile(r as Record<string, unknown>, `File list item ${i + 1}`));
  }
  const [header, ...records] = readCsvRecords(body).filter((r) => r.fields.join('').trim() !== '' && !/^-+$/.test(r.fields.join('').trim()));
  if (!header) throw new LifeboatError('INVALID_INPUT', 'The file list is empty.', HINT);
  const names = header.fields.map((f) => f.trim());
  return records
    .filter((r) => !/^\(\d+ rows? affected\)$/i.test(r.fields.join('').trim()))
    .map((r) => toFile(Object.fromEntries(names.map((n, i) => [n, r.fields[i]])), `File list line ${r.line}`));
}
