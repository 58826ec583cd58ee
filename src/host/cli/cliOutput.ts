// How the CLI speaks: tables and sentences for people, one stable JSON document for scripts.
import type { WireError } from '../../shared/errors';
import { EXIT_CODES } from '../../shared/errors';

export interface Output {
  json: boolean;
  /** Prints a result: `human` renders it for people, JSON mode prints the value itself. */
  result(value: unknown, human: () => string): void;
  /** Prints an error and returns the exit code for its class. */
  error(error: WireError): number;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(value, human) {
      stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
    },
    error(error) {
      if (json) stdout.write(JSON.stringify({ error }, null, 2) + '\n');
      stderr.write(`error ${error.code}: ${error.message}\nhint: ${error.hint}\n`);
      return EXIT_CODES[error.code] ?? 1;
    },
  };
}

/** A plain text table: columns padded to their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
