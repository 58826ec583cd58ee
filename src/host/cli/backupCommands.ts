// CLI commands for the backup repository and PostgreSQL backups: repo, backup, backups, verify, restore,
// retention, jobs. Long work runs as a job: progress on stderr, Ctrl+C cancels, the exit code says how it ended.
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { LifeboatError } from '../../core/lifeboatError';
import type { BackupCopyOutcome, BackupView, RepositoryView, RetentionPlanView } from '../../shared/backups';
import { EXIT_CODES, type ErrorCode } from '../../shared/errors';
import type { Job } from '../../shared/jobs';
import { table, type Output } from './cliOutput';
import { followJobs, formatBytes } from './followJob';
import { call } from './callCore';
import { need, onlyArgument } from './cliArgs';
import { BACKUP_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';
import { REPOSITORY_CREDENTIAL_FLAGS, repositoryCredentialsFrom } from './repositoryCredentialOptions';

function repoText(r: RepositoryView | null): string {
  if (!r) return 'No backup repository is configured. Create one: lifeboat repo init <path>';
  return [
    `repository: ${r.path} (${r.storage === 'folder' ? 'folder' : r.storage === 's3' ? 'S3' : 'Azure Blob'})`,
    `format:     ${r.format} (created ${r.createdAt})`,
    `encryption: ${r.encrypted ? `AES-256-GCM, key fingerprint ${r.keyFingerprint}` : 'none'}`,
    ...(r.encrypted ? [`key:        ${r.keyAvailable ? 'in this computer\'s keychain' : 'NOT in this keychain: lifeboat repo key import'}`] : []),
    ...(r.createdForCopies?.length ? [`for copies: ${r.createdForCopies.join(', ')} (name them in a service's policy.repositories)`] : []),
  ].join('\n');
}

/** Prints the jobs' outcomes and returns the exit code of the worst one. */
function finish(out: Output, jobs: Job[], human: (j: Job) => string): number {
  const failed = jobs.find((j) => j.state !== 'succeeded');
  if (out.json) out.result(jobs.length === 1 ? jobs[0] : jobs, () => '');
  else for (const j of jobs) process.stdout.write(human(j) + '\n');
  if (!failed) return 0;
  const error = failed.error ?? { code: 'INTERNAL', message: `${failed.title} ended ${failed.state}`, hint: '' };
  process.stderr.write(`error ${error.code}: ${error.message}\nhint: ${error.hint}\n`);
  return EXIT_CODES[error.code as ErrorCode] ?? 1;
}

export async function backupCommand(core: Core, command: string, args: string[], out: Output, stdin: () => Promise<string>): Promise<number> {
  switch (command) {
    case 'repo': {
      const [sub, ...rest] = args;
      if (sub === 'init') {
        const { values, positionals } = parseArgs({ args: rest, options: { 'no-encryption': { type: 'boolean' }, 'same-key-as': { type: 'string' }, 'not-default': { type: 'boolean' }, ...REPOSITORY_CREDENTIAL_FLAGS }, allowPositionals: true });
        const path = need(positionals[0], 'a folder path or an s3:// or azure:// location', BACKUP_USAGE);
        const credentials = await repositoryCredentialsFrom(path, values, stdin);
        const view = await call<RepositoryView>(core, 'repo.init', { path, encrypt: !values['no-encryption'], makeDefault: !values['not-default'], ...(values['same-key-as'] ? { sameKeyAs: values['same-key-as'] } : {}), ...(credentials ? { credentials } : {}) });
        out.result(view, () => `${repoText(view)}\n\nThe key is in this computer's keychain only. Export it now and keep it in your team's vault:\n  lifeboat repo key export`);
        return 0;
      }
      if (sub === 'use') {
        const { values, positionals } = parseArgs({ args: rest, options: REPOSITORY_CREDENTIAL_FLAGS, allowPositionals: true });
        const path = onlyArgument(positionals, 'a folder path or an s3:// or azure:// location', BACKUP_USAGE);
        const credentials = await repositoryCredentialsFrom(path, values, stdin);
        const view = await call<RepositoryView>(core, 'repo.use', { path, ...(credentials ? { credentials } : {}) });
        out.result(view, () => repoText(view));
        return 0;
      }
      if (sub === 'info') {
        const view = await call<RepositoryView | null>(core, 'repo.info', {});
        out.result(view, () => repoText(view));
        return 0;
      }
      if (sub === 'key' && rest[0] === 'export') {
        const exported = await core.exportRepositoryKey();
        out.result(exported, () => `# Lifeboat repository key, fingerprint ${exported.fingerprint}\n${exported.key}`);
        return 0;
      }
      if (sub === 'key' && rest[0] === 'import') {
        const view = await call<RepositoryView>(core, 'repo.importKey', { key: (await stdin()).split('\n').filter((l) => l && !l.startsWith('#'))[0] ?? '' });
        out.result(view, () => repoText(view));
        return 0;
      }
      throw new LifeboatError('INVALID_INPUT', `Unknown repo command: ${args.join(' ') || '(none)'}`, `Usage:\n${BACKUP_USAGE}`);
    }

    case 'backup': {
      if (args[0] === 'copy') {
        const job = (await followJobs(core, [await call<Job>(core, 'backups.copy', { backupId: onlyArgument(args.slice(1), 'a backup id', BACKUP_USAGE) })]))[0]!;
        return finish(out, [job], (j) => {
          const r = j.result as { backupId: string; copies: BackupCopyOutcome[] };
          return r.copies.length ? r.copies.map((c) => (c.ok ? `${r.backupId}: copied to ${c.to}, read back intact` : `${r.backupId}: NOT copied to ${c.to}: ${c.error?.code} ${c.error?.message}`)).join('\n') : `${r.backupId}: every repository holds it already`;
        });
      }
      const { values, positionals } = parseArgs({
        args,
        options: { kind: { type: 'string' }, type: { type: 'string' }, compression: { type: 'string' }, 'spread-checkpoint': { type: 'boolean' }, 'max-rate': { type: 'string' } },
        allowPositionals: true,
      });
      if (!positionals.length) throw new LifeboatError('INVALID_INPUT', 'Name at least one service.', 'lifeboat backup orders --kind physical');
      const jobs = await call<Job[]>(core, 'backups.start', {
        serviceIds: positionals,
        kind: values.kind ?? 'physical',
        compression: values.compression ?? 'zstd',
        checkpoint: values['spread-checkpoint'] ? 'spread' : 'fast',
        ...(values['max-rate'] ? { maxRate: values['max-rate'] } : {}),
        ...(values.type ? { type: values.type } : {}),
      });
      const done = await followJobs(core, jobs);
      return finish(out, done, (j) => {
        if (j.state !== 'succeeded') return `${j.title}: ${j.state}`;
        const r = j.result as { backupId?: string; storedBytes?: number; detail?: string; copies?: BackupCopyOutcome[] };
        // A pgBackRest or Barman backup: the engine says what it stored (backups <service> lists it).
        const line = r.storedBytes === undefined ? `${j.title}: done, backup ${r.backupId ?? r.detail}` : `${j.title}: done, backup ${r.backupId} (${formatBytes(r.storedBytes)} stored)`;
        const copies = (r.copies ?? []).map((c) => (c.ok ? `  copied to ${c.to}, read back intact` : `  NOT copied to ${c.to}: ${c.error?.code} ${c.error?.message}\n  hint: ${c.error?.hint}`));
        return [line, ...copies].join('\n');
      });
    }

    case 'backups': {
      const views = await call<BackupView[]>(core, 'backups.list', { serviceId: onlyArgument(args, 'a service id', BACKUP_USAGE) });
      out.result(views, () => views.length
        ? table(['ID', 'KIND', 'FINISHED (UTC)', 'STORED', 'RATIO', 'DURATION', 'VERIFIED'], views.map((b) => [
            b.id,
            b.engine ? `${b.engine.name} ${b.engine.type}${b.engine.references.length ? ` on ${b.engine.references.at(-1)}` : ''}` : b.kind,
            b.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
            formatBytes(b.storedBytes),
            b.storedBytes ? `${(b.sourceBytes / b.storedBytes).toFixed(1)}x` : '-',
            `${(b.durationMs / 1000).toFixed(1)} s`,
            b.lastVerification ? `${b.lastVerification.ok ? 'ok' : 'FAILED'} ${b.lastVerification.at.slice(0, 16).replace('T', ' ')}` : 'never',
          ]))
        : `No backups of ${args[0]} yet. Take one: lifeboat backup ${args[0]} --kind physical`);
      return 0;
    }

    case 'verify': {
      const job = await call<Job>(core, 'backups.verify', { backupId: onlyArgument(args, 'a backup id', BACKUP_USAGE) });
      const [done] = await followJobs(core, [job]);
      return finish(out, [done!], (j) => `${j.title}: ${j.state === 'succeeded' ? `ok — ${(j.result as { detail: string }).detail}` : j.state}`);
    }

    case 'restore': {
      const { values, positionals } = parseArgs({
        args,
        options: { as: { type: 'string' }, to: { type: 'string' }, replace: { type: 'string' }, 'with-globals': { type: 'boolean' } },
        allowPositionals: true,
      });
      const job = await call<Job>(core, 'backups.restore', {
        backupId: need(positionals[0], 'a backup id', BACKUP_USAGE),
        database: need(values.as, 'the new database name (--as)', BACKUP_USAGE),
        targetServiceId: values.to,
        confirmReplace: values.replace,
        withGlobals: values['with-globals'] ?? false,
      });
      const [done] = await followJobs(core, [job]);
      return finish(out, [done!], (j) => {
        const r = j.result as { database: string; target: string; tables: number; replaced: boolean } | undefined;
        return j.state === 'succeeded' && r ? `Restored into database "${r.database}" on ${r.target}${r.replaced ? ' (replaced)' : ''}: ${r.tables} tables.` : `${j.title}: ${j.state}`;
      });
    }

    case 'retention': {
      const { values, positionals } = parseArgs({ args, options: { apply: { type: 'boolean' } }, allowPositionals: true });
      const plan = await call<RetentionPlanView>(core, values.apply ? 'retention.apply' : 'retention.plan', { serviceId: need(positionals[0], 'a service id', BACKUP_USAGE) });
      out.result(plan, () => [
        ...(plan.enginePolicy ? [`Retention as ${plan.enginePolicy}`] : []),
        `${values.apply ? 'Removed' : 'Would remove'} ${plan.remove.length} backup(s) of ${plan.serviceId}${values.apply ? '' : ' (dry run; --apply to remove)'}:`,
        ...plan.remove.map((r) => `  - ${r.id}: ${r.reason}`),
        `Keeping ${plan.keep.length}:`,
        ...plan.keep.map((k) => `  + ${k.id}: ${k.reasons.join(', ')}`),
      ].join('\n'));
      return 0;
    }

    case 'jobs': {
      const jobs = await call<Job[]>(core, 'jobs.list', {});
      out.result(jobs, () => jobs.length
        ? table(['ID', 'KIND', 'SERVICE', 'STATE', 'CREATED', 'ERROR'], jobs.map((j) => [j.id.slice(0, 8), j.kind, j.serviceId ?? '-', j.state, j.createdAt.slice(0, 19).replace('T', ' '), j.error ? `${j.error.code}: ${j.error.message}` : '']))
        : 'No jobs yet.');
      return 0;
    }
  }
  throw new LifeboatError('INVALID_INPUT', `Unknown command: ${command}`, 'Run "lifeboat help" for the commands.');
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => backupCommand(core, r.command, r.args, r.out, r.readStdin));
}
