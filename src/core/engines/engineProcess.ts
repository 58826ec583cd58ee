// Runs a backup engine's command (pgbackrest, barman) as the account that owns the engine's repository, with
// its output kept for the engine's own words, progress read line by line, and the whole process group ended
// when the job is cancelled: pgBackRest and Barman start workers and pg_basebackup of their own.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { LifeboatError } from '../lifeboatError';

/** Who runs an engine's commands: Lifeboat's own account, another one by uid (Lifeboat runs as root), or
 * another one through `sudo -n -u` (Lifeboat runs as a user with a sudo rule for it). */
export interface EngineAccount {
  name: string;
  uid?: number;
  gid?: number;
  home?: string;
  sudo?: boolean;
}

export function engineAccount(osUser: string | undefined): EngineAccount {
  const me = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (!osUser || me === undefined) return { name: osUser ?? 'current user' };
  let entry: string[];
  try {
    entry = execFileSync('getent', ['passwd', osUser], { encoding: 'utf8' }).trim().split(':');
  } catch {
    throw new LifeboatError('NOT_FOUND', `There is no account "${osUser}" on this computer to run the backup engine as.`, `Check the service's osUser (the owner of the engine's repository): getent passwd ${osUser}.`);
  }
  const uid = Number(entry[2]);
  if (uid === me) return { name: osUser };
  if (me === 0) return { name: osUser, uid, gid: Number(entry[3]), home: entry[5] };
  return { name: osUser, sudo: true };
}

/** A private folder both Lifeboat and the engine's account can write (WAL the engine hands over lands there). */
export async function engineWritableDir(account: EngineAccount): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-engine-'));
  if (account.uid !== undefined) chownSync(dir, account.uid, account.gid!);
  // Through sudo Lifeboat cannot give the folder away: the other account may write into it, not list it.
  else if (account.sudo) chmodSync(dir, 0o733);
  return dir;
}

export interface EngineCommandOptions {
  account: EngineAccount;
  signal?: AbortSignal;
  /** Exit codes that are answers rather than failures (archive-get: 1 = not in the archive). */
  okCodes?: number[];
  onOutputLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Writes stdout to this file (opened by Lifeboat) instead of keeping it. */
  stdoutFile?: string;
  /** Turns a failure into the engine's classified error. */
  classify: (output: string, exit: string) => LifeboatError;
  /** How a missing program is named and installed. */
  missing: LifeboatError;
}

export interface EngineCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

const KILL_GRACE_MS = 10_000;

export function runEngineCommand(program: string, args: string[], o: EngineCommandOptions): Promise<EngineCommandResult> {
  const [command, argv] = o.account.sudo ? ['sudo', ['-n', '-u', o.account.name, '--', program, ...args]] : [program, args];
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', TZ: 'UTC' };
  if (o.account.uid !== undefined) Object.assign(env, { HOME: o.account.home ?? '/', USER: o.account.name, LOGNAME: o.account.name });
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(cancelled(program));
    // Its own process group, so a cancel reaches the engine's workers too.
    const child = spawn(command, argv, { env, cwd: '/', detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(o.account.uid !== undefined ? { uid: o.account.uid, gid: o.account.gid } : {}) });
    let stdout = '';
    let stderr = '';
    const partial = { stdout: '', stderr: '' };
    const lines = (stream: 'stdout' | 'stderr', text: string) => {
      if (!o.onOutputLine) return;
      const all = (partial[stream] + text).split(/\r|\n/);
      partial[stream] = all.pop() ?? '';
      for (const l of all) if (l.trim()) o.onOutputLine(l, stream);
    };
    const file = o.stdoutFile ? child.stdout.pipe(createWriteStream(o.stdoutFile, { mode: 0o600 })) : undefined;
    const fileWritten = file ? finished(file) : Promise.resolve();
    fileWritten.catch(() => undefined);
    if (!file) child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout = (stdout + d).slice(-4_000_000)), lines('stdout', d)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr = (stderr + d).slice(-65536)), lines('stderr', d)));
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        child.kill(sig);
      }
    };
    const onAbort = () => {
      // SIGTERM first: pgBackRest and Barman end their workers and release their locks on it.
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err: NodeJS.ErrnoException) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(err.code === 'ENOENT' ? o.missing : err);
    });
    child.once('close', (code, sig) => {
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted) return reject(cancelled(program));
      if (code === 0 || (code !== null && o.okCodes?.includes(code))) return void fileWritten.then(() => resolve({ code: code ?? 0, stdout, stderr }), reject);
      if (o.account.sudo && /a password is required|sudo: /.test(stderr))
        return reject(new LifeboatError('PERMISSION_DENIED', `Lifeboat cannot run ${program} as ${o.account.name}: ${stderr.trim().split('\n')[0]}`, `Run Lifeboat as ${o.account.name} or as root, or allow it: a sudoers line "<you> ALL=(${o.account.name}) NOPASSWD: ${program}".`));
      reject(o.classify(`${stderr}\n${o.stdoutFile ? '' : stdout}`, sig ? `signal ${sig}` : `exit code ${code}`));
    });
  });
}

const readsRunning = new Map<string, Promise<EngineCommandResult>>();

/**
 * A read-only engine command (a listing, info) run once for every caller that asks for it while it runs: a
 * fleet view asks for the same listing from several facts at once (backups, window, storage, encryption), and
 * each start of Barman's Python costs a third of a second. Nothing is kept once it has answered: a caller gets
 * the answer of a command running when it asked, never one remembered from before. A caller's cancel ends its
 * wait, not the shared command.
 */
export function runEngineRead(program: string, args: string[], o: EngineCommandOptions): Promise<EngineCommandResult> {
  const key = JSON.stringify([program, o.account.name, o.account.uid ?? null, o.okCodes ?? [], args]);
  let running = readsRunning.get(key);
  if (!running) {
    running = runEngineCommand(program, args, { ...o, signal: undefined, onOutputLine: undefined }).finally(() => readsRunning.delete(key));
    readsRunning.set(key, running);
  }
  const { signal } = o;
  if (!signal) return running;
  if (signal.aborted) return Promise.reject(cancelled(program));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled(program));
    signal.addEventListener('abort', onAbort, { once: true });
    running.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function cancelled(program: string): LifeboatError {
  return new LifeboatError('CANCELLED', `${program} was cancelled.`, 'The engine ends what it was doing on SIGTERM; run the command again when you are ready.');
}
