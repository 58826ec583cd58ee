// CLI commands for SQL Server: `lifeboat sqlserver <subcommand>`. Backups, restores, verification and drills
// run as jobs on the server (progress on stderr, Ctrl+C cancels); `plan --history` works without a connection.
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { dispatchCall } from '../../core/doorDispatch';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { WireError } from '../../shared/errors';
import type { DrillView } from '../../shared/recovery';
import type { SqlBackupSet } from '../../shared/sqlServer';
import type { SqlBackupResult, SqlPlanView, SqlRestoreResult } from '../../shared/sqlServerViews';
import { table, type Output } from './cliOutput';
import { finishJob } from './followJob';
import { sqlServerPlanCommand } from './sqlServerPlanCommand';
import { SQLSERVER_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';

class CallFailed extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const outcome = await dispatchCall(core, method, input);
  if (!outcome.ok) throw new CallFailed(outcome.error);
  return outcome.value as MethodOutput<M>;
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new CallFailed({ code: 'INVALID_INPUT', message: `Missing ${what}.`, hint: SQLSERVER_USAGE });
  return value;
}

const TARGET_OPTIONS = {
  at: { type: 'string' },
  latest: { type: 'boolean' },
  'stop-before-mark': { type: 'string' },
  'stop-at-mark': { type: 'string' },
  as: { type: 'string' },
  database: { type: 'string' },
  replace: { type: 'string' },
} as const;

function target(values: { at?: string; latest?: boolean; 'stop-before-mark'?: string; 'stop-at-mark'?: string }): MethodInput<'sqlserver.plan'>['target'] {
  if (values.at && values.latest) throw new CallFailed({ code: 'INVALID_INPUT', message: 'Give either --at or --latest, not both.', hint: SQLSERVER_USAGE });
  const mark = values['stop-before-mark'] ?? values['stop-at-mark'];
  if (mark) {
    // lifeboat find prints both: 'lsn:<decimal LSN>' and --at, the time the record was written (it picks the chain).
    const lsn = /^(?:lsn:)?(\d{1,25})$/.exec(mark)?.[1];
    if (!lsn || !values.at || (values['stop-before-mark'] && values['stop-at-mark']))
      throw new CallFailed({ code: 'INVALID_INPUT', message: 'A mark is --stop-before-mark (or --stop-at-mark) lsn:<decimal LSN>, with --at <the time it was written, with its zone>.', hint: 'lifeboat find <service> prints both for each finding.' });
    return { kind: 'mark', lsn, inclusive: Boolean(values['stop-at-mark']), time: values.at };
  }
  if (values.at) return { kind: 'time', time: values.at };
  if (values.latest) return { kind: 'latest' };
  throw new CallFailed({ code: 'INVALID_INPUT', message: 'Missing the target: --at <time with zone> or --latest.', hint: 'e.g. --at 2026-11-25T14:03:00+01:00' });
}

export function historyTable(sets: SqlBackupSet[]): string {
  const kind = { D: 'FULL', I: 'DIFF', L: 'LOG', F: 'FILE', G: 'FILE DIFF', P: 'PARTIAL', Q: 'PARTIAL DIFF' } as const;
  return table(
    ['database', 'type', 'finished (UTC)', 'first LSN', 'last LSN', 'flags', 'device'],
    sets.map((s) => [
      s.databaseName,
      kind[s.type],
      s.backupFinishDate,
      s.firstLsn,
      s.lastLsn,
      [s.isCopyOnly && 'copy-only', s.isDamaged && 'DAMAGED', !s.hasBackupChecksums && 'no-checksum'].filter(Boolean).join(',') || '-',
      s.devices.join(', '),
    ]),
  );
}

export function planText(view: SqlPlanView): string {
  const lines = [`Restore ${view.databaseName} as ${view.asDatabase}${view.replaces ? ` (REPLACES the existing ${view.asDatabase})` : ''}:`];
  for (const [i, step] of view.plan.steps.entries()) lines.push(`  ${i + 1}. ${step.why}`);
  const cut = view.plan.stopsBeforeBreak;
  if (cut) lines.push(`  STOPS BEFORE A BREAK: first log it cannot apply: ${cut.backupSetId} (LSN ${cut.firstLsn} to ${cut.lastLsn}); missing LSN ${cut.missingFromLsn} to ${cut.missingToLsn}.`);
  for (const s of view.plan.skipped) lines.push(`  skipped ${s.backupSetId}: ${s.why}`);
  for (const w of view.plan.warnings) lines.push(`  warning: ${w}`);
  lines.push('', view.script.text);
  return lines.join('\n');
}

export async function sqlServerCommand(core: Core, args: string[], out: Output): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'backup': {
        const { values, positionals } = parseArgs({ args: rest, options: { kind: { type: 'string' }, 'copy-only': { type: 'boolean' }, database: { type: 'string' } }, allowPositionals: true });
        const kind = need(values.kind, 'the backup kind (--kind full|diff|log)');
        if (kind !== 'full' && kind !== 'diff' && kind !== 'log') throw new CallFailed({ code: 'INVALID_INPUT', message: `--kind must be full, diff or log, not ${kind}.`, hint: SQLSERVER_USAGE });
        const job = await call(core, 'sqlserver.backup', { serviceId: need(positionals[0], 'a service id'), kind, copyOnly: !!values['copy-only'], database: values.database });
        return await finishJob(core, out, job, (j) => {
          const r = j.result as SqlBackupResult;
          return [`${r.kind.toUpperCase()} backup of ${r.database} written by SQL Server to ${r.device} (on the server)`, ...(r.compressionNote ? [`note: ${r.compressionNote}`] : []), ...r.messages].join('\n');
        });
      }
      case 'history': {
        const { values, positionals } = parseArgs({ args: rest, options: { database: { type: 'string' }, folder: { type: 'string' } }, allowPositionals: true });
        const view = await call(core, 'sqlserver.history', { serviceId: need(positionals[0], 'a service id'), database: values.database, folder: values.folder });
        out.result(view, () => [historyTable(view.sets), ...view.warnings.map((w) => `warning: ${w}`)].join('\n'));
        return 0;
      }
      case 'commandlog': {
        const { values, positionals } = parseArgs({ args: rest, options: { database: { type: 'string' }, 'log-database': { type: 'string' }, limit: { type: 'string' } }, allowPositionals: true });
        const view = await call(core, 'sqlserver.commandLog', { serviceId: need(positionals[0], 'a service id'), database: values.database, ...(values['log-database'] ? { logDatabase: values['log-database'] } : {}), ...(values.limit ? { limit: Number(values.limit) } : {}) });
        out.result(view, () =>
          view.entries.length
            ? table(
                ['started (UTC)', 'database', 'kind', 'duration', 'outcome', 'file'],
                view.entries.map((e) => [e.startedAt, e.databaseName, e.kind.toUpperCase(), e.durationMs === undefined ? '-' : `${(e.durationMs / 1000).toFixed(1)} s`, e.state === 'failed' ? `FAILED ${e.errorNumber}: ${e.errorMessage ?? ''}` : e.state, e.files.join(', ') || '-']),
              )
            : `No backups in ${view.source}.`,
        );
        return 0;
      }
      case 'window': {
        const { values, positionals } = parseArgs({ args: rest, options: { database: { type: 'string' } }, allowPositionals: true });
        const view = await call(core, 'sqlserver.window', { serviceId: need(positionals[0], 'a service id'), database: values.database });
        out.result(view, () =>
          [
            `Recoverable window of ${view.databaseName}:`,
            ...view.window.intervals.map((i) => `  ${i.from} .. ${i.to}  (LSN ${i.fromLsn} .. ${i.toLsn})`),
            ...view.window.gaps.map((g) => `  GAP: log LSN ${g.fromLsn} .. ${g.toLsn} missing${g.after ? ` after ${g.after}` : ''}${g.before ? `, restorable again from ${g.before}` : ''}`),
          ].join('\n'),
        );
        return 0;
      }
      case 'plan': {
        if (rest.some((a) => a === '--history' || a.startsWith('--history='))) return await sqlServerPlanCommand(rest, out);
        const { values, positionals } = parseArgs({ args: rest, options: TARGET_OPTIONS, allowPositionals: true });
        const view = await call(core, 'sqlserver.plan', { serviceId: need(positionals[0], 'a service id'), database: values.database, target: target(values), asDatabase: need(values.as, 'the new database name (--as)') });
        out.result(view, () => planText(view));
        return 0;
      }
      case 'restore': {
        const { values, positionals } = parseArgs({ args: rest, options: TARGET_OPTIONS, allowPositionals: true });
        const job = await call(core, 'sqlserver.restore', {
          serviceId: need(positionals[0], 'a service id'),
          database: values.database,
          target: target(values),
          asDatabase: need(values.as, 'the database name to restore as (--as)'),
          confirmReplace: values.replace,
        });
        return await finishJob(core, out, job, (j) => {
          const r = j.result as SqlRestoreResult;
          return `Restored ${r.databaseName} as ${r.asDatabase}${r.replaced ? ' (replaced)' : ''}: ${r.steps} statements, target ${r.target}; the database is ONLINE.`;
        });
      }
      case 'verify': {
        const { values, positionals } = parseArgs({ args: rest, options: { database: { type: 'string' } }, allowPositionals: true });
        const job = await call(core, 'sqlserver.verify', { serviceId: need(positionals[0], 'a service id'), database: values.database });
        return await finishJob(core, out, job, (j) => {
          const r = j.result as { verified: Array<{ devices: string[] }> };
          return ['The backup set is complete and readable (RESTORE VERIFYONLY WITH CHECKSUM):', ...r.verified.map((v) => `  ok ${v.devices.join(', ')}`)].join('\n');
        });
      }
      case 'drill': {
        const { values, positionals } = parseArgs({ args: rest, options: { database: { type: 'string' } }, allowPositionals: true });
        const job = await call(core, 'sqlserver.drill', { serviceId: need(positionals[0], 'a service id'), database: values.database });
        return await finishJob(core, out, job, (j) => drillText(j.result as DrillView));
      }
      case 'verifications': {
        const records = await call(core, 'sqlserver.verifications', { serviceId: need(rest[0], 'a service id') });
        out.result(records, () =>
          table(['finished', 'database', 'ok', 'sets', 'error'], records.map((r) => [r.finishedAt, r.database, r.ok ? 'yes' : 'NO', r.sets.map((s) => `${s.ok ? '' : '!'}${s.backupSetId}`).join(' '), r.error?.message ?? ''])),
        );
        return 0;
      }
      case 'drills': {
        const drills = await call(core, 'sqlserver.drills', { serviceId: need(rest[0], 'a service id') });
        out.result(drills, () => table(['started', 'ok', 'RTO', 'backup', 'error'], drills.map((d) => [d.startedAt, d.ok ? 'yes' : 'NO', d.rtoMs !== undefined ? `${(d.rtoMs / 1000).toFixed(1)} s` : '-', d.backupId ?? '-', d.error?.message ?? ''])));
        return 0;
      }
      default:
        return out.error({ code: 'INVALID_INPUT', message: `Unknown sqlserver command: ${sub ?? '(none)'}`, hint: SQLSERVER_USAGE });
    }
  } catch (error) {
    if (error instanceof CallFailed) return out.error(error.wire);
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return out.error({ code: 'INVALID_INPUT', message: error.message, hint: SQLSERVER_USAGE });
    throw error;
  }
}

function drillText(d: DrillView): string {
  return [`Drill ${d.ok ? 'passed' : 'FAILED'}: RTO ${d.rtoMs !== undefined ? `${(d.rtoMs / 1000).toFixed(1)} s` : 'not reached'}, point reached ${d.pointReached ?? '-'}`, ...d.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.error ? `: ${c.error}` : ''}`)].join('\n');
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => sqlServerCommand(core, r.args, r.out));
}
