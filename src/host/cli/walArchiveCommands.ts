// The commands PostgreSQL runs itself: wal-push from archive_command and wal-get from restore_command.
// They open only the fleet file, the service's repository and its key (serviceArchive.ts), never the core.
// Exit codes follow PostgreSQL's contract. wal-push: 0 stored, non-zero not stored (PostgreSQL retries).
// wal-get: 0 restored, 1 not archived (recovery takes that as the end of the archive), 126 for any other
// failure, which PostgreSQL treats as fatal: a damaged or unreachable archive must stop recovery, never
// pass for the end of the archive.
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, truncateSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LifeboatError, toWireError } from '../../core/lifeboatError';
import { pushAsync, runWalPusher } from '../../core/wal/asyncWalPush';
import { openServiceArchive } from '../../core/wal/serviceArchive';
import { archiveWalFile, fetchWalFile, WAL_COMPRESSION } from '../../core/wal/walArchive';
import { getWithPrefetch, runWalPrefetcher } from '../../core/wal/walPrefetch';
import { defaultSpoolDir, spoolPaths, walDirOf, type SpoolPaths } from '../../core/wal/walSpool';
import { need } from './cliArgs';
import { commandFailure } from './cliErrors';
import { splitGlobals } from './cliGlobals';
import { createOutput } from './cliOutput';
import { WAL_ARCHIVE_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';

/** restore_command's "stop recovery" answer (PostgreSQL: an exit status above 125 is fatal). */
const FATAL_FOR_RECOVERY = 126;
/**
 * A background worker exits after this long with nothing to do, and the pusher also once PostgreSQL has not
 * called wal-push --async for this long; the next call starts it again. LIFEBOAT_WAL_WORKER_IDLE_SECONDS
 * changes it (30 by default).
 */
function workerIdleMs(): number {
  const seconds = Number(process.env.LIFEBOAT_WAL_WORKER_IDLE_SECONDS ?? 30);
  return Number.isFinite(seconds) && seconds >= 1 ? seconds * 1000 : 30_000;
}
/** How long wal-push --async waits for its segment before PostgreSQL hears "not yet". */
const ASYNC_ANSWER_TIMEOUT_MS = 60_000;

export async function run(r: CommandRun): Promise<number> {
  return r.command === 'wal-push' ? walPush(r) : walGet(r);
}

/**
 * The whole command line of `lifeboat wal-push|wal-get ...`, for bin/lifeboat.mjs to run this bundle
 * directly: PostgreSQL starts one of these per WAL segment, and the main entry's modules would only cost time.
 */
export async function runArchiveCommand(argv: string[]): Promise<number | undefined> {
  const { config, dataDir, json, rest } = splitGlobals(argv);
  const [command, ...args] = rest;
  // Anything else (another command, a request for help) is the main entry's.
  if ((command !== 'wal-push' && command !== 'wal-get') || args.some((a) => a === '--help' || a === '-h')) return undefined;
  const out = createOutput(json);
  try {
    return await run({ command, args, globals: { config, dataDir }, out, readStdin: async () => '' });
  } catch (err) {
    return out.error(commandFailure(err, command));
  }
}

const positiveInt = (text: string | undefined, fallback: number, flag: string): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new LifeboatError('INVALID_INPUT', `${flag} takes a whole number from 1 to 64, not "${text}".`, `Usage:\n${WAL_ARCHIVE_USAGE}`);
  return n;
};

async function walPush(r: CommandRun): Promise<number> {
  const { values, positionals } = parseArgs({
    args: r.args,
    options: {
      service: { type: 'string' },
      async: { type: 'boolean' },
      spool: { type: 'string' },
      parallel: { type: 'string' },
      // Internal: the background pusher that --async starts.
      'run-pusher': { type: 'boolean' },
      'pg-wal': { type: 'string' },
    },
    allowPositionals: true,
  });
  const serviceId = need(values.service, '--service', WAL_ARCHIVE_USAGE);
  const parallel = positiveInt(values.parallel, 4, '--parallel');
  const openArchive = () => openServiceArchive({ serviceId, configPath: r.globals.config, blocking: true });

  if (values['run-pusher']) {
    const spool = spoolPaths(resolve(need(values.spool, '--spool', WAL_ARCHIVE_USAGE)));
    await runWalPusher({ openArchive, walDir: resolve(need(values['pg-wal'], '--pg-wal', WAL_ARCHIVE_USAGE)), spool, parallel, idleMs: workerIdleMs(), signal: stopSignal(), log: workerLog('pusher') });
    return 0;
  }
  const path = resolve(need(positionals[0], 'the WAL file path (%p)', WAL_ARCHIVE_USAGE));
  if (values.async) {
    const spool = spoolPaths(values.spool ? resolve(values.spool) : defaultSpoolDir(path));
    const worker = ['wal-push', '--run-pusher', '--service', serviceId, '--spool', spool.root, '--pg-wal', walDirOf(path), '--parallel', String(parallel)];
    await pushAsync({ walPath: path, spool, startPusher: () => startWorker(r, worker, spool), timeoutMs: ASYNC_ANSWER_TIMEOUT_MS });
    return 0;
  }
  const archive = await openArchive();
  const entry = await archiveWalFile({ repo: archive.repo, serviceId: archive.serviceId, sourcePath: path, name: basename(path), key: archive.key, compress: WAL_COMPRESSION });
  r.out.result(entry, () => `archived ${entry.name}`);
  return 0;
}

async function walGet(r: CommandRun): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: r.args,
      options: {
        service: { type: 'string' },
        prefetch: { type: 'string' },
        spool: { type: 'string' },
        // Internal: the background prefetcher that --prefetch starts.
        'run-prefetcher': { type: 'boolean' },
        pgdata: { type: 'string' },
      },
      allowPositionals: true,
    });
    const serviceId = need(values.service, '--service', WAL_ARCHIVE_USAGE);
    const openArchive = () => openServiceArchive({ serviceId, configPath: r.globals.config, blocking: true });
    const depth = positiveInt(values.prefetch, 8, '--prefetch');
    const parallel = Math.min(3, depth);

    if (values['run-prefetcher']) {
      const spool = spoolPaths(resolve(need(values.spool, '--spool', WAL_ARCHIVE_USAGE)));
      await runWalPrefetcher({ openArchive, spool, depth, parallel, dataDir: resolve(need(values.pgdata, '--pgdata', WAL_ARCHIVE_USAGE)), idleMs: workerIdleMs(), signal: stopSignal(), log: workerLog('prefetcher') });
      return 0;
    }
    const name = need(positionals[0], 'the WAL file name (%f)', WAL_ARCHIVE_USAGE);
    const dest = resolve(need(positionals[1], 'the destination (%p)', WAL_ARCHIVE_USAGE));
    const archive = await openArchive();
    let found: boolean;
    if (values.prefetch !== undefined) {
      const spool = spoolPaths(values.spool ? resolve(values.spool) : defaultSpoolDir(dest));
      // %p is inside pg_wal, which is inside the data directory (also when pg_wal is a symbolic link).
      const pgdata = dirname(walDirOf(dest));
      const worker = ['wal-get', '--run-prefetcher', '--service', serviceId, '--spool', spool.root, '--pgdata', pgdata, '--prefetch', String(depth)];
      found = await getWithPrefetch({ archive, name, destPath: dest, spool, startPrefetcher: () => startWorker(r, worker, spool), log: (line) => process.stderr.write(`lifeboat wal-get: ${line}\n`) });
    } else found = await fetchWalFile(archive.repo, archive.serviceId, name, dest, archive.key, { inMemory: true, blocking: true });
    // Not archived is an ordinary answer to PostgreSQL (it probes for history files): exit 1, quietly.
    return found ? 0 : 1;
  } catch (err) {
    r.out.error(toWireError(err));
    return FATAL_FOR_RECOVERY;
  }
}

/** SIGTERM/SIGINT stop a worker after the files in flight. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => controller.abort());
  return controller.signal;
}

function workerLog(who: string): (line: string) => void {
  return (line) => process.stderr.write(`${new Date().toISOString()} ${who} ${line}\n`);
}

/**
 * Starts this command again as a detached background worker: its own session (PostgreSQL's signals to the
 * archiver or startup process do not reach it), output to the spool's log, the same environment (the key
 * file) and fleet file.
 */
function startWorker(r: CommandRun, args: string[], spool: SpoolPaths): void {
  // Kept small: cut when a worker starts and the log has grown past a megabyte.
  if ((statSync(spool.log, { throwIfNoEntry: false })?.size ?? 0) > 1 << 20) truncateSync(spool.log, 0);
  const log = openSync(spool.log, 'a', 0o600);
  try {
    const config = r.globals.config ? ['--config', resolve(r.globals.config)] : [];
    spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args, ...config], { detached: true, stdio: ['ignore', log, log] }).unref();
  } finally {
    closeSync(log);
  }
}
