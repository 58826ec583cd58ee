// Runs a PostgreSQL program as the cluster's account and collects its output; a failure carries the
// command line and what the program printed, so a broken harness explains itself.
import { spawn, spawnSync } from 'node:child_process';
import { runAsOptions, type OsUser } from './unprivilegedUser';

export interface RunOptions {
  user: OsUser;
  /** Must be a directory the account can enter: the default (the test's cwd) may be root's. */
  cwd: string;
  env?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export function runProgram(program: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...runAsOptions(options.user),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${describe(program, args)} exited with ${code ?? signal}:\n${stderr || stdout}`));
    });
  });
}

/** For process exit hooks, where nothing asynchronous runs any more. Returns whether the program succeeded. */
export function runProgramSync(program: string, args: string[], options: RunOptions): boolean {
  const result = spawnSync(program, args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: 'ignore',
    timeout: 30_000,
    ...runAsOptions(options.user),
  });
  return result.status === 0;
}

/**
 * The test runner's PG* variables (a developer's PGHOST, PGPASSFILE...) must not leak into the harness's
 * programs; a C locale keeps initdb independent of the machine's locales.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('PG') && key !== 'LC_ALL' && key !== 'LANG') env[key] = value;
  }
  return { ...env, LC_ALL: 'C', ...extra };
}

function describe(program: string, args: string[]): string {
  return [program, ...args].map((part) => (/^[\w./=:,-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}
