// Clusters left behind by a test run that crashed or was killed: each cluster directory names its owner
// process, and a directory whose owner is gone is stopped and removed by the next run.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, stopPostmasterSync } from './clusterCleanup';
import { binariesIn, findPgBinaries, type PgBinaries } from './pgBinaries';
import type { OsUser } from './unprivilegedUser';

export const CLUSTER_DIR_PREFIX = 'lifeboat-pg-';
const OWNER_FILE = 'lifeboat-owner.json';
/** A directory without an owner file is only someone else's mkdtemp in progress for a moment. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

interface Owner {
  pid: number;
  /** Start time of the owner in clock ticks since boot, so a recycled pid is not mistaken for the owner. */
  startTicks?: number;
  binDir: string;
  major: number;
}

export function writeOwnerFile(baseDir: string, binaries: PgBinaries): void {
  const owner: Owner = { pid: process.pid, startTicks: processStartTicks(process.pid), binDir: binaries.dir, major: binaries.major };
  writeFileSync(join(baseDir, OWNER_FILE), JSON.stringify(owner));
}

/** Stops and removes every cluster directory whose owner process has gone; returns the directories removed. */
export function sweepLeftoverClusters(root: string = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(CLUSTER_DIR_PREFIX)) continue;
    const baseDir = join(root, name);
    try {
      if (!isLeftover(baseDir)) continue;
      const dataDir = join(baseDir, 'data');
      if (existsSync(dataDir)) {
        const owner = readOwner(baseDir);
        const binaries = owner ? binariesIn(owner.binDir, owner.major) : findPgBinaries();
        stopPostmasterSync({ baseDir, dataDir, user: dataDirOwner(dataDir), binaries });
      }
      rmSync(baseDir, { recursive: true, force: true });
      removed.push(baseDir);
    } catch {
      // Another run sweeping at the same moment, or a directory we may not touch: leave it.
    }
  }
  return removed;
}

function isLeftover(baseDir: string): boolean {
  const owner = readOwner(baseDir);
  if (!owner) return Date.now() - statSync(baseDir).mtimeMs > ORPHAN_AGE_MS;
  if (!isAlive(owner.pid)) return true;
  const ticks = processStartTicks(owner.pid);
  return owner.startTicks !== undefined && ticks !== undefined && ticks !== owner.startTicks;
}

function readOwner(baseDir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(join(baseDir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

/** Who the postmaster ran as: the owner of its data directory (PostgreSQL insists on that). */
function dataDirOwner(dataDir: string): OsUser {
  const { uid, gid } = statSync(dataDir);
  return { name: String(uid), uid, gid, switched: uid !== process.getuid?.() };
}

/** Field 22 of /proc/<pid>/stat; the command name before it may contain spaces, so count after its ')'. */
function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
