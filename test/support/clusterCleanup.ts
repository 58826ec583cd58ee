// Makes sure no test cluster outlives the test process: a registry of running clusters, the synchronous
// stop-and-remove used by exit and signal hooks, and the hooks themselves.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PgBinaries } from './pgBinaries';
import { runProgramSync } from './runProgram';
import type { OsUser } from './unprivilegedUser';

export interface ClusterPlace {
  /** The temporary directory that holds everything of one cluster; removed as a whole. */
  baseDir: string;
  dataDir: string;
  user: OsUser;
  binaries: PgBinaries;
}

const running = new Map<string, ClusterPlace>();

export function registerCluster(place: ClusterPlace): void {
  installHooksOnce();
  running.set(place.baseDir, place);
}

export function unregisterCluster(baseDir: string): void {
  running.delete(baseDir);
}

/** The postmaster's pid from postmaster.pid, if that file exists and names a live process. */
export function livePostmasterPid(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** A zombie counts as gone: it has exited and only waits for its parent (or init) to reap it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (not Linux), or it vanished just now.
    return existsSync('/proc') ? false : true;
  }
}

/** Immediate shutdown (no checkpoint: the directory is about to be deleted), then the directory goes. */
export function stopAndRemoveSync(place: ClusterPlace): void {
  stopPostmasterSync(place);
  rmSync(place.baseDir, { recursive: true, force: true });
  unregisterCluster(place.baseDir);
}

export function stopPostmasterSync(place: ClusterPlace): void {
  const pid = livePostmasterPid(place.dataDir);
  if (pid === undefined) return;
  const stopped = runProgramSync(
    place.binaries.path('pg_ctl'),
    ['stop', '-D', place.dataDir, '-m', 'immediate', '-w', '-t', '30'],
    { user: place.user, cwd: '/' },
  );
  // pg_ctl could not do it (a damaged pid file, a hung postmaster): the backends die with their postmaster.
  if (!stopped && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

let hooksInstalled = false;

function installHooksOnce(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', stopAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      stopAllSync();
      process.removeListener(signal, onSignal);
      // Re-raise so the process ends as it would have, unless someone else (the test runner) also listens
      // and will decide.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function stopAllSync(): void {
  for (const place of [...running.values()]) {
    try {
      stopAndRemoveSync(place);
    } catch {
      // Keep going: the next cluster must be stopped too, and the next run's sweep retries this one.
    }
  }
}
