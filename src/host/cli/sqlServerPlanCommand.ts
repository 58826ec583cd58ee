// `lifeboat sqlserver plan --history <file> --database <db> (--at <time> | --latest) --as <new-db>`: a restore
// plan and its T-SQL script from an exported msdb history, without any connection.
import { need } from './cliArgs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseFileList } from '../../core/sqlserver/fileListFile';
import { parseHistoryFile } from '../../core/sqlserver/historyFile';
import { LifeboatError, toWireError } from '../../core/lifeboatError';
import { planRestoreChain } from '../../core/sqlserver/planRestoreChain';
import { restoreScript, type RestoreScript } from '../../core/sqlserver/restoreScript';
import { formatUtcOffset, parseUtcOffset } from '../../core/sqlserver/stopAtTime';
import type { SqlBackupSet, SqlDatabaseFile, SqlRestorePlan, SqlRestoreTarget } from '../../shared/sqlServer';
import type { Output } from './cliOutput';
import { SQLSERVER_PLAN_USAGE } from './commandUsage';

export interface SqlServerPlanResult {
  plan: SqlRestorePlan;
  script: RestoreScript;
  asDatabase: string;
  serverUtcOffsetMinutes: number;
  /** Where the offset came from: the option, or msdb's time_zone of the last set restored. */
  serverUtcOffsetSource: string;
  fileList: SqlDatabaseFile[];
}

async function readInput(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LifeboatError('NOT_FOUND', `The ${what} ${path} does not exist.`, 'Check the path.');
    throw new LifeboatError('INVALID_INPUT', `Cannot read the ${what} ${path}: ${(error as Error).message}`, 'Check the path and its permissions.');
  }
}


/** STOPAT is server-local: the offset msdb recorded for the last set restored is the best default. */
function defaultOffset(history: SqlBackupSet[], plan: SqlRestorePlan): { minutes: number; source: string } {
  const last = plan.steps.at(-1);
  const set = history.find((s) => s.id === last?.backupSetId);
  if (set?.timeZoneOffsetMinutes != null) return { minutes: set.timeZoneOffsetMinutes, source: `msdb time_zone of backup set ${set.id}` };
  return { minutes: 0, source: 'no offset in the history: UTC assumed, pass --server-utc-offset' };
}

export async function planFromFiles(args: string[]): Promise<SqlServerPlanResult> {
  const { values } = parseArgs({
    args,
    options: {
      history: { type: 'string' },
      database: { type: 'string' },
      at: { type: 'string' },
      latest: { type: 'boolean' },
      as: { type: 'string' },
      'file-list': { type: 'string' },
      replace: { type: 'boolean' },
      'server-utc-offset': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const historyPath = need(values.history, '--history <file>', SQLSERVER_PLAN_USAGE);
  const database = need(values.database, '--database <db>', SQLSERVER_PLAN_USAGE);
  const asDatabase = need(values.as, '--as <new-db>', SQLSERVER_PLAN_USAGE);
  if (!!values.at === !!values.latest) {
    throw new LifeboatError('INVALID_INPUT', 'Say where to restore to: --at <time with zone> or --latest (one of them).', 'Example: --at 2026-11-25T14:03:00+01:00');
  }
  const target: SqlRestoreTarget = values.at ? { kind: 'time', time: values.at } : { kind: 'latest' };
  const history = parseHistoryFile(await readInput(historyPath, 'history file'), historyPath.toLowerCase().endsWith('.json') ? 'json' : undefined);
  const fileList = values['file-list'] ? parseFileList(await readInput(values['file-list'], 'file list')) : [];
  const plan = planRestoreChain(history, database, target);
  const offset = values['server-utc-offset'] !== undefined
    ? { minutes: parseUtcOffset(values['server-utc-offset']), source: '--server-utc-offset' }
    : defaultOffset(history, plan);
  const chosen = plan.steps.map((s) => history.find((h) => h.id === s.backupSetId));
  const script = restoreScript(plan, {
    asDatabase,
    replace: !!values.replace,
    fileList,
    // CHECKSUM fails on a set taken without checksums (error 3187): only when every set has them.
    checksum: chosen.every((s) => s?.hasBackupChecksums),
    stats: 10,
    serverUtcOffsetMinutes: offset.minutes,
  });
  return { plan, script, asDatabase, serverUtcOffsetMinutes: offset.minutes, serverUtcOffsetSource: offset.source, fileList };
}

const KIND = { D: 'FULL', I: 'DIFF', L: 'LOG' } as const;

function human(r: SqlServerPlanResult): string {
  const { plan } = r;
  const target = plan.target.kind === 'time' ? plan.target.time : plan.target.kind === 'mark' ? `${plan.target.inclusive ? 'the log record' : 'just before the log record'} at LSN ${plan.target.lsn} (${plan.target.time})` : 'latest (end of the last contiguous log)';
  const lines = [`Restore plan: ${plan.databaseName} as ${r.asDatabase}, to ${target}`, ''];
  for (const [i, s] of plan.steps.entries()) {
    lines.push(`  ${i + 1}. ${KIND[s.type].padEnd(4)} ${s.backupSetId}${s.stopAt ? `  STOPAT ${s.stopAt}` : ''}${s.stopMark ? `  ${s.stopMark}` : ''}`);
    lines.push(`     ${s.devices.join('\n     ')}`);
    lines.push(`     why: ${s.why}`);
  }
  if (plan.stopsBeforeBreak) lines.push('', `STOPS BEFORE A BREAK: first log it cannot apply: ${plan.stopsBeforeBreak.backupSetId} (LSN ${plan.stopsBeforeBreak.firstLsn} to ${plan.stopsBeforeBreak.lastLsn}); missing LSN ${plan.stopsBeforeBreak.missingFromLsn} to ${plan.stopsBeforeBreak.missingToLsn}.`);
  if (plan.skipped.length > 0) lines.push('', 'Skipped:', ...plan.skipped.map((s) => `  ${s.backupSetId}: ${s.why}`));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  - ${w}`));
  lines.push('', 'Recoverable window:', ...plan.window.intervals.map((i) => `  ${i.from} -> ${i.to}  (LSN ${i.fromLsn} -> ${i.toLsn})`));
  for (const g of plan.window.gaps) lines.push(`  gap after ${g.after ?? '?'}${g.before ? ` until ${g.before}` : ''}: LSN ${g.fromLsn} -> ${g.toLsn}${g.reason ? ` (${g.reason})` : ''}`);
  lines.push('', `Server time zone for STOPAT: UTC${formatUtcOffset(r.serverUtcOffsetMinutes)} (${r.serverUtcOffsetSource})`);
  if (r.fileList.length === 0) lines.push('No --file-list: the script has no MOVE clauses (see its header).');
  lines.push('', r.script.text);
  return lines.join('\n');
}

export async function sqlServerPlanCommand(args: string[], out: Output): Promise<number> {
  try {
    const result = await planFromFiles(args);
    out.result(result, () => human(result));
    return 0;
  } catch (error) {
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      return out.error({ code: 'INVALID_INPUT', message: error.message, hint: `Usage:\n${SQLSERVER_PLAN_USAGE}` });
    }
    return out.error(toWireError(error));
  }
}
