// CSV as SSMS "Save Results As", bcp and sqlcmd -s write it, read by csv-parse: quoted fields with "" inside,
// CRLF, LF or CR, a byte-order mark; each record with the line it starts on, so errors can name it.
import { parse } from 'csv-parse/sync';

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** The likeliest delimiter of a file: the one of , ; tab | that occurs most on its first line. */
export function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let count = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = firstLine.split(d).length - 1;
    if (n > count) [best, count] = [d, n];
  }
  return best;
}

export function readCsvRecords(text: string, delimiter = guessDelimiter(text)): CsvRecord[] {
  // relax_column_count: a short row is reported by the caller with its line; relax_quotes: sqlcmd leaves a quote
  // inside an unquoted value as it is.
  const rows = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  // info.lines is where a record ends: a quoted value with line breaks started that many lines earlier.
  return rows.map(({ record, info }) => ({ line: info.lines - record.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0), fields: record }));
}
