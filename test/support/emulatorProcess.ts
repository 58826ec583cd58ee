// A storage emulator (Azurite, s3rver, moto) as a child process: started on a free loopback port with a
// temp folder of its own, ready once it answers HTTP (probed, never a sleep), and always stopped and its
// folder removed, by the test's afterAll or, if the test process ends first, by an exit hook.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { until } from './until';

export interface EmulatorProcess {
  port: number;
  folder: string;
  /** Stops the server and removes its folder (idempotent). */
  stop(): Promise<void>;
  /** Stops the server but keeps its folder, to prove what a client says when its server is gone. */
  kill(): Promise<void>;
  /** What the server printed, for failures. */
  output(): string;
}

export interface EmulatorSpec {
  name: string;
  /** The command for a port and a folder. */
  command(port: number, folder: string): { program: string; args: string[]; env?: Record<string, string> };
  /** An HTTP path that answers (any status) once the server is up. */
  readyPath: string;
  startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
const folders = new Set<string>();
let hooked = false;

function hookExitOnce(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
}

/** A temp folder removed when the test process ends, if no one removed it before. */
export function emulatorFolder(name: string): string {
  hookExitOnce();
  const folder = mkdtempSync(join(tmpdir(), `lifeboat-${name}-`));
  folders.add(folder);
  return folder;
}

export function removeEmulatorFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  folders.delete(folder);
}

/** A long-running child killed when the test process ends; stop() ends it (SIGTERM, then SIGKILL). */
export function spawnDaemon(program: string, args: string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; output(): string; gone(): boolean; stop(): Promise<void> } {
  hookExitOnce();
  const child = spawn(program, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => {
    gone = true;
    running.delete(child);
  });
  // An error (no such program) is also an exit: the caller sees it through gone() and output().
  child.once('error', (err) => {
    printed += String(err);
    gone = true;
    running.delete(child);
  });
  return {
    child,
    output: () => printed,
    gone: () => gone,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Any HTTP answer means the server is listening and parsing requests. */
export function answersHttp(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function startEmulator(spec: EmulatorSpec): Promise<EmulatorProcess> {
  const folder = emulatorFolder(spec.name);
  const port = await freePort();
  const { program, args, env } = spec.command(port, folder);
  const daemon = spawnDaemon(program, args, { cwd: folder, env });
  const emulator: EmulatorProcess = {
    port,
    folder,
    kill: daemon.stop,
    async stop() {
      await daemon.stop();
      removeEmulatorFolder(folder);
    },
    output: daemon.output,
  };
  try {
    // Exited ends the wait at once, with what it printed.
    const ready = await until(`${spec.name} to answer on port ${port}`, async () => (daemon.gone() ? 'exited' : answersHttp(port, spec.readyPath)), spec.startTimeoutMs ?? 60_000);
    if (ready === 'exited') throw new Error(`${spec.name} exited: ${daemon.output().slice(-2_000)}`);
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  return emulator;
}
