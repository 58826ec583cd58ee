// A restore plan as T-SQL: one RESTORE per step, every one WITH NORECOVERY but the last, which recovers. The
// statements run one by one through the driver; `text` is the same script for a DBA to paste into SSMS.
import type { SqlDatabaseFile, SqlRestorePlan, SqlRestoreStep } from '../../shared/sqlServer';
import { moveTargets } from './moveTargets';
import { markClause } from './planRestoreChain';
import { formatUtcOffset, parseZonedTime, wallTime } from './stopAtTime';
import { quoteName, quoteString } from './tsqlQuote';

export interface RestoreScriptOptions {
  asDatabase: string;
  replace: boolean;
  fileList: SqlDatabaseFile[];
  dataDirectory?: string;
  logDirectory?: string;
  checksum?: boolean;
  stats?: number;
  /**
   * Minutes east of UTC of the server's clock at the target time. STOPAT has no zone: SQL Server reads it in
   * its own local time, so the zoned target is written as the server's wall time. Default 0 (a UTC server).
   */
  serverUtcOffsetMinutes?: number;
}

export interface RestoreScriptStatement {
  sql: string;
  stepIndex: number | null;
  comment: string;
}

export interface RestoreScript {
  statements: RestoreScriptStatement[];
  text: string;
}

const KIND = { D: 'full', I: 'differential', L: 'log' } as const;

function fromDisks(step: SqlRestoreStep): string {
  // Every stripe of a striped set, in family order: RESTORE needs all of them together.
  return step.devices.map((d) => `DISK = ${quoteString(d)}`).join(', ');
}

/** Text for a -- comment: a line break inside a name or path must not turn the rest into live T-SQL. */
function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

export function restoreScript(plan: SqlRestorePlan, options: RestoreScriptOptions): RestoreScript {
  const db = quoteName(options.asDatabase);
  const offset = options.serverUtcOffsetMinutes ?? 0;
  const stopAt = plan.target.kind === 'time' ? wallTime(parseZonedTime(plan.target.time), offset) : null;
  // A log record as the target: the same mark on every log, as with STOPAT (a log that ends before it restores whole).
  const mark = plan.target.kind === 'mark' ? { clause: markClause(plan.target).split(' ')[0]!, value: `lsn:${plan.target.lsn}` } : null;
  const renamed = options.asDatabase.toLowerCase() !== plan.databaseName.toLowerCase();
  const needsMove = renamed || !!options.dataDirectory || !!options.logDirectory;
  const moves = needsMove ? moveTargets(options.fileList, options.asDatabase, options.dataDirectory, options.logDirectory) : [];
  const missingMoves = needsMove && moves.length === 0;

  const statements: RestoreScriptStatement[] = plan.steps.map((step, i) => {
    const last = i === plan.steps.length - 1;
    const opts = [`FILE = ${step.position}`];
    if (i === 0) {
      for (const m of moves) opts.push(`MOVE ${quoteString(m.logicalName)} TO ${quoteString(m.physicalName)}`);
      if (options.replace) opts.push('REPLACE');
    }
    if (options.checksum) opts.push('CHECKSUM');
    // RECOVERY on the last step, not a separate RESTORE ... WITH RECOVERY afterwards: when STOPAT lies beyond
    // the end of the last log, SQL Server then leaves the database RESTORING instead of recovering it silently
    // short of the target.
    opts.push(last ? 'RECOVERY' : 'NORECOVERY');
    // The same STOPAT on every log of the sequence, as Microsoft's point-in-time examples do: logs that end
    // before it restore whole, and none can carry the database past the target.
    if (step.type === 'L' && stopAt) opts.push(`STOPAT = ${quoteString(stopAt)}`);
    if (step.type === 'L' && mark) opts.push(`${mark.clause} = ${quoteString(mark.value)}`);
    opts.push(`STATS = ${options.stats ?? 10}`);
    const verb = step.type === 'L' ? 'RESTORE LOG' : 'RESTORE DATABASE';
    const sql = `${verb} ${db}\n  FROM ${fromDisks(step)}\n  WITH ${opts.join(',\n    ')};`;
    const comment = `restore ${KIND[step.type]} ${step.backupSetId} (${last ? 'RECOVERY' : 'NORECOVERY'}${step.type === 'L' && stopAt ? ', STOPAT' : ''}${step.type === 'L' && mark ? `, ${mark.clause}` : ''})`;
    return { sql, stepIndex: i, comment };
  });

  const header = [
    `-- Lifeboat restore script: ${plan.databaseName} restored as ${options.asDatabase}`,
    plan.target.kind === 'time'
      ? `-- Target: ${plan.target.time}; STOPAT is in the server's local time (UTC${formatUtcOffset(offset)}): ${stopAt}`
      : plan.target.kind === 'mark'
        ? `-- Target: ${plan.target.inclusive ? 'up to and including' : 'just before'} the log record at LSN ${plan.target.lsn} (written ${plan.target.time}): ${mark!.clause}`
        : '-- Target: latest (the end of the last contiguous log backup); no STOPAT',
    `-- ${plan.steps.length} step(s); every step but the last WITH NORECOVERY.${options.replace ? ' WITH REPLACE: overwrites the existing database of that name.' : ''}`,
    ...plan.warnings.map((w) => `-- Warning: ${w}`),
  ];
  if (missingMoves) {
    const first = plan.steps[0];
    header.push(
      '-- MOVE clauses are missing: no file list was given, so the new database would try to reuse the original',
      "-- database's file paths. List the files and add one MOVE per file before running this script:",
      first ? `--   RESTORE FILELISTONLY FROM ${fromDisks(first)} WITH FILE = ${first.position};` : '--   RESTORE FILELISTONLY FROM DISK = N\'...\';',
    );
  }
  const body = statements.map((s, i) => {
    const step = plan.steps[i]!;
    return [commentText(`-- Step ${i + 1} of ${plan.steps.length}: ${s.comment}`), commentText(`-- Why: ${step.why}`), s.sql, 'GO'].join('\n');
  });
  return { statements, text: [header.map(commentText).join('\n'), ...body].join('\n\n') + '\n' };
}
