// Scratch PostgreSQL clusters: restored copies that run on loopback (a unix socket in their own folder and a
// free port on 127.0.0.1) for inspection and drills. They never archive, never follow a primary, and are
// listed and removable; each has a registry file beside Lifeboat's state.
import { spawn } from 'node:child_process';
import { chownSync, closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '../lifeboatError';
import { writeFileAtomic } from '../storage/atomicWrite';
import { scratchUser, type ScratchUser } from './scratchOsUser';
import { isAlive } from '../jobs/processAlive';

export const scratchRecordSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  backupId: z.string(),
  purpose: z.enum(['restore', 'drill']),
  createdAt: z.string(),
  dir: z.string(),
  port: z.number(),
  osUser: z.string(),
  superuser: z.string().optional(),
  target: z.string(),
  reached: z.object({ time: z.string().optional(), lsn: z.string().optional(), detail: z.string() }).optional(),
  pid: z.number().optional(),
});
export type ScratchRecord = z.infer<typeof scratchRecordSchema>;

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export class ScratchClusters {
  readonly user: ScratchUser;

  constructor(
    private readonly registryDir: string,
    private readonly root: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.user = scratchUser(env);
  }

  static defaultRoot(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
    if (env.LIFEBOAT_SCRATCH_DIR) return env.LIFEBOAT_SCRATCH_DIR;
    // As root, the unprivileged account could not reach a folder under root's home.
    return typeof process.getuid === 'function' && process.getuid() === 0 ? '/var/tmp/lifeboat-scratch' : join(dataDir, 'scratch');
  }

  dataDir(record: ScratchRecord): string {
    return join(record.dir, 'data');
  }
  walDir(record: ScratchRecord): string {
    return join(record.dir, 'wal');
  }
  logFile(record: ScratchRecord): string {
    return join(record.dir, 'postgres.log');
  }

  /** Makes a folder owned by the account that will run postgres. */
  async create(record: Omit<ScratchRecord, 'dir' | 'port' | 'osUser'>): Promise<ScratchRecord> {
    await mkdir(this.root, { recursive: true, mode: 0o711 });
    const dir = join(this.root, record.id);
    await mkdir(dir, { mode: 0o700 });
    for (const sub of ['data', 'wal']) await mkdir(join(dir, sub), { mode: 0o700 });
    this.chown(dir);
    this.chown(join(dir, 'data'));
    this.chown(join(dir, 'wal'));
    const full: ScratchRecord = { ...record, dir, port: await freeLoopbackPort(), osUser: this.user.name };
    await this.save(full);
    return full;
  }

  chown(path: string): void {
    if (this.user.uid !== undefined) chownSync(path, this.user.uid, this.user.gid!);
  }

  spawnOptions(): { uid?: number; gid?: number } {
    return this.user.uid !== undefined ? { uid: this.user.uid, gid: this.user.gid } : {};
  }

  async save(record: ScratchRecord): Promise<void> {
    await writeFileAtomic(join(this.registryDir, `${record.id}.json`), JSON.stringify(record, null, 2) + '\n');
  }

  registryFile(id: string): string {
    return join(this.registryDir, `${id}.json`);
  }

  async list(): Promise<Array<ScratchRecord & { running: boolean }>> {
    let names: string[] = [];
    try {
      names = (await readdir(this.registryDir)).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const records: Array<ScratchRecord & { running: boolean }> = [];
    for (const n of names) {
      try {
        const r = scratchRecordSchema.parse(JSON.parse(await readFile(join(this.registryDir, n), 'utf8')));
        records.push({ ...r, running: isAlive(r.pid) });
      } catch {
        // A registry file being written right now; the next listing has it.
      }
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(id: string): Promise<ScratchRecord> {
    try {
      return scratchRecordSchema.parse(JSON.parse(await readFile(this.registryFile(id), 'utf8')));
    } catch {
      throw new LifeboatError('NOT_FOUND', `No scratch cluster ${id}.`, 'List them: lifeboat scratch list.');
    }
  }

  /** Starts postgres on the restored data directory; resolves with its pid once it is accepting connections. */
  async start(record: ScratchRecord, postgresBinary: string, ready: () => Promise<boolean>, signal?: AbortSignal): Promise<number> {
    const logFd = openSync(this.logFile(record), 'a');
    if (this.user.uid !== undefined) chownSync(this.logFile(record), this.user.uid, this.user.gid!);
    let exited: string | undefined;
    const child = spawn(postgresBinary, ['-D', this.dataDir(record)], { cwd: record.dir, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, ...this.spawnOptions() });
    closeSync(logFd);
    child.once('exit', (code, sig) => (exited = `postgres exited with ${code ?? sig}`));
    child.once('error', (err) => (exited = err.message));
    child.unref();
    record.pid = child.pid;
    await this.save(record);
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (exited) throw this.startFailure(record, exited);
      if (await ready().catch(() => false)) return child.pid!;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private startFailure(record: ScratchRecord, exited: string): LifeboatError {
    const log = this.logTail(record, 12);
    if (/recovery ended before configured recovery target was reached/.test(log))
      return new LifeboatError('OUT_OF_WINDOW', 'Recovery ended before the target was reached: the archived WAL does not go that far.', 'Pick a time inside the recoverable window (lifeboat window <service>).');
    if (/recovery target .* not found|could not find restore point/i.test(log))
      return new LifeboatError('OUT_OF_WINDOW', 'The named restore point was not found in the archived WAL.', 'Check the name (pg_create_restore_point) and that WAL after it is archived.');
    return new LifeboatError('INTERNAL', `The scratch cluster did not start (${exited}): ${log.split('\n').filter((l) => /FATAL|PANIC|ERROR/.test(l)).slice(-2).join(' / ') || log.split('\n').slice(-2).join(' / ')}`, `Its log is ${this.logFile(record)}.`);
  }

  logTail(record: ScratchRecord, lines = 40): string {
    try {
      return readFileSync(this.logFile(record), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(record: ScratchRecord): Promise<void> {
    if (!isAlive(record.pid)) return;
    // SIGINT is PostgreSQL's "fast" shutdown: sessions end, no waiting for clients.
    process.kill(record.pid!, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(record.pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(record.pid)) process.kill(record.pid!, 'SIGKILL');
  }

  async remove(id: string): Promise<void> {
    const record = await this.get(id);
    await this.stop(record);
    await rm(record.dir, { recursive: true, force: true });
    await rm(this.registryFile(id), { force: true });
  }
}
