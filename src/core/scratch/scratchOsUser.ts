// PostgreSQL refuses to run as root. When Lifeboat runs as root (servers, containers, CI), scratch clusters
// run as an unprivileged account: LIFEBOAT_SCRATCH_USER, else "postgres" (created by the distributions'
// packages), else "nobody".
import { execFileSync } from 'node:child_process';
import { LifeboatError } from '../lifeboatError';

export interface ScratchUser {
  /** Undefined: run as the current user. */
  uid?: number;
  gid?: number;
  name: string;
}

function lookup(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

export function scratchUser(env: NodeJS.ProcessEnv = process.env): ScratchUser {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { name: 'current user' };
  for (const name of [env.LIFEBOAT_SCRATCH_USER, 'postgres', 'nobody']) {
    if (!name) continue;
    const ids = lookup(name);
    if (ids && ids.uid !== 0) return { ...ids, name };
  }
  throw new LifeboatError('PERMISSION_DENIED', 'Lifeboat runs as root and found no unprivileged account to run a scratch PostgreSQL as.', 'Set LIFEBOAT_SCRATCH_USER to an unprivileged account (PostgreSQL refuses to run as root).');
}
