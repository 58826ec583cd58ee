// Asynchronous archiving, as pgBackRest's archive-async does it. PostgreSQL's archive_command
// (`wal-push --async %p`) only answers for its segment from the spool; one background pusher stores every
// segment PostgreSQL has marked ready (pg_wal/archive_status/*.ready), several at once, ahead of
// PostgreSQL's calls. A segment is acknowledged only once it is durably in the repository: the pusher
// writes push/<name>.ok after archiveWalFile returned (data and sidecar fsynced), never before, because
// PostgreSQL may delete or recycle a segment as soon as archive_command said yes.
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isWireError } from '../../shared/errors';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { ServiceArchive } from './serviceArchive';
import { archiveWalFile, removeAbandonedWrites, WAL_COMPRESSION, walFileKind } from './walArchive';
import { nextChange, type SpoolPaths } from './walSpool';
import { claimWorkerLock, workerRunning } from './workerLock';

export interface AsyncPushRequest {
  /** %p: the segment PostgreSQL wants archived, relative to the data directory. */
  walPath: string;
  spool: SpoolPaths;
  /** Starts the background pusher (the door knows how to start itself as a detached process). */
  startPusher: () => void;
  /** How long to wait for the answer before telling PostgreSQL "not yet" (it retries). */
  timeoutMs: number;
}

/** Resolves once the segment is stored; rejects with the pusher's reason, or TIMEOUT. */
export async function pushAsync(r: AsyncPushRequest): Promise<void> {
  const name = basename(r.walPath);
  if (!walFileKind(name)) throw new LifeboatError('INVALID_INPUT', `${name} is not a file PostgreSQL archives (a WAL segment, .history, .backup or .partial).`, "archive_command should pass %p: archive_command = 'lifeboat wal-push --async %p --service <id>'.");
  const ok = join(r.spool.push, `${name}.ok`);
  const failed = join(r.spool.push, `${name}.error`);
  await mkdir(r.spool.push, { recursive: true, mode: 0o700 });
  await writeFile(r.spool.lastPushCall, '');
  const deadline = Date.now() + r.timeoutMs;
  let startedAt = 0;
  for (;;) {
    if (await unlink(ok).then(() => true, () => false)) return;
    const reason = await readFile(failed, 'utf8').then((t) => t, () => undefined);
    if (reason !== undefined) {
      await unlink(failed).catch(() => undefined);
      // The next call for this segment starts it over: the pusher tries again.
      const wire = parseWire(reason);
      throw new LifeboatError(wire.code, `The background pusher could not store ${name}: ${wire.message}`, wire.hint);
    }
    if (Date.now() > deadline)
      throw new LifeboatError('TIMEOUT', `${name} is not stored yet (waited ${Math.round(r.timeoutMs / 1000)} s); PostgreSQL will ask again.`, `See the pusher's log, ${r.spool.log}; lifeboat wal-push without --async stores one segment in the foreground.`);
    // Started at most every few seconds: a pusher takes a moment to claim its lock.
    if (Date.now() - startedAt > 3_000 && !(await workerRunning(r.spool.pusherLock))) {
      r.startPusher();
      startedAt = Date.now();
    }
    await nextChange(r.spool.push, 250);
  }
}

function parseWire(text: string) {
  try {
    const value: unknown = JSON.parse(text);
    if (isWireError(value)) return value;
  } catch {
    // An unreadable answer is still a failure.
  }
  return { code: 'INTERNAL' as const, message: text.trim() || 'unknown error', hint: 'See the pusher log in the spool folder.' };
}

export interface PusherOptions {
  openArchive: () => Promise<ServiceArchive>;
  /** The server's pg_wal: segments and archive_status/. */
  walDir: string;
  spool: SpoolPaths;
  /** Segments stored at once. */
  parallel: number;
  /** The pusher exits after this long with nothing to do; the next archive_command starts it again. */
  idleMs: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** PostgreSQL archives timeline history files before segments, and older segments first. */
function archiveOrder(a: string, b: string): number {
  const ah = a.endsWith('.history') ? 0 : 1;
  const bh = b.endsWith('.history') ? 0 : 1;
  return ah - bh || (a < b ? -1 : a > b ? 1 : 0);
}

/** Answers are renamed into place, so the foreground never reads half of one. */
async function answer(spool: SpoolPaths, name: string, suffix: 'ok' | 'error', body: string): Promise<void> {
  const temp = join(spool.push, `.${name}.${suffix}.${process.pid}`);
  await writeFile(temp, body, { mode: 0o600 });
  await rename(temp, join(spool.push, `${name}.${suffix}`));
}

/** The background pusher: runs until idle for idleMs (or aborted), then exits. One per spool. */
export async function runWalPusher(o: PusherOptions): Promise<void> {
  await mkdir(o.spool.push, { recursive: true, mode: 0o700 });
  const lock = await claimWorkerLock(o.spool.pusherLock);
  if (!lock) return;
  const statusDir = join(o.walDir, 'archive_status');
  const inFlight = new Map<string, Promise<void>>();
  try {
    let archive: ServiceArchive;
    try {
      archive = await o.openArchive();
    } catch (err) {
      // Nothing can be stored (a wrong service, no key): every waiting archive_command hears why.
      const body = JSON.stringify(toWireError(err));
      for (const name of await readyNames(statusDir)) await answer(o.spool, name, 'error', body);
      o.log(`cannot open the archive: ${toWireError(err).message}`);
      return;
    }
    const abandoned = await removeAbandonedWrites(archive.repo, archive.serviceId).catch(() => 0);
    o.log(`started (pid ${process.pid}, ${o.parallel} at once)${abandoned ? `; removed ${abandoned} file(s) a killed push left half-written` : ''}`);
    let lastWork = Date.now();
    while (!o.signal?.aborted) {
      const ready = await readyNames(statusDir);
      const answered = new Set(await readdir(o.spool.push).catch(() => [] as string[]));
      const readySet = new Set(ready);
      // An answer nobody will collect (the segment is no longer waiting): remove it.
      for (const file of answered) {
        const m = /^(.+)\.(ok|error)$/.exec(file);
        if (m && !readySet.has(m[1]!) && !inFlight.has(m[1]!)) await unlink(join(o.spool.push, file)).catch(() => undefined);
      }
      const todo = ready.filter((n) => !answered.has(`${n}.ok`) && !answered.has(`${n}.error`) && !inFlight.has(n));
      for (const name of todo) {
        if (inFlight.size >= o.parallel) break;
        const started = Date.now();
        const task = archiveWalFile({ repo: archive.repo, serviceId: archive.serviceId, sourcePath: join(o.walDir, name), name, key: archive.key, compress: WAL_COMPRESSION })
          .then(
            () => answer(o.spool, name, 'ok', `${Date.now() - started} ms\n`),
            async (err) => {
              o.log(`${name}: ${toWireError(err).code} ${toWireError(err).message}`);
              await answer(o.spool, name, 'error', JSON.stringify(toWireError(err)));
            },
          )
          .catch((err) => o.log(`${name}: cannot write the answer: ${(err as Error).message}`))
          .finally(() => {
            inFlight.delete(name);
            lastWork = Date.now();
          });
        inFlight.set(name, task);
      }
      if (inFlight.size === 0 && Date.now() - lastWork > o.idleMs) break;
      // archive_command no longer names wal-push --async (or archiving stopped): stop storing what it no
      // longer asks for, rather than fill the repository with an archive that has gaps.
      const lastCall = await stat(o.spool.lastPushCall).then((s) => s.mtimeMs, () => 0);
      if (inFlight.size === 0 && Date.now() - lastCall > o.idleMs) break;
      await Promise.race([nextChange(statusDir, 500, o.signal), ...inFlight.values()]);
    }
    await Promise.all(inFlight.values());
    o.log('stopped');
  } finally {
    await lock.release();
  }
}

async function readyNames(statusDir: string): Promise<string[]> {
  const names = await readdir(statusDir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.ready')).map((n) => n.slice(0, -6)).filter((n) => walFileKind(n) !== undefined).sort(archiveOrder);
}
