import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/core/jobs/jobRunner';
import type { Job } from '../../src/shared/jobs';

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-jobs-'));
  const events: Job[] = [];
  const runner = new JobRunner(join(dir, 'jobs.jsonl'), (job) => events.push(job));
  await runner.init();
  return { dir, events, runner };
}

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('job runner', () => {
  it('runs a job to success with its result, revisions strictly increasing', async () => {
    const { runner, events } = await setup();
    const job = runner.start({ kind: 'test', title: 'Sum', run: async (ctx) => { ctx.progress({ phase: 'adding', done: 1, total: 2, unit: 'steps' }); return { sum: 3 }; } });
    const done = await runner.wait(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ sum: 3 });
    const revisions = events.filter((e) => e.id === job.id).map((e) => e.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
  });

  it('cancels a running job through its AbortSignal and removes its partial output', async () => {
    const { runner, dir } = await setup();
    const partial = join(dir, 'partial-backup');
    let started!: () => void;
    const isRunning = new Promise<void>((r) => (started = r));
    const job = runner.start({
      kind: 'test',
      title: 'Long',
      run: async (ctx) => {
        await mkdir(partial);
        await ctx.claimPartialOutput(partial);
        await writeFile(join(partial, 'data'), 'half');
        started();
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    });
    await isRunning;
    expect((await runner.cancel(job.id)).state).toBe('cancelling');
    const done = await runner.wait(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.error?.code).toBe('CANCELLED');
    expect(await exists(partial)).toBe(false);
  });

  it('reports how a cancel ended when the task says so (e.g. what the server answered), else the user\'s cancel', async () => {
    const { runner } = await setup();
    const { LifeboatError } = await import('../../src/core/lifeboatError');
    const running = (message?: string) => {
      let started!: () => void;
      const isRunning = new Promise<void>((r) => (started = r));
      const job = runner.start({
        kind: 'test',
        title: 'Server work',
        run: async (ctx) => {
          started();
          await new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(message ? new LifeboatError('CANCELLED', message, 'Nothing was kept.') : new Error('socket closed'))),
          );
        },
      });
      return { job, isRunning };
    };
    const own = running('The server stopped BACKUP DATABASE at 40 percent.');
    await own.isRunning;
    await runner.cancel(own.job.id);
    expect((await runner.wait(own.job.id)).error).toMatchObject({ code: 'CANCELLED', message: 'The server stopped BACKUP DATABASE at 40 percent.' });
    const other = running();
    await other.isRunning;
    await runner.cancel(other.job.id);
    expect((await runner.wait(other.job.id)).error).toMatchObject({ code: 'CANCELLED', message: 'Cancelled by the user.' });
  });

  it('runs background jobs (streams, sampling) outside the concurrency limit, so backups never queue behind them', async () => {
    const { runner } = await setup();
    const forever = (ctx: { signal: AbortSignal }) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    const streams = [1, 2, 3].map((n) => runner.start({ kind: 'wal.stream', title: `stream ${n}`, background: true, run: forever }));
    const backups = [1, 2].map((n) => runner.start({ kind: 'backup', title: `backup ${n}`, run: async () => n }));
    expect((await Promise.all(backups.map((b) => runner.wait(b.id)))).map((j) => [j.state, j.result])).toEqual([['succeeded', 1], ['succeeded', 2]]);
    expect(streams.map((j) => runner.get(j.id).state)).toEqual(['running', 'running', 'running']);
    for (const j of streams) await runner.cancel(j.id);
    expect((await Promise.all(streams.map((j) => runner.wait(j.id)))).map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('reports a failed job with the error code and hint', async () => {
    const { runner } = await setup();
    const { LifeboatError } = await import('../../src/core/lifeboatError');
    const job = runner.start({ kind: 'test', title: 'Fails', run: async () => { throw new LifeboatError('NO_SPACE', 'Disk full', 'Free space'); } });
    const done = await runner.wait(job.id);
    expect(done).toMatchObject({ state: 'failed', error: { code: 'NO_SPACE', message: 'Disk full', hint: 'Free space' } });
  });

  it('marks a job that was running when the process died as interrupted and removes its partial output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-jobs-'));
    const journal = join(dir, 'jobs.jsonl');
    const partial = join(dir, 'half-written');
    await mkdir(partial);
    const running: Job = { id: 'j1', kind: 'backup', title: 'Backup', state: 'running', progress: { phase: 'copying' }, revision: 3, createdAt: new Date().toISOString() };
    // What a crashed process leaves: the running entry, then a torn line.
    await writeFile(journal, JSON.stringify({ job: running, partialOutput: [partial] }) + '\n{"job":{"id":"j1","sta');
    const runner = new JobRunner(journal, () => undefined);
    await runner.init();
    const job = runner.get('j1');
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/Interrupted/);
    expect(await exists(partial)).toBe(false);
    expect((await readFile(journal, 'utf8')).trim().split('\n').length).toBe(3);
  });

  it('runs no more jobs at once than its concurrency limit', async () => {
    const { runner } = await setup();
    let active = 0;
    let peak = 0;
    const jobs = Array.from({ length: 5 }, (_, i) =>
      runner.start({ kind: 'test', title: `J${i}`, run: async () => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 20)); active--; } }),
    );
    await Promise.all(jobs.map((j) => runner.wait(j.id)));
    expect(peak).toBe(2);
  });
});
