// Reads archived WAL with pg_waldump of the WAL's own major version: segments are decrypted and unpacked into a
// private 0700 folder a batch at a time (always removed, also on cancel or failure), pg_waldump reads each
// batch while the next one is staged, and every record line goes to the caller as it is printed. Progress
// counts segments and bytes.
//
// Batches overlap by one segment: pg_waldump cannot print a record whose end lies past --end, so a batch reads
// into the next batch's first segment, and its lines from that segment on are left to the next batch (whose
// pg_waldump starts at that segment's first record). It is stopped at its first line past the boundary.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import { fetchWalFile, type WalRepository } from '../wal/walArchive';
import { formatLsn, segmentStart } from '../wal/walNames';
import type { SegmentRun } from './scanSegments';

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
  onLine: (line: string) => void;
  /** Segments per batch; default 8. */
  batchSegments?: number;
  /** Read the runs newest first and stop when this says so (looking up one transaction). */
  newestFirst?: boolean;
  stopWhen?: () => boolean;
}

export interface WaldumpScanSummary {
  segments: number;
  bytes: number;
}

/** An LSN printed as %X/%08X, as a number: exact below 2^53 (the first 2 PB of WAL). */
function lsnNumber(text: string): number {
  const slash = text.indexOf('/');
  return parseInt(text.slice(0, slash), 16) * 4294967296 + parseInt(text.slice(slash + 1), 16);
}

/** What pg_waldump says when it runs out of WAL: the end of the archive, not a failure. */
const END_OF_WAL = /invalid record length at|could not find file|could not find a valid record after|invalid magic number 0000|record with incorrect prev-link|contrecord is requested|invalid resource manager ID 0|out of memory while trying to decode a record of length/;

export async function scanWithWaldump(o: WaldumpScanOptions): Promise<WaldumpScanSummary> {
  const { ctx } = o;
  const batchSize = o.batchSegments ?? 8;
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
  // Staging still under way when the scan stops must end before its folder is removed.
  let ahead: Promise<void> = Promise.resolve();
  try {
    const runs = o.newestFirst ? [...o.runs].reverse() : o.runs;
    for (const run of runs) {
      const batches: Array<SegmentRun['segments']> = [];
      for (let i = 0; i < run.segments.length; i += batchSize) batches.push(run.segments.slice(i, i + batchSize));
      if (o.newestFirst) batches.reverse();
      // Staging runs one batch ahead of pg_waldump; each segment is staged once.
      const staged = new Map<string, Promise<void>>();
      const stage = (name: string) => {
        let p = staged.get(name);
        if (!p) {
          p = (async () => {
            if (ctx.signal.aborted) throw ctx.signal.reason;
            await fetchWalFile(o.repo, o.serviceId, name, join(dir, name), o.key, { sparseZeroTail: true });
          })();
          p.catch(() => undefined);
          staged.set(name, p);
        }
        return p;
      };
      const needs = (b: number) => {
        const batch = batches[b]!;
        const next = run.segments[run.segments.indexOf(batch.at(-1)!) + 1];
        return next ? [...batch, next] : batch;
      };
      const stageBatch = async (b: number) => {
        // Two at a time: decryption and inflation run on the thread pool beside pg_waldump.
        const names = needs(b).map((s) => s.name);
        for (let i = 0; i < names.length; i += 2) await Promise.all(names.slice(i, i + 2).map(stage));
      };
      ahead = stageBatch(0);
      for (let b = 0; b < batches.length; b++) {
        await ahead;
        if (b + 1 < batches.length) {
          ahead = stageBatch(b + 1);
          ahead.catch(() => undefined);
        }
        const batch = batches[b]!;
        const following = needs(b).length > batch.length ? needs(b).at(-1)! : undefined;
        report(batch[0]!.name);
        await runWaldump(o, dir, run.timeline, batch[0]!.segNo, (following ?? batch.at(-1)!).segNo + 1, following?.segNo);
        for (const s of batch) {
          doneBytes += s.bytes;
          doneSegments++;
        }
        // Files the next batch does not read go at once: the folder holds at most three batches' worth.
        const keep = new Set(b + 1 < batches.length ? needs(b + 1).map((s) => s.name) : []);
        for (const s of needs(b))
          if (!keep.has(s.name)) {
            staged.delete(s.name);
            await rm(join(dir, s.name), { force: true });
          }
        report();
        if (o.stopWhen?.()) return { segments: doneSegments, bytes: doneBytes };
      }
      await ahead.catch(() => undefined);
      for (const name of staged.keys()) await rm(join(dir, name), { force: true });
    }
    return { segments: doneSegments, bytes: doneBytes };
  } finally {
    await ahead.catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** One pg_waldump over segments [startSeg, endSeg) of a timeline; lines at or past boundarySeg are not handed on. */
function runWaldump(o: WaldumpScanOptions, dir: string, timeline: number, startSeg: number, endSeg: number, boundarySeg: number | undefined): Promise<void> {
  const { ctx } = o;
  if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
  const boundary = boundarySeg === undefined ? Infinity : Number(segmentStart(boundarySeg));
  const args = ['--path', dir, '--timeline', String(timeline), '--start', formatLsn(segmentStart(startSeg)), '--end', formatLsn(segmentStart(endSeg)), ...o.filters];
  return new Promise<void>((resolve, reject) => {
    // pg_waldump prints commit times in its own zone: UTC, so they read back exactly.
    const child = spawn(o.pgWaldump, args, { env: { ...process.env, TZ: 'UTC', PGTZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let carry = '';
    let past = false;
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      if (past) return;
      let text = carry + chunk;
      let at = 0;
      for (let nl = text.indexOf('\n', at); nl >= 0; nl = text.indexOf('\n', at)) {
        const line = text.slice(at, nl);
        at = nl + 1;
        if (boundary !== Infinity) {
          const lsnAt = line.indexOf('lsn: ');
          if (lsnAt > 0 && lsnNumber(line.slice(lsnAt + 5, line.indexOf(',', lsnAt))) >= boundary) {
            // Everything before the boundary has been printed: the next batch reads on from here.
            past = true;
            child.kill('SIGTERM');
            return;
          }
        }
        o.onLine(line);
      }
      text = text.slice(at);
      carry = text;
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
    const onAbort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new LifeboatError('TOOL_MISSING', `${o.pgWaldump} was not found.`, 'Install the PostgreSQL server package of the WAL\'s version (Debian: apt install postgresql-<major>), or set LIFEBOAT_PG_BIN.') : err),
    );
    child.on('close', (code) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      if (carry && !past) o.onLine(carry);
      // Running out of WAL is the end of the archive only in a run's last batch; inside a run it is a lost segment.
      if (code === 0 || past || (boundarySeg === undefined && END_OF_WAL.test(stderr))) return resolve();
      reject(new LifeboatError('INTERNAL', `pg_waldump failed on ${formatLsn(segmentStart(startSeg))}..${formatLsn(segmentStart(endSeg))}: ${stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${code}`}`, 'Check the archive: lifeboat window <service> names missing segments.'));
    });
  });
}
