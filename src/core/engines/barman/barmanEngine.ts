// A service backed up by Barman: its backups from `list-backups` and `show-backup` (-f json), what it reports
// wrong from `check` (-f json), its archive from `list-files --target wal`, WAL through `get-wal`, and Barman's own backup, verify-backup/check-backup,
// delete of what its retention policy marks OBSOLETE, and local `recover`, each run as Barman's account.
// Barman recover copies the WAL recovery needs into the data directory, so the scratch copy needs no relay.
import { basename } from 'node:path';
import type { BarmanCoordinates } from '../../../shared/domain';
import { shellQuote } from '../../shellQuote';
import { engineAccount, runEngineCommand, runEngineRead, type EngineAccount } from '../engineProcess';
import type { EngineRepositoryFacts, EngineRestoreRequest, EngineRetention, EngineTarget, ExistingEngine } from '../existingEngine';
import { historyTimeline, parseHistoryFile, parseLsn, segmentName, segNoOf } from '../../wal/walNames';
import { failedChecks, listedBackups, serversOf, serverSettings, shownBackup, shownWal } from './barmanBackups';
import { BARMAN_MISSING, classifyBarmanError } from './classifyBarmanError';

const PROGRAM = 'barman';
/** How many segments one get-wal --peek may list: Barman stops at the first missing one anyway. */
const PEEK_LIMIT = 1_000_000;

/** WAL names (segments, histories) in a list of paths or names, one a line. */
function walNamesIn(text: string): string[] {
  return text.split('\n').map((p) => basename(p.trim())).filter((n) => /^[0-9A-F]{24}$|^[0-9A-F]{8}\.history$/.test(n));
}

function run(account: EngineAccount, args: string[], o: { signal?: AbortSignal; okCodes?: number[]; onOutputLine?: (line: string) => void; stdoutFile?: string } = {}) {
  return runEngineCommand(PROGRAM, args, { account, signal: o.signal, okCodes: o.okCodes, onOutputLine: o.onOutputLine, stdoutFile: o.stdoutFile, classify: classifyBarmanError, missing: BARMAN_MISSING });
}

/** A listing, shared with whoever asks for the same one while it runs (runEngineRead). */
function read(account: EngineAccount, args: string[], o: { signal?: AbortSignal; okCodes?: number[] } = {}) {
  return runEngineRead(PROGRAM, args, { account, signal: o.signal, okCodes: o.okCodes, classify: classifyBarmanError, missing: BARMAN_MISSING });
}

/** The servers a Barman config knows, for the service wizard. */
export async function detectBarmanServers(o: { config?: string; osUser?: string }, signal?: AbortSignal): Promise<Array<{ name: string; status: string }>> {
  const out = await run(engineAccount(o.osUser), [...(o.config ? ['-c', o.config] : []), '-f', 'json', 'list-servers'], { signal });
  return serversOf(out.stdout);
}

/** Barman recover's target options. */
export function barmanTargetOptions(target: EngineTarget, timeline: number, time = (t: string) => t): string[] {
  const exclusive = 'inclusive' in target && !target.inclusive ? ['--exclusive'] : [];
  const tl = ['--target-tli', String(timeline)];
  const promote = ['--target-action', 'promote'];
  switch (target.kind) {
    case 'time':
      return ['--target-time', time(target.time), ...exclusive, ...tl, ...promote];
    case 'lsn':
      return ['--target-lsn', target.lsn, ...exclusive, ...tl, ...promote];
    case 'xid':
      return ['--target-xid', target.xid, ...exclusive, ...tl, ...promote];
    case 'name':
      return ['--target-name', target.name, ...tl, ...promote];
    case 'immediate':
      return ['--target-immediate', ...promote];
    case 'latest':
      return tl;
  }
}

export function barmanEngine(c: BarmanCoordinates): ExistingEngine {
  const account = engineAccount(c.osUser);
  const base = c.config ? ['-c', c.config] : [];
  const json = (args: string[], signal?: AbortSignal) => read(account, [...base, '-f', 'json', ...args], { signal }).then((r) => r.stdout);
  const listed = async (signal?: AbortSignal) => listedBackups(await json(['list-backups', c.server], signal), c.server);
  const commandLine = (args: string[]) => [PROGRAM, ...base, ...args].map(shellQuote).join(' ');

  return {
    kind: 'barman',
    label: 'Barman',
    place: `server ${c.server}`,
    account,
    recoveryWal: 'copied',

    backups: async (signal) => {
      // A failed or running backup has nothing to restore: only those Barman finished are shown in detail.
      const ids = (await listed(signal)).filter((b) => b.status === 'DONE' || b.status === 'WAITING_FOR_WALS').map((b) => b.id);
      const shown = await Promise.all(ids.map(async (id) => shownBackup(await json(['show-backup', c.server, id], signal), c.server)));
      return shown.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    },

    repositoryFacts: async (signal): Promise<EngineRepositoryFacts> => {
      const s = serverSettings(await json(['show-server', c.server], signal), c.server);
      return { location: `Barman server ${c.server} (${s.backupDirectory})`, encrypted: s.encrypted, compression: s.compression };
    },

    archivedWal: async (signal) => {
      // list-files --target wal lists, per backup, the WAL from its start to the next backup (or the end) and
      // every timeline history, but only on the backup's own timeline: Barman skips segments of later timelines.
      const ids = (await listed(signal)).filter((b) => b.status === 'DONE').map((b) => b.id);
      const lists = await Promise.all(ids.map((id) => read(account, [...base, 'list-files', '--target', 'wal', c.server, id], { signal })));
      const names = new Set(lists.flatMap((l) => walNamesIn(l.stdout)));
      // A timeline after a promotion: from its switch point on, the run of segments get-wal --peek finds (it
      // stops at the first missing segment, which is where the window then ends on that timeline).
      for (const history of [...names].filter((n) => historyTimeline(n) !== undefined)) {
        const tli = historyTimeline(history)!;
        const text = (await run(account, [...base, 'get-wal', c.server, history], { signal, okCodes: [1] })).stdout;
        const switchLsn = parseHistoryFile(tli, text).parents.at(-1)?.switchLsn;
        if (!switchLsn) continue;
        const peeked = await run(account, [...base, 'get-wal', '--peek', String(PEEK_LIMIT), c.server, segmentName(tli, segNoOf(parseLsn(switchLsn)))], { signal, okCodes: [1] });
        for (const n of walNamesIn(peeked.stdout)) names.add(n);
      }
      return [...names].sort();
    },

    storedWal: async (signal) => {
      // show-backup's WAL figures: what Barman keeps from each backup to the next; Barman has no time per file.
      const ids = (await listed(signal)).filter((b) => b.status === 'DONE').map((b) => b.id);
      return Promise.all(ids.map(async (id) => shownWal(await json(['show-backup', c.server, id], signal), c.server)));
    },

    // barman check exits 1 when a check fails: that is its answer, not a failure.
    reportedProblems: async (signal) => failedChecks((await read(account, [...base, '-f', 'json', 'check', c.server], { signal, okCodes: [1] })).stdout, c.server),

    fetchWal: async (name, dest, signal) => (await run(account, [...base, 'get-wal', c.server, name], { signal, okCodes: [1], stdoutFile: dest })).code === 0,

    backup: async (ctx) => {
      ctx.progress({ phase: `Barman: starting a backup of server ${c.server}` });
      let label: string | undefined;
      // --wait: the job ends once the WAL the backup needs is archived, so the backup is usable when it says so.
      await run(account, [...base, 'backup', '--wait', '--wait-timeout', '600', c.server], {
        signal: ctx.signal,
        onOutputLine: (line) => {
          label = /Starting backup .* in \S+\/base\/(\S+)$/.exec(line)?.[1] ?? label;
          if (/Starting backup copy|Copy done|Finalising the backup|Waiting for the WAL file/.test(line)) ctx.progress({ phase: `Barman: ${line.trim()}` });
        },
      });
      return { label, detail: label ? `Barman backup ${label}` : 'Barman backup completed' };
    },

    verify: async (ctx, label) => {
      ctx.progress({ phase: `Barman: verify-backup ${label} (pg_verifybackup)` });
      const verified = await run(account, [...base, 'verify-backup', c.server, label], { signal: ctx.signal }).then(
        (r) => ({ ok: true, words: r.stdout.trim().split('\n').at(-1) ?? 'verified' }),
        (err: Error) => ({ ok: false, words: err.message }),
      );
      ctx.progress({ phase: `Barman: check-backup ${label} (its WAL is archived)` });
      const checked = await run(account, [...base, 'check-backup', c.server, label], { signal: ctx.signal }).then(
        () => ({ ok: true, words: 'every WAL file it needs is archived' }),
        (err: Error) => ({ ok: false, words: err.message }),
      );
      return { ok: verified.ok && checked.ok, detail: `Barman verify-backup: ${verified.words}; check-backup: ${checked.words}`, verified: verified.ok && checked.ok ? [label] : [] };
    },

    retention: async (apply, signal): Promise<EngineRetention> => {
      const [backups, settings] = await Promise.all([listed(signal), json(['show-server', c.server], signal).then((j) => serverSettings(j, c.server))]);
      const obsolete = backups.filter((b) => b.retentionStatus === 'OBSOLETE');
      if (apply) for (const b of obsolete) await run(account, [...base, 'delete', c.server, b.id], { signal });
      return {
        policy: settings.retention,
        keep: backups.filter((b) => b.retentionStatus !== 'OBSOLETE').map((b) => ({ label: b.id, reasons: [`Barman: ${b.retentionStatus === '-' ? 'no retention policy' : b.retentionStatus}`] })),
        remove: obsolete.map((b) => ({ label: b.id, reason: 'Barman: OBSOLETE under its retention policy' })),
      };
    },

    restore: async (ctx, r: EngineRestoreRequest) => {
      ctx.progress({ phase: `Barman: recovering ${r.backupLabel}` });
      const shown = shownTablespaces(await json(['show-backup', c.server, r.backupLabel], ctx.signal), c.server);
      // Each tablespace inside the scratch folder: never where production keeps it.
      const mapping = shown.flatMap((name) => ['--tablespace', `${name}:${r.tablespaceDir}/${name}`]);
      await run(account, [...base, 'recover', ...barmanTargetOptions(r.target, r.timeline), ...mapping, c.server, r.backupLabel, r.dataDir], {
        signal: ctx.signal,
        onOutputLine: (line) => {
          if (/Copying the base backup|Copying required WAL segments|Generating recovery configuration/.test(line)) ctx.progress({ phase: `Barman: ${line.trim()}` });
        },
      });
    },

    wholeClusterSteps: ({ backupLabel, target, timeline, timePlaceholder }) => {
      const user = c.osUser ?? 'barman';
      const recover = commandLine(['recover', '--remote-ssh-command', 'ssh postgres@<database server>', ...barmanTargetOptions(target, timeline, (t) => timePlaceholder ?? t), c.server, backupLabel, '<data directory>']);
      return [
        { title: 'Stop PostgreSQL on the database server', why: 'Barman recovers into the data directory of a stopped server.', commands: ['sudo systemctl stop postgresql   # on the database server'] },
        { title: 'Move the old data directory aside', why: 'Keep it until the restored server is proven; Barman writes into an empty directory.', commands: ['sudo -u postgres mv <data directory> <data directory>.before-restore   # on the database server'] },
        { title: `Recover ${backupLabel} with Barman`, why: 'Barman copies the backup and the WAL it needs over SSH and writes the recovery target; the backup is the one Lifeboat chose (the newest that stopped before the target).', commands: [`sudo -u ${user} ${recover}   # on the Barman server`] },
        { title: 'Start PostgreSQL and let it recover', why: 'PostgreSQL replays the copied WAL, stops at the target and promotes; Barman disabled archive_command in the restored configuration.', commands: ['sudo systemctl start postgresql', 'sudo -u postgres psql -Atc "select pg_is_in_recovery()"   # f once recovery has ended', 'Review archive_command (Barman set it to false), then reload'] },
        { title: 'Take a new backup', why: 'The restored server is on a new timeline.', commands: [`sudo -u ${user} ${commandLine(['backup', c.server])}`] },
      ];
    },
  };
}

/** Tablespace names in `show-backup -f json` (a list of objects or of [name, oid, location]). */
function shownTablespaces(json: string, server: string): string[] {
  const b = JSON.parse(json) as Record<string, { tablespaces?: unknown[] }>;
  return (b[server]?.tablespaces ?? []).map((t) => (Array.isArray(t) ? String(t[0]) : String((t as { name?: string }).name)));
}
