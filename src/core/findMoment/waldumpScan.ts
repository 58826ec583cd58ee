// Reads archived WAL with pg_waldump of the WAL's own major version: segments are decrypted and unpacked into a
// private 0700 folder a batch at a time (always removed, also on cancel or failure), and three things run side
// by side: pg_waldump on two batches (and, where the caller asks, Lifeboat's own reading of their records), the
// reading of the earlier batches' output, and the staging of the next batch. pg_waldump writes into a file in that folder rather than a pipe: through a pipe it waited for every
// 64 KB to be read, and the two took turns instead of sharing the two cores. Every record line goes to the
// caller once, in LSN order. Progress counts segments and bytes.
//
// A batch ends exactly where its last record ends: a record that starts in a batch's last segment and runs on
// into the next segment is read with that batch (its --end is where the next segment's first page says the
// record's rest ends), and the next batch's pg_waldump starts at its first segment's first whole record.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import { fetchWalFile, type WalRepository } from '../wal/walArchive';
import { formatLsn, segmentStart } from '../wal/walNames';
import type { SegmentRun } from './scanSegments';
import { LineSplitter, type LineSink } from './waldumpBytes';

export interface WaldumpScanOptions {
  ctx: JobContext;
  repo: WalRepository;
  serviceId: string;
  key: Buffer | undefined;
  runs: SegmentRun[];
  pgWaldump: string;
  /** pg_waldump arguments that filter records (--rmgr, --xid). */
  filters: string[];
  /** Where the private staging folder goes (Lifeboat's data folder). */
  workDir: string;
  /** Each record line pg_waldump prints, in LSN order, each exactly once. */
  onLine: LineSink;
  /** Segments per batch; default 4 (pg_waldump starts after a few are staged, and the last output is short). */
  batchSegments?: number;
  /** pg_waldump processes at once; default 2. */
  parallel?: number;
  /**
   * Reads each batch's staged segments while pg_waldump reads them (given the batch's own segments and the next
   * one, if any, and the first's number); what it returns is called just before that batch's lines are handed on.
   */
  alongside?: (segments: Buffer[], own: number, firstSegNo: number) => () => void;
  /** Read the runs newest first and stop when this says so (looking up one transaction). */
  newestFirst?: boolean;
  stopWhen?: () => boolean;
}

export interface WaldumpScanSummary {
  segments: number;
  bytes: number;
}

/** What pg_waldump says when it runs out of WAL: the end of the archive, not a failure. */
const END_OF_WAL = /invalid record length at|could not find file|could not find a valid record after|invalid magic number 0000|record with incorrect prev-link|contrecord is requested|invalid resource manager ID 0|out of memory while trying to decode a record of length/;

const XLP_FIRST_IS_CONTRECORD = 0x0001;
const LONG_HEADER = 40;
const SHORT_HEADER = 24;

/**
 * Where the record that runs from the previous segment into this one ends, as an offset into this segment (0
 * when none does): the first page's xlp_rem_len, spread over pages of xlp_xlog_blcksz after their headers. A
 * record longer than the segment is cut at its end (it would need a third segment staged).
 */
export function continuationEnd(header: Buffer, segmentSize: number): number {
  if (header.length < LONG_HEADER || (header.readUInt16LE(2) & XLP_FIRST_IS_CONTRECORD) === 0) return 0;
  const remaining = header.readUInt32LE(16);
  const blockSize = header.readUInt32LE(36);
  let left = remaining;
  for (let page = 0; ; page++) {
    const headerSize = page === 0 ? LONG_HEADER : SHORT_HEADER;
    if (left <= blockSize - headerSize) return Math.min(segmentSize, page * blockSize + headerSize + left);
    left -= blockSize - headerSize;
    if ((page + 1) * blockSize >= segmentSize) return segmentSize;
  }
}

export async function scanWithWaldump(o: WaldumpScanOptions): Promise<WaldumpScanSummary> {
  const { ctx } = o;
  const batchSize = o.batchSegments ?? 4;
  await mkdir(o.workDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(o.workDir, 'find-'));
  await ctx.claimPartialOutput(dir);
  const total = o.runs.reduce((n, r) => n + r.segments.reduce((m, s) => m + s.bytes, 0), 0);
  const count = o.runs.reduce((n, r) => n + r.segments.length, 0);
  let doneBytes = 0;
  let doneSegments = 0;
  const report = (current?: string) =>
    ctx.progress({ phase: `scanning WAL with pg_waldump: ${doneSegments} of ${count} segments${current ? ` (${current})` : ''}`, done: doneBytes, total, unit: 'bytes' });
  report();
  // Two pg_waldump at once (one when looking for a single transaction, which stops early): one process keeps one
  // core busy, and the output of both is read in order while they run.
  const parallel = o.stopWhen ? 1 : (o.parallel ?? 2);
  // Work still under way when the scan stops must end before its folder is removed.
  const pending = new Set<Promise<unknown>>();
  const track = <T,>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    p.catch(() => undefined).finally(() => pending.delete(p));
    return p;
  };
  let stopped = false;
  const buffers = new SegmentBuffers();
  try {
    const runs = o.newestFirst ? [...o.runs].reverse() : o.runs;
    for (const [r, run] of runs.entries()) {
      const batches: Array<SegmentRun['segments']> = [];
      for (let i = 0; i < run.segments.length; i += batchSize) batches.push(run.segments.slice(i, i + batchSize));
      if (o.newestFirst) batches.reverse();
      const needs = (b: number) => {
        const batch = batches[b]!;
        const next = run.segments[run.segments.indexOf(batch.at(-1)!) + 1];
        return next ? [...batch, next] : batch;
      };
      // Each segment is staged once and removed when the last batch that reads it has been read by pg_waldump.
      const readers = new Map<string, number>();
      for (let b = 0; b < batches.length; b++) for (const seg of needs(b)) readers.set(seg.name, (readers.get(seg.name) ?? 0) + 1);
      const staged = new Map<string, Promise<void>>();
      const stage = (name: string) => {
        let p = staged.get(name);
        if (!p) {
          p = track(
            (async () => {
              if (ctx.signal.aborted) throw ctx.signal.reason;
              await fetchWalFile(o.repo, o.serviceId, name, join(dir, name), o.key, { sparseZeroTail: true });
            })(),
          );
          staged.set(name, p);
        }
        return p;
      };
      const stageBatch = async (b: number) => {
        if (b >= batches.length) return;
        // Two at a time: decryption and inflation run on the thread pool beside pg_waldump.
        const names = needs(b).map((seg) => seg.name);
        for (let i = 0; i < names.length; i += 2) await Promise.all(names.slice(i, i + 2).map(stage));
      };
      const outputs = batches.map(() => deferred<{ output: string; before?: () => void }>());
      for (const out of outputs) out.promise.catch(() => undefined);
      let next = 0;
      let running = 0;
      const startMore = () => {
        while (!stopped && running < parallel && next < batches.length) {
          const b = next++;
          running++;
          // The next batch is staged while this one is read.
          track(stageBatch(b + 1));
          const task = track(
            (async () => {
              await stageBatch(b);
              const batch = batches[b]!;
              const following = needs(b).length > batch.length ? needs(b).at(-1)! : undefined;
              const start = segmentStart(batch[0]!.segNo);
              let end = segmentStart(batch.at(-1)!.segNo + 1);
              if (following) end += BigInt(continuationEnd(await firstPageHeader(join(dir, following.name)), Number(segmentStart(1))));
              const output = join(dir, `output-${r}-${b}.txt`);
              const waldump = runWaldump(o, dir, run.timeline, start, end, output, !following);
              // Lifeboat's own reading of the batch runs while pg_waldump does; both end before its files go.
              let before: (() => void) | undefined;
              try {
                if (o.alongside) {
                  const read = await Promise.all(needs(b).map((seg) => buffers.read(join(dir, seg.name))));
                  try {
                    before = o.alongside(read, batch.length, batch[0]!.segNo);
                  } finally {
                    for (const r of read) buffers.release(r);
                  }
                }
              } finally {
                await waldump.catch(() => undefined);
              }
              await waldump;
              for (const seg of needs(b)) {
                const left = readers.get(seg.name)! - 1;
                readers.set(seg.name, left);
                if (left === 0) {
                  staged.delete(seg.name);
                  await rm(join(dir, seg.name), { force: true });
                }
              }
              return { output, before };
            })(),
          );
          task.then(outputs[b]!.resolve, outputs[b]!.reject).finally(() => {
            running--;
            startMore();
          });
        }
      };
      startMore();
      // The outputs are read in LSN order, each while the next batches are read by pg_waldump.
      for (let b = 0; b < batches.length; b++) {
        report(batches[b]![0]!.name);
        const { output, before } = await outputs[b]!.promise;
        before?.();
        await readOutput(output, o.onLine, ctx.signal);
        await rm(output, { force: true });
        doneSegments += batches[b]!.length;
        doneBytes += batches[b]!.reduce((n, seg) => n + seg.bytes, 0);
        report();
        if (o.stopWhen?.()) {
          stopped = true;
          return { segments: doneSegments, bytes: doneBytes };
        }
      }
    }
    return { segments: doneSegments, bytes: doneBytes };
  } finally {
    stopped = true;
    while (pending.size) await Promise.allSettled([...pending]);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Segment-sized buffers read into and handed back: a new 16 MB buffer per segment read made V8 count a gigabyte
 * of external memory and run full collections over the ledger's heap for it (a third of the search's time).
 */
class SegmentBuffers {
  private readonly free: Buffer[] = [];

  /** The file's bytes, in a pooled buffer (a view of its first bytes); hand it back with release(). */
  async read(path: string): Promise<Buffer> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      let buffer = this.free.pop();
      if (!buffer || buffer.length < size) buffer = Buffer.allocUnsafeSlow(Math.max(size, buffer?.length ?? 0));
      let got = 0;
      while (got < size) {
        const { bytesRead } = await handle.read(buffer, got, size - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    } finally {
      await handle.close();
    }
  }

  release(view: Buffer): void {
    this.free.push(Buffer.from(view.buffer, view.byteOffset, view.buffer.byteLength - view.byteOffset));
  }
}

/** Node 20 has no Promise.withResolvers. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

async function firstPageHeader(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(LONG_HEADER);
    await handle.read(header, 0, LONG_HEADER, 0);
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * Hands on the lines of one batch's output, read in 64 KiB pieces: each piece becomes one string, and a string
 * under V8's large-object size (128 KiB) dies young, where 1 MiB ones went to the old generation and made it
 * collect over a hundred times a search.
 */
async function readOutput(path: string, onLine: LineSink, signal: AbortSignal): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const lines = new LineSplitter(onLine);
    const piece = Buffer.allocUnsafe(64 << 10);
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { bytesRead } = await handle.read(piece, 0, piece.length);
      if (bytesRead === 0) break;
      lines.push(piece.subarray(0, bytesRead));
    }
    lines.end();
  } finally {
    await handle.close();
  }
}

/** One pg_waldump over [start, end) of a timeline, its output into a file. */
function runWaldump(o: WaldumpScanOptions, dir: string, timeline: number, start: bigint, end: bigint, output: string, lastOfRun: boolean): Promise<void> {
  const { ctx } = o;
  if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
  const args = ['--path', dir, '--timeline', String(timeline), '--start', formatLsn(start), '--end', formatLsn(end), ...o.filters];
  return new Promise<void>((resolve, reject) => {
    const out = openSync(output, 'w', 0o600);
    // pg_waldump prints commit times in its own zone: UTC, so they read back exactly.
    const child = spawn(o.pgWaldump, args, { env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
    const onAbort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new LifeboatError('TOOL_MISSING', `${o.pgWaldump} was not found.`, 'Install the PostgreSQL server package of the WAL\'s version (Debian: apt install postgresql-<major>), or set LIFEBOAT_PG_BIN.') : err),
    );
    child.on('close', (code) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      // Running out of WAL is the end of the archive only in a run's last batch; inside a run it is a lost segment.
      if (code === 0 || (lastOfRun && END_OF_WAL.test(stderr))) return resolve();
      reject(new LifeboatError('INTERNAL', `pg_waldump failed on ${formatLsn(start)}..${formatLsn(end)}: ${stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${code}`}`, 'Check the archive: lifeboat window <service> names missing segments.'));
    });
  });
}
