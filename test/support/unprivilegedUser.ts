// The operating-system account test clusters run as. PostgreSQL refuses to run as root, and sessions and CI
// run as root, so there we use a dedicated system account; otherwise the current user.
import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  /** True when it is not the user running the tests, so children need spawn's uid/gid options. */
  switched: boolean;
}

export const CLUSTER_ACCOUNT = 'lifeboat-test';

let cached: OsUser | undefined;

export function clusterOsUser(): OsUser {
  cached ??= process.getuid?.() === 0 ? ensureSystemAccount(CLUSTER_ACCOUNT) : currentUser();
  return cached;
}

/** The spawn options that make a child run as the cluster's account. */
export function runAsOptions(user: OsUser): { uid?: number; gid?: number } {
  return user.switched ? { uid: user.uid, gid: user.gid } : {};
}

function currentUser(): OsUser {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, switched: false };
}

/**
 * Creates the account if missing. Two test processes may race: useradd then fails because the name exists
 * (exit 9) or because the other one holds the lock on /etc/passwd (exit 10); both mean "look again".
 */
function ensureSystemAccount(name: string): OsUser {
  let lastError = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const found = lookupAccount(name);
    if (found) return found;
    // A racing useradd may have created the group but not (yet) the user: then join that group.
    const groupExists = spawnSync('getent', ['group', name], { encoding: 'utf8' }).status === 0;
    const groupArgs = groupExists ? ['--gid', name] : ['--user-group'];
    const result = spawnSync(
      'useradd',
      ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', ...groupArgs, name],
      { encoding: 'utf8' },
    );
    if (result.status === 0) continue;
    lastError = `useradd exited with ${result.status ?? result.signal}: ${result.stderr.trim()}`;
    if (result.status !== 9 && result.status !== 10) break;
    backOff(25 * (attempt + 1));
  }
  throw new Error(`Cannot create the system account ${name} for test clusters. ${lastError}`);
}

function lookupAccount(name: string): OsUser | undefined {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid), switched: true };
}

/** A synchronous pause between useradd retries; the lookup runs once per process, before any cluster. */
function backOff(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
