// The fixture language of the TDS test double: rules that match a statement and the steps of the answer
// (result sets, row counts, INFO and ERROR messages, pauses). Tests and later suites (BACKUP/RESTORE,
// msdb history, HA DMVs) describe SQL Server's behaviour with these, never with bytes.
import type { TdsParameter } from './tdsRequests';
import type { TdsCellValue } from './tdsTypes';

export type { TdsCellValue } from './tdsTypes';
export type { TdsParameter } from './tdsRequests';

/** A result column as T-SQL declares it: { name: 'last_lsn', type: 'numeric(25,0)' }. */
export interface TdsColumn {
  name: string;
  type: string;
}

/** A row: values in column order, or keyed by column name. */
export type TdsRow = readonly TdsCellValue[] | Readonly<Record<string, TdsCellValue>>;

export type TdsStep =
  | { kind: 'resultSet'; columns: readonly TdsColumn[]; rows: readonly TdsRow[] }
  | { kind: 'rowCount'; count: number }
  | {
      kind: 'message';
      severity: 'info' | 'error';
      number: number;
      state: number;
      class: number;
      message: string;
      procName?: string;
      lineNumber?: number;
    }
  | { kind: 'delay'; ms: number };

/** Steps may be nested one level, so `[resultSet(...), statsProgress()]` reads naturally. */
export type TdsSteps = ReadonlyArray<TdsStep | readonly TdsStep[]>;

/** What a rule sees of a request. `params` are keyed by name without "@". */
export interface TdsRequestView {
  connectionId: number;
  kind: 'batch' | 'rpc';
  sql: string;
  procedure?: string;
  parameterDeclarations?: string;
  parameters: readonly TdsParameter[];
  params: Readonly<Record<string, TdsCellValue>>;
  /** The login of the connection, and the database it opened. */
  user: string;
  database: string;
}

export type TdsMatch =
  | RegExp
  | ((sql: string, params: Readonly<Record<string, TdsCellValue>>, request: TdsRequestView) => boolean);

export type TdsRespond =
  | TdsSteps
  | ((sql: string, params: Readonly<Record<string, TdsCellValue>>, request: TdsRequestView) => TdsSteps | Promise<TdsSteps>);

/** The first rule whose `match` accepts a statement answers it. */
export interface TdsRule {
  /** Shown in the request record, so a test can see which fixture answered. */
  name?: string;
  match: TdsMatch;
  respond: TdsRespond;
  /** Answer this many times, then step aside for later rules (e.g. a job that fails once, then succeeds). */
  times?: number;
}

export function resultSet(columns: readonly TdsColumn[] | Readonly<Record<string, string>>, rows: readonly TdsRow[]): TdsStep {
  const list = Array.isArray(columns)
    ? (columns as readonly TdsColumn[])
    : Object.entries(columns as Record<string, string>).map(([name, type]) => ({ name, type }));
  return { kind: 'resultSet', columns: list, rows };
}

/** Rows affected by INSERT/UPDATE/DELETE, as the DONE token's count. */
export function rowCount(count: number): TdsStep {
  return { kind: 'rowCount', count };
}

/** An informational message (INFO token), e.g. PRINT output or BACKUP's progress. Severity 0-10. */
export function info(message: string, options: { number?: number; state?: number; class?: number } = {}): TdsStep {
  return { kind: 'message', severity: 'info', number: options.number ?? 0, state: options.state ?? 1, class: options.class ?? 0, message };
}

/** An error (ERROR token), e.g. sqlError(3201, 'Cannot open backup device ...'). Severity 11 and above. */
export function sqlError(
  number: number,
  message: string,
  options: { state?: number; class?: number; procName?: string; lineNumber?: number } = {},
): TdsStep {
  return {
    kind: 'message',
    severity: 'error',
    number,
    state: options.state ?? 1,
    class: options.class ?? 16,
    message,
    procName: options.procName,
    lineNumber: options.lineNumber,
  };
}

/** A pause: what has been produced so far is sent first, so the client sees it while the server "works". */
export function delay(ms: number): TdsStep {
  return { kind: 'delay', ms };
}

/**
 * What BACKUP/RESTORE ... WITH STATS = n sends while it runs: "10 percent processed." and so on, as
 * message 3211, severity 10, with `intervalMs` between them.
 */
export function statsProgress(options: { every?: number; intervalMs?: number } = {}): TdsStep[] {
  const every = options.every ?? 10;
  const steps: TdsStep[] = [];
  for (let percent = every; percent <= 100; percent += every) {
    if (options.intervalMs) steps.push(delay(options.intervalMs));
    steps.push(info(`${percent} percent processed.`, { number: 3211, class: 10 }));
  }
  return steps;
}
