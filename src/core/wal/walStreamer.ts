// Continuous WAL for one service: pg_receivewal on a replication slot Lifeboat creates and names (so the
// server keeps every segment while Lifeboat is closed), and a mover that archives each completed segment
// into the repository (compressed, encrypted, checksummed) and then deletes the local copy.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '../../shared/domain';
import { findPgTools, type PgToolSet } from '../engines/postgres/pgTools';
import { libpqEnv, runPgTool } from '../engines/postgres/pgToolProcess';
import type { JobContext } from '../jobs/jobRunner';
import type { BackupRepository } from '../repository/backupRepository';
import { archiveWalFile, WAL_COMPRESSION } from './walArchive';
import { historyTimeline, isSegmentName } from './walNames';

export function slotName(serviceId: string): string {
  return `lifeboat_${serviceId.replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

export interface StreamOptions {
  service: Service;
  password: string | undefined;
  repo: BackupRepository;
  key: Buffer | undefined;
  stagingDir: string;
  serverMajor: number;
  /** How often completed segments are looked for. */
  pollMs?: number;
}

export async function streamWal(ctx: JobContext, o: StreamOptions): Promise<{ archived: number }> {
  const tools: PgToolSet = await findPgTools(o.serverMajor);
  const env = libpqEnv(o.service.connection, o.password);
  const slot = slotName(o.service.id);
  await mkdir(o.stagingDir, { recursive: true, mode: 0o700 });
  ctx.progress({ phase: `creating replication slot ${slot} if needed` });
  await runPgTool(tools.path('pg_receivewal'), ['--create-slot', '--if-not-exists', '-S', slot, '-w'], { env, signal: ctx.signal }).done;

  let archived = 0;
  let lastName = '';
  // Archive what a previous run left complete before streaming resumes.
  const moveCompleted = async () => {
    const names = (await readdir(o.stagingDir)).filter((n) => isSegmentName(n) || historyTimeline(n) !== undefined).sort();
    for (const name of names) {
      await archiveWalFile({ repo: o.repo, serviceId: o.service.id, sourcePath: join(o.stagingDir, name), name, key: o.key, compress: WAL_COMPRESSION });
      await rm(join(o.stagingDir, name));
      archived++;
      lastName = name;
    }
  };
  await moveCompleted();

  const receiver = runPgTool(tools.path('pg_receivewal'), ['-D', o.stagingDir, '-S', slot, '-n', '-w', '-v'], {
    env,
    signal: ctx.signal,
    onStderrLine: (line) => {
      const m = /finished segment at ([0-9A-F]+\/[0-9A-F]+)/.exec(line);
      if (m) ctx.progress({ phase: `streaming; received up to ${m[1]}`, done: archived, unit: 'files' });
    },
  });
  ctx.progress({ phase: 'streaming', done: archived, unit: 'files' });
  let stopped = false;
  const ended = receiver.done.finally(() => (stopped = true));
  ended.catch(() => {});
  try {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
      await moveCompleted();
      ctx.progress({ phase: lastName ? `streaming; last archived ${lastName}` : 'streaming', done: archived, unit: 'files' });
    }
    await ended;
  } finally {
    // Whatever completed before the stop is archived now; the .partial segment stays for the next run.
    await moveCompleted().catch(() => undefined);
  }
  return { archived };
}
