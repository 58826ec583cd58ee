// A backup history exported from msdb with MSDB_HISTORY_QUERY and saved as CSV (SSMS, sqlcmd -s, -W, bcp) or
// JSON (an array of rows, or FOR JSON output), read into SqlBackupSets without any connection.
import type { SqlBackupSet } from '../../shared/sqlServer';
import { LifeboatError } from '../lifeboatError';
import { readCsvRecords } from './csvRecords';
import { MSDB_HISTORY_COLUMNS, REQUIRED_HISTORY_COLUMNS, rowsToBackupSets } from './msdbHistory';

const HINT = 'Export the history with the query in docs/sqlserver-restore-planning.md (CSV with headers, or JSON).';

function badInput(message: string): never {
  throw new LifeboatError('INVALID_INPUT', message, HINT);
}

/** Lines sqlcmd adds around results: the dashes under the header and "(12 rows affected)". */
function isDecoration(fields: string[]): boolean {
  const joined = fields.join('').trim();
  return joined === '' || /^-+$/.test(fields.map((f) => f.trim()).join('')) || /^\(\d+ rows? affected\)$/i.test(joined);
}

/** A first row that names at least three of the query's columns is a header (in any order, any subset). */
const KNOWN_COLUMNS = new Set<string>(MSDB_HISTORY_COLUMNS);
function isHeader(fields: string[]): boolean {
  return fields.filter((f) => KNOWN_COLUMNS.has(f.trim().toLowerCase())).length >= 3;
}

function fromCsv(text: string): SqlBackupSet[] {
  const records = readCsvRecords(text).filter((r) => !isDecoration(r.fields));
  const first = records[0];
  if (!first) badInput('The history file holds no rows.');
  // Read by its header when it has one, whatever its columns' order (an export of only some columns, without
  // backup_set_id, is fine when the planner's columns are there).
  const named = isHeader(first.fields);
  // SSMS saves CSV without headers unless told otherwise: then the columns are the query's, in its order.
  const header = named ? first.fields.map((f) => f.trim().toLowerCase()) : [...MSDB_HISTORY_COLUMNS];
  const body = named ? records.slice(1) : records;
  if (named) {
    const missing = REQUIRED_HISTORY_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) badInput(`Line ${first.line}: the header has no column ${missing.join(', ')}; the planner needs ${missing.length === 1 ? 'it' : 'them'}.`);
  } else if (first.fields.length !== header.length) {
    badInput(`Line ${first.line}: no header row, and ${first.fields.length} columns instead of the ${header.length} MSDB_HISTORY_QUERY returns.`);
  }
  const rows = body.map((r) => {
    if (r.fields.length !== header.length) badInput(`Line ${r.line}: ${r.fields.length} columns where the header has ${header.length} (a value with an unquoted comma?).`);
    return Object.fromEntries(header.map((h, i) => [h, r.fields[i]]));
  });
  return rowsToBackupSets(rows, (i) => `Line ${body[i]!.line}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // SSMS shows FOR JSON output cut into rows of 2033 characters: glued back together it parses.
    try {
      return JSON.parse(text.split(/\r?\n/).join(''));
    } catch {
      const message = first instanceof Error ? first.message : String(first);
      const at = /position (\d+)/.exec(message);
      const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
      badInput(`The history file is not valid JSON${line ? ` (line ${line})` : ''}: ${message}`);
    }
  }
}

function fromJson(text: string): SqlBackupSet[] {
  let value = parseJson(text);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const arrays = Object.values(value).filter(Array.isArray);
    if (arrays.length !== 1) badInput('The JSON history must be an array of rows (or an object holding one).');
    value = arrays[0];
  }
  if (!Array.isArray(value)) badInput('The JSON history must be an array of rows.');
  for (const [i, row] of value.entries()) {
    if (!row || typeof row !== 'object' || Array.isArray(row)) badInput(`JSON item ${i + 1}: expected an object with the query's columns.`);
  }
  return rowsToBackupSets(value as Record<string, unknown>[], (i) => `JSON item ${i + 1}`);
}

export function parseHistoryFile(text: string, format?: 'csv' | 'json'): SqlBackupSet[] {
  const kind = format ?? (/^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv');
  return kind === 'json' ? fromJson(text.replace(/^\uFEFF/, '')) : fromCsv(text);
}
