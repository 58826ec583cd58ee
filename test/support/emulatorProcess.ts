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

/** Any HTTP answer means the server is listening and parsing requests. */
function answersHttp(port: number, path: string): Promise<boolean> {
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
  hookExitOnce();
  const folder = mkdtempSync(join(tmpdir(), `lifeboat-${spec.name}-`));
  folders.add(folder);
  const port = await freePort();
  const { program, args, env } = spec.command(port, folder);
  const child = spawn(program, args, { cwd: folder, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  let gone = false;
  exited.then(() => (gone = true));

  const kill = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const emulator: EmulatorProcess = {
    port,
    folder,
    kill,
    async stop() {
      await kill();
      rmSync(folder, { recursive: true, force: true });
      folders.delete(folder);
    },
    output: () => printed,
  };
  try {
    await until(`${spec.name} to answer on port ${port}`, async () => {
      if (gone) throw new Error(`${spec.name} exited: ${printed.slice(-2_000)}`);
      return answersHttp(port, spec.readyPath);
    }, spec.startTimeoutMs ?? 60_000);
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  return emulator;
}
