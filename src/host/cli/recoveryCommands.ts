// CLI commands for continuous WAL, the recoverable window, point-in-time restores, scratch clusters and
// drills. The two commands PostgreSQL itself calls (wal-push, wal-get) are in walArchiveCommands.ts.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { LifeboatError } from '../../core/lifeboatError';
import type { DrillView, RestoreCommandsView, ScratchView, WalStatusView, WindowView } from '../../shared/recovery';
import type { FetchResult } from '../../core/backups/fetchBackup';
import type { Job } from '../../shared/jobs';
import { EXIT_CODES, type ErrorCode } from '../../shared/errors';
import { table, type Output } from './cliOutput';
import { followJobs, formatBytes } from './followJob';
import { call } from './callCore';
import { need, onlyArgument, tablespaceMappingFrom } from './cliArgs';
import { RECOVERY_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';


type TargetFlags = {
  at?: string;
  lsn?: string;
  'restore-point'?: string;
  latest?: boolean;
  exclusive?: boolean;
  immediate?: string;
  'before-xid'?: string;
  'after-xid'?: string;
  'commit-lsn'?: string;
};

function targetFrom(v: TargetFlags): unknown {
  if (v.at) return { kind: 'time', time: v.at, inclusive: !v.exclusive };
  if (v.lsn) return { kind: 'lsn', lsn: v.lsn, inclusive: !v.exclusive };
  if (v['restore-point']) return { kind: 'name', name: v['restore-point'] };
  if (v.latest) return { kind: 'latest' };
  if (v.immediate) return { kind: 'immediate', backupId: v.immediate };
  const xid = v['before-xid'] ?? v['after-xid'];
  if (xid) {
    if (v['before-xid'] && v['after-xid']) throw new LifeboatError('INVALID_INPUT', 'Give --before-xid or --after-xid, not both.', 'lifeboat find <service> lists the transactions and both commands for each.');
    return { kind: 'xid', xid, inclusive: !v['before-xid'], ...(v['commit-lsn'] ? { commitLsn: v['commit-lsn'] } : {}) };
  }
  throw new LifeboatError('INVALID_INPUT', 'Say where to restore to: --at <time with zone>, --lsn, --restore-point, --latest, --immediate <backup-id>, --before-xid or --after-xid.', 'Example: --at 2026-11-25T14:03:00+01:00');
}

const hasTarget = (v: TargetFlags) => Boolean(v.at || v.lsn || v['restore-point'] || v.latest || v.immediate || v['before-xid'] || v['after-xid']);

const TARGET_OPTIONS = {
  at: { type: 'string' },
  lsn: { type: 'string' },
  'restore-point': { type: 'string' },
  latest: { type: 'boolean' },
  exclusive: { type: 'boolean' },
  immediate: { type: 'string' },
  'before-xid': { type: 'string' },
  'after-xid': { type: 'string' },
  'commit-lsn': { type: 'string' },
} as const;

function finishJob(out: Output, job: Job, human: (j: Job) => string): number {
  if (out.json) out.result(job, () => '');
  else process.stdout.write(human(job) + '\n');
  if (job.state === 'succeeded') return 0;
  const error = job.error ?? { code: 'INTERNAL', message: `${job.title} ended ${job.state}`, hint: '' };
  process.stderr.write(`error ${error.code}: ${error.message}\nhint: ${error.hint}\n`);
  return EXIT_CODES[error.code as ErrorCode] ?? 1;
}

function scratchText(s: ScratchView): string {
  return [
    `scratch cluster ${s.id} (${s.running ? 'running' : 'stopped'}), from ${s.backupId}`,
    `target:  ${s.target}`,
    `reached: ${s.reached?.detail ?? '-'}`,
    `connect: psql '${s.connection.uri}'`,
    `remove:  lifeboat scratch remove ${s.id}`,
  ].join('\n');
}

export async function recoveryCommand(core: Core, command: string, args: string[], out: Output): Promise<number> {
  switch (command) {
    case 'wal': {
      const [sub, ...rest] = args;
      if (sub === 'stream') {
        const job = await call<Job>(core, 'wal.start', { serviceId: onlyArgument(rest, 'a service id', RECOVERY_USAGE) });
        process.stderr.write(`Streaming WAL of ${rest[0]} into the repository; Ctrl+C stops.\n`);
        const [done] = await followJobs(core, [job]);
        return done!.state === 'cancelled' ? 0 : finishJob(out, done!, (j) => `${j.title}: ${j.state}`);
      }
      if (sub === 'status') {
        const s = await call<WalStatusView>(core, 'wal.status', { serviceId: onlyArgument(rest, 'a service id', RECOVERY_USAGE) });
        out.result(s, () => [
          `archived segments: ${s.archivedSegments}${s.lastArchived ? ` (last ${s.lastArchived.name} at ${s.lastArchived.at})` : ''}`,
          s.slot ? `slot ${s.slot.name}: ${s.slot.active ? 'active' : 'INACTIVE'}, retains ${formatBytes(s.slot.retainedBytes)} of WAL on the server (${s.slot.walStatus ?? '-'})` : 'no Lifeboat slot on the server',
        ].join('\n'));
        return 0;
      }
      if (sub === 'drop-slot') {
        const { values, positionals } = parseArgs({ args: rest, options: { confirm: { type: 'string' } }, allowPositionals: true });
        const r = await call<{ dropped: string }>(core, 'wal.dropSlot', { serviceId: need(positionals[0], 'a service id', RECOVERY_USAGE), confirm: values.confirm ?? '' });
        out.result(r, () => `Dropped replication slot ${r.dropped}.`);
        return 0;
      }
      throw new LifeboatError('INVALID_INPUT', `Unknown wal command: ${sub ?? '(none)'}`, `Usage:\n${RECOVERY_USAGE}`);
    }

    case 'window': {
      const w = await call<WindowView>(core, 'window.get', { serviceId: onlyArgument(args, 'a service id', RECOVERY_USAGE) });
      out.result(w, () => [
        w.intervals.length ? 'Recoverable (UTC):' : 'Nothing is recoverable yet: take a physical backup while WAL is archived.',
        ...w.intervals.map((i) => `  timeline ${i.timeline}: ${i.from} .. ${i.to}  (WAL to ${i.toLsn}; from ${i.backupIds.join(', ')})`),
        ...(w.gaps.length ? ['Gaps:', ...w.gaps.map((g) => `  timeline ${g.timeline}: missing ${g.firstMissing}..${g.lastMissing} (${g.segments} segments)${g.after ? ` between ${g.after}` : ''}${g.before ? ` and ${g.before}` : ''}`)] : []),
        ...(w.backups.some((b) => !b.usable)
          ? ['Self-contained backups (no archived WAL follows them; restorable to their own end only):', ...w.backups.filter((b) => !b.usable).map((b) => `  ${b.id}, ended ${b.stopTime}: lifeboat pitr ${w.serviceId} --immediate ${b.id}`)]
          : []),
        ...(w.restorePoints.length ? ['Restore points:', ...w.restorePoints.map((p) => `  ${p.name} at ${p.lsn}`)] : []),
        ...(w.engine ? [`Drawn from ${w.engine.label}'s backups and archive (${w.engine.place}).`, ...w.engine.problems.map((p) => `  ${p}`)] : []),
      ].join('\n'));
      return 0;
    }

    case 'pitr': {
      const { values, positionals } = parseArgs({ args, options: TARGET_OPTIONS, allowPositionals: true });
      const job = await call<Job>(core, 'restore.pointInTime', { serviceId: need(positionals[0], 'a service id', RECOVERY_USAGE), target: targetFrom(values) });
      const [done] = await followJobs(core, [job]);
      return finishJob(out, done!, (j) => (j.state === 'succeeded' ? scratchText(j.result as ScratchView) : `${j.title}: ${j.state}`));
    }

    case 'restore-commands': {
      const { values, positionals } = parseArgs({ args, options: { ...TARGET_OPTIONS, 'tablespace-mapping': { type: 'string', multiple: true } }, allowPositionals: true });
      const r = await call<RestoreCommandsView>(core, 'restore.commands', { serviceId: need(positionals[0], 'a service id', RECOVERY_USAGE), target: targetFrom(values), tablespaceMapping: tablespaceMappingFrom(values['tablespace-mapping']) });
      out.result(r, () => [`# Restore ${r.serviceId} to ${r.target} from ${r.backupId}`, ...r.steps.flatMap((s, i) => ['', `# ${i + 1}. ${s.title} — ${s.why}`, ...s.commands])].join('\n'));
      return 0;
    }

    case 'backup-fetch': {
      const { values, positionals } = parseArgs({ args, options: { to: { type: 'string' }, 'tablespace-mapping': { type: 'string', multiple: true }, 'replace-tablespace': { type: 'string', multiple: true } }, allowPositionals: true });
      const backupId = need(positionals[0], 'a backup id', RECOVERY_USAGE);
      const job = await call<Job>(core, 'backups.fetch', {
        backupId,
        to: resolve(need(values.to, '--to <empty directory>', RECOVERY_USAGE)),
        tablespaceMapping: tablespaceMappingFrom(values['tablespace-mapping']),
        replaceTablespaces: values['replace-tablespace']?.map((p) => resolve(p)),
      });
      const [done] = await followJobs(core, [job]);
      return finishJob(out, done!, (j) => {
        const r = j.result as FetchResult | undefined;
        return j.state === 'succeeded' && r
          ? [`Unpacked ${r.backupId} into ${r.to} (every byte checked).`, ...r.tablespaces.map((t) => `  tablespace ${t.name} (${t.oid}) at ${t.location}`)].join('\n')
          : `${j.title}: ${j.state}`;
      });
    }

    case 'scratch': {
      const [sub, ...rest] = args;
      if (sub === 'list' || !sub) {
        const list = await call<ScratchView[]>(core, 'scratch.list', {});
        out.result(list, () => (list.length ? table(['ID', 'SERVICE', 'STATE', 'REACHED', 'CONNECT'], list.map((s) => [s.id, s.serviceId, s.running ? 'running' : 'stopped', s.reached?.time ?? '-', s.connection.uri])) : 'No scratch clusters.'));
        return 0;
      }
      if (sub === 'remove') {
        const r = await call<{ removed: string }>(core, 'scratch.remove', { id: onlyArgument(rest, 'a scratch cluster id', RECOVERY_USAGE) });
        out.result(r, () => `Removed scratch cluster ${r.removed}.`);
        return 0;
      }
      if (sub === 'copy') {
        const { values, positionals } = parseArgs({ args: rest, options: { to: { type: 'string' }, as: { type: 'string' }, replace: { type: 'string' } }, allowPositionals: true });
        const job = await call<Job>(core, 'scratch.copyDatabase', { id: need(positionals[0], 'a scratch cluster id', RECOVERY_USAGE), database: need(positionals[1], 'a database', RECOVERY_USAGE), targetServiceId: need(values.to, '--to <service>', RECOVERY_USAGE), newName: need(values.as, '--as <new name>', RECOVERY_USAGE), confirmReplace: values.replace });
        const [done] = await followJobs(core, [job]);
        return finishJob(out, done!, (j) => `${j.title}: ${j.state}`);
      }
      throw new LifeboatError('INVALID_INPUT', `Unknown scratch command: ${sub}`, `Usage:\n${RECOVERY_USAGE}`);
    }

    case 'drill': {
      const { values, positionals } = parseArgs({ args, options: TARGET_OPTIONS, allowPositionals: true });
      const target = hasTarget(values) ? targetFrom(values) : undefined;
      const job = await call<Job>(core, 'drills.start', { serviceId: need(positionals[0], 'a service id', RECOVERY_USAGE), ...(target ? { target } : {}) });
      const [done] = await followJobs(core, [job]);
      return finishJob(out, done!, (j) => {
        const d = j.result as DrillView | undefined;
        return j.state === 'succeeded' && d ? `Drill passed: RTO ${(d.rtoMs! / 1000).toFixed(1)} s; amcheck ok; ${d.checks.length} check(s) ok; ${d.pointReached ?? ''}` : `${j.title}: ${j.state}`;
      });
    }

    case 'drills': {
      const list = await call<DrillView[]>(core, 'drills.list', { serviceId: onlyArgument(args, 'a service id', RECOVERY_USAGE) });
      out.result(list, () => (list.length ? table(['WHEN', 'RESULT', 'RTO', 'BACKUP', 'DETAIL'], list.map((d) => [d.startedAt, d.ok ? 'passed' : 'FAILED', d.rtoMs ? `${(d.rtoMs / 1000).toFixed(1)} s` : '-', d.backupId ?? '-', d.error?.message ?? d.pointReached ?? ''])) : 'No drills yet.'));
      return 0;
    }
  }
  throw new LifeboatError('INVALID_INPUT', `Unknown command: ${command}`, 'Run "lifeboat help".');
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => recoveryCommand(core, r.command, r.args, r.out));
}
