// A service backed up by pgBackRest: its stanza's backups and archive from `info --output=json` and `repo-ls
// --output=json`, WAL through `archive-get`, and pgBackRest's own backup, verify, expire and restore
// commands, each run as the repository's owner. Lifeboat never writes pgBackRest's repository or config itself.
import type { PgBackRestCoordinates } from '../../../shared/domain';
import type { JobContext } from '../../jobs/jobRunner';
import { shellQuote } from '../../shellQuote';
import { engineAccount, runEngineCommand, runEngineRead, type EngineAccount } from '../engineProcess';
import type { EngineBackup, EngineRepositoryFacts, EngineRestoreRequest, EngineRetention, EngineTarget, ExistingEngine } from '../existingEngine';
import { classifyPgBackRestError, PGBACKREST_MISSING } from './classifyPgBackRestError';
import { archiveIdsOf, backupsOf, stanzaInfo, stanzaProblems, stanzasOf } from './pgBackRestInfo';
import { expiredLabels } from './pgBackRestExpire';
import { readVerifyReport } from './pgBackRestVerify';
import { archiveFilesInListing, type ListedArchiveFile } from './pgBackRestArchiveListing';

const PROGRAM = 'pgbackrest';

function run(account: EngineAccount, args: string[], o: { signal?: AbortSignal; okCodes?: number[]; onOutputLine?: (line: string) => void } = {}) {
  return runEngineCommand(PROGRAM, args, { account, signal: o.signal, okCodes: o.okCodes, onOutputLine: o.onOutputLine, classify: classifyPgBackRestError, missing: PGBACKREST_MISSING });
}

/** The stanzas a pgBackRest config file knows, for the service wizard. */
export async function detectStanzas(o: { config?: string; osUser?: string }, signal?: AbortSignal): Promise<Array<{ name: string; status: string; backups: number }>> {
  const out = await run(engineAccount(o.osUser), [...(o.config ? [`--config=${o.config}`] : []), 'info', '--output=json'], { signal });
  return stanzasOf(out.stdout);
}

/** pgBackRest's options for a restore to the target (type, target, exclusive, timeline). */
export function targetOptions(target: EngineTarget, timeline: number, time = (t: string) => t): string[] {
  const tl = [`--target-timeline=${timeline}`];
  const promote = '--target-action=promote';
  switch (target.kind) {
    case 'time':
      return ['--type=time', `--target=${time(target.time)}`, ...(target.inclusive ? [] : ['--target-exclusive']), promote, ...tl];
    case 'lsn':
      return ['--type=lsn', `--target=${target.lsn}`, ...(target.inclusive ? [] : ['--target-exclusive']), promote, ...tl];
    case 'xid':
      return ['--type=xid', `--target=${target.xid}`, ...(target.inclusive ? [] : ['--target-exclusive']), promote, ...tl];
    case 'name':
      return ['--type=name', `--target=${target.name}`, promote, ...tl];
    case 'immediate':
      return ['--type=immediate', promote];
    case 'latest':
      return ['--type=default', ...tl];
  }
}

export function pgBackRestEngine(c: PgBackRestCoordinates): ExistingEngine {
  const account = engineAccount(c.osUser);
  const base = [`--stanza=${c.stanza}`, ...(c.config ? [`--config=${c.config}`] : [])];
  const repo = c.repo ? [`--repo=${c.repo}`] : [];
  // info and repo-ls are listings: shared with whoever asks for the same one while it runs (runEngineRead).
  const read = (args: string[], signal?: AbortSignal) => runEngineRead(PROGRAM, args, { account, signal, classify: classifyPgBackRestError, missing: PGBACKREST_MISSING });
  const info = async (signal?: AbortSignal) => stanzaInfo((await read([...base, ...repo, 'info', '--output=json'], signal)).stdout, c.stanza);
  const commandLine = (args: string[]) => [PROGRAM, ...base, ...args].map(shellQuote).join(' ');

  return {
    kind: 'pgbackrest',
    label: 'pgBackRest',
    place: `stanza ${c.stanza}${c.repo ? `, repo${c.repo}` : ''}`,
    account,
    recoveryWal: 'relay',

    backups: async (signal) => backupsOf(await info(signal)),

    repositoryFacts: async (signal): Promise<EngineRepositoryFacts> => {
      const i = await info(signal);
      const cipher = i.repo?.find((r) => !c.repo || r.key === c.repo)?.cipher ?? i.cipher ?? 'none';
      return {
        location: `pgBackRest stanza ${c.stanza}${c.repo ? ` in repo${c.repo}` : ''}${c.config ? ` (config ${c.config})` : ''}`,
        encrypted: cipher !== 'none',
        compression: 'as pgBackRest is configured (compress-type)',
      };
    },

    archivedWal: async (signal) => [...new Set((await archiveFiles(signal)).flatMap((f) => (f.walName ? [f.walName] : [])))].sort(),

    // Every file the archive holds (segments, histories, backup labels) at the size pgBackRest stored it.
    storedWal: async (signal) => (await archiveFiles(signal)).map((f) => ({ bytes: f.bytes, archivedAt: f.archivedAt })),

    reportedProblems: async (signal) => stanzaProblems(await info(signal), c.repo),

    fetchWal: async (name, dest, signal) => (await run(account, [...base, ...repo, 'archive-get', name, dest], { signal, okCodes: [1] })).code === 0,

    backup: async (ctx: JobContext, type) => {
      ctx.progress({ phase: `pgBackRest: starting a ${type ?? 'backup (incr, or full when there is none)'}` });
      let label: string | undefined;
      await run(account, [...base, ...repo, 'backup', ...(type ? [`--type=${type}`] : []), '--log-level-console=detail'], {
        signal: ctx.signal,
        onOutputLine: (line) => {
          const pct = /backup file .*\(([^,]+), (\d+(?:\.\d+)?)%\)/.exec(line);
          if (pct) ctx.progress({ phase: 'pgBackRest: copying files', done: Number(pct[2]), total: 100, unit: 'percent' });
          label = /new backup label = (\S+)/.exec(line)?.[1] ?? label;
          if (/execute (non-)?exclusive backup start|backup start archive/.test(line)) ctx.progress({ phase: 'pgBackRest: backup started on the server' });
        },
      });
      return { label, detail: label ? `pgBackRest backup ${label}` : 'pgBackRest backup completed' };
    },

    verify: async (ctx, label) => {
      ctx.progress({ phase: `pgBackRest: verifying stanza ${c.stanza} (every backup and the archive)` });
      // pgBackRest's verify checks the whole stanza; its report names each backup.
      const out = await run(account, [...base, ...repo, 'verify', '--output=text', '--verbose'], { signal: ctx.signal, okCodes: [104] });
      return readVerifyReport(out.stdout + out.stderr, label);
    },

    retention: async (apply, signal): Promise<EngineRetention> => {
      const [before, policy] = await Promise.all([info(signal), retentionPolicy(signal)]);
      const out = await run(account, [...base, ...repo, 'expire', ...(apply ? [] : ['--dry-run']), '--log-level-console=info'], { signal });
      const removed = expiredLabels(out.stdout + out.stderr);
      const remove = removed.map((r) => ({ label: r.label, reason: `pgBackRest: ${r.rule}` }));
      const keep = before.backup.filter((b) => !removed.some((r) => r.label === b.label)).map((b) => ({ label: b.label, reasons: [`kept by pgBackRest (${policy})`] }));
      return { policy, keep, remove };
    },

    restore: async (ctx, r: EngineRestoreRequest) => {
      ctx.progress({ phase: `pgBackRest: restoring ${r.backupLabel}` });
      await run(account, [...base, ...repo, 'restore', `--pg1-path=${r.dataDir}`, `--set=${r.backupLabel}`, ...targetOptions(r.target, r.timeline), '--archive-mode=off', `--tablespace-map-all=${r.tablespaceDir}`, '--log-level-console=detail'], {
        signal: ctx.signal,
        onOutputLine: (line) => {
          const pct = /restore file .*\(([^,]+), (\d+(?:\.\d+)?)%\)/.exec(line);
          if (pct) ctx.progress({ phase: `pgBackRest: restoring ${r.backupLabel}`, done: Number(pct[2]), total: 100, unit: 'percent' });
        },
      });
    },

    wholeClusterSteps: ({ backupLabel, target, timeline, timePlaceholder }) => {
      const user = c.osUser ?? 'postgres';
      const restore = commandLine([...repo, 'restore', '--delta', `--set=${backupLabel}`, ...targetOptions(target, timeline, (t) => timePlaceholder ?? t)]);
      return [
        { title: 'Stop PostgreSQL on the server', why: 'pgBackRest restores into the data directory of a stopped server.', commands: ['sudo systemctl stop postgresql   # or: pg_ctl stop -D <data directory> -m fast'] },
        { title: `Restore ${backupLabel} with pgBackRest`, why: `--delta rewrites only the files that differ; --set names the backup Lifeboat chose (the newest that stopped before the target), never pgBackRest's "latest".`, commands: [`sudo -u ${user} ${restore}`] },
        { title: 'Start PostgreSQL and let it recover', why: 'PostgreSQL fetches WAL with pgbackrest archive-get, stops at the target and promotes.', commands: ['sudo systemctl start postgresql', `sudo -u ${user} psql -Atc "select pg_is_in_recovery()"   # f once recovery has ended; the server log names the point reached`] },
        { title: 'Take a new full backup', why: 'The restored server is on a new timeline; a fresh full backup starts its recoverable window.', commands: [`sudo -u ${user} ${commandLine([...repo, '--type=full', 'backup'])}`] },
      ];
    },
  };

  /** The stanza's archive as repo-ls lists it, over every archive id (one per database system version). */
  async function archiveFiles(signal?: AbortSignal): Promise<ListedArchiveFile[]> {
    const files: ListedArchiveFile[] = [];
    for (const id of archiveIdsOf(await info(signal))) {
      const out = await read([...base, ...repo, 'repo-ls', `archive/${c.stanza}/${id}`, '--recurse', '--output=json'], signal);
      files.push(...archiveFilesInListing(out.stdout));
    }
    return files;
  }

  /** The retention options pgBackRest reads from its config ("current:" in its help for the option). */
  async function retentionPolicy(signal?: AbortSignal): Promise<string> {
    const options = ['repo-retention-full', 'repo-retention-full-type', 'repo-retention-diff', 'repo-retention-archive'];
    const parts: string[] = [];
    for (const option of options) {
      const out = await run(account, [...base, ...repo, 'help', 'expire', option], { signal }).catch(() => undefined);
      const current = out && /^current: (.+)$/m.exec(out.stdout)?.[1];
      if (current) parts.push(`${option}=${current.trim()}`);
    }
    return parts.join(', ') || 'no retention set in pgBackRest: every backup is kept';
  }
}

export type { EngineBackup };
