// A physical backup with pg_basebackup: tar format to stdout, the WAL needed for consistency fetched into
// the tar, the server's backup_manifest injected into it, client-side compression, fast checkpoint unless
// asked otherwise. Start/stop LSN and timeline come from its verbose output.
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import type { Connection } from '../../../shared/domain';
import type { PgToolSet } from './pgTools';
import { libpqEnv, runPgTool } from './pgToolProcess';

export interface PhysicalBackupOptions {
  tools: PgToolSet;
  connection: Connection;
  password: string | undefined;
  compression: 'zstd' | 'gzip' | 'none';
  checkpoint: 'fast' | 'spread';
  maxRate?: string;
  signal?: AbortSignal;
  /** pg_basebackup's own count of data-directory bytes sent and its estimate of the total (-P). */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  onPhase?: (phase: string) => void;
}

export interface PhysicalBackupRun {
  /** The (compressed) tar stream. */
  stream: Readable;
  /** Resolves after pg_basebackup exited 0. */
  result: Promise<{ startLsn: string; stopLsn: string; timeline: number }>;
}

/**
 * zstd level 1 on up to four threads. Measured on pgbench scale 50 (bench/backupBench.mts): level 1 came
 * within 1% of level 3's size and, with the workers, left the CPU time that encryption and hashing need;
 * level 3 on one thread made pg_basebackup itself the bottleneck. Every libzstd that PostgreSQL packages
 * link (Debian, Ubuntu, EDB, Homebrew) is built with threads.
 */
export function compressArg(compression: 'zstd' | 'gzip' | 'none', cores = availableParallelism()): string {
  if (compression === 'zstd') return `client-zstd:level=1,workers=${Math.max(1, Math.min(4, cores))}`;
  return compression === 'gzip' ? 'client-gzip:1' : 'none';
}

export function startPhysicalBackup(o: PhysicalBackupOptions): PhysicalBackupRun {
  let startLsn = '';
  let stopLsn = '';
  let timeline = 0;
  const args = ['-D', '-', '-Ft', '-X', 'fetch', '-c', o.checkpoint, '-P', '-v', '-w', '--compress', compressArg(o.compression)];
  if (o.maxRate) args.push('--max-rate', o.maxRate);
  const run = runPgTool(o.tools.path('pg_basebackup'), args, {
    env: libpqEnv(o.connection, o.password),
    signal: o.signal,
    onStderrLine: (line) => {
      let m: RegExpMatchArray | null;
      if ((m = line.match(/write-ahead log start point: ([0-9A-F]+\/[0-9A-F]+) on timeline (\d+)/))) {
        startLsn = m[1]!;
        timeline = Number(m[2]);
        o.onPhase?.('copying data files');
      } else if ((m = line.match(/write-ahead log end point: ([0-9A-F]+\/[0-9A-F]+)/))) {
        stopLsn = m[1]!;
        o.onPhase?.('finishing');
      } else if ((m = line.match(/^(\d+)\/(\d+) kB/))) o.onProgress?.(Number(m[1]) * 1024, Number(m[2]) * 1024);
      else if (/waiting for checkpoint/.test(line)) o.onPhase?.(o.checkpoint === 'fast' ? 'checkpoint (fast)' : 'waiting for a spread checkpoint');
    },
  });
  const result = run.done.then(() => {
    if (!startLsn || !stopLsn) throw new Error('pg_basebackup finished without reporting its WAL start and end points.');
    return { startLsn, stopLsn, timeline };
  });
  return { stream: run.child.stdout, result };
}
