// The job journal and the notifications file over a year of schedules: compacted to what the views show,
// atomically, and a compaction cut short by a crash loses nothing.
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/core/jobs/jobRunner';
import { latestEntries, selectJournalEntries, type JournalEntry } from '../../src/core/jobs/journalRetention';
import { EventHub } from '../../src/core/eventHub';
import { FleetFile } from '../../src/core/inventory/fleetFile';
import { ActivityLog } from '../../src/core/logging/activityLog';
import { Notifier } from '../../src/core/monitoring/notifier';
import { parseJsonLines } from '../../src/core/storage/compactJsonLines';
import type { Job } from '../../src/shared/jobs';
import type { NotificationRecord } from '../../src/shared/monitoring';
import { ManualClock } from '../support/manualClock';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T12:00:00Z');

/** A year of two services' hourly log backups and nightly verifications, as the journal holds them: a line
 * when queued, one when running, one when finished; every 97th job fails. The last job is still running. */
function yearOfJournal(): { lines: JournalEntry[]; jobs: Job[] } {
  const lines: JournalEntry[] = [];
  const jobs: Job[] = [];
  let n = 0;
  for (let t = NOW - 365 * DAY; t < NOW; t += 3_600_000) {
    const kinds = new Date(t).getUTCHours() === 2 ? ['backup.logical', 'verify'] : ['backup.logical'];
    for (const service of ['orders', 'billing'])
      for (const kind of kinds) {
        n++;
        const base: Job = { id: `job-${String(n).padStart(6, '0')}`, kind, serviceId: service, title: `${kind} of ${service}`, state: 'queued', progress: { phase: 'queued' }, revision: 1, createdAt: new Date(t).toISOString() };
        const running: Job = { ...base, state: 'running', revision: 2, startedAt: new Date(t + 1000).toISOString(), progress: { phase: 'starting' } };
        const failed = n % 97 === 0;
        const final: Job = failed
          ? { ...running, state: 'failed', revision: 3, finishedAt: new Date(t + 60_000).toISOString(), error: { code: 'UNREACHABLE', message: `${service} did not answer`, hint: 'Check the server.' } }
          : { ...running, state: 'succeeded', revision: 3, finishedAt: new Date(t + 60_000).toISOString(), result: { backupId: `${service}-${n}` } };
        lines.push({ job: base }, { job: running, partialOutput: [`/repo/${service}/backups/${n}`] }, { job: final });
        jobs.push(final);
      }
  }
  const last = lines.at(-2)!;
  lines.pop(); // the newest job never finished: Lifeboat was stopped while it ran
  jobs[jobs.length - 1] = last.job;
  return { lines, jobs };
}

const ended = (j: Job) => Date.parse(j.finishedAt ?? j.createdAt);
const jsonl = (entries: unknown[]) => entries.map((e) => JSON.stringify(e) + '\n').join('');

describe('the job journal over a year of schedules', () => {
  it('keeps each job once: the last 90 days, the year\'s failures, unfinished and referenced jobs', () => {
    const { lines, jobs } = yearOfJournal();
    const oldReferenced = jobs[10]!.id; // a schedule's last run that no longer runs, say
    const kept = selectJournalEntries(lines, NOW, new Set([oldReferenced]));
    const ids = kept.map((e) => e.job.id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = jobs.filter((j) => NOW - ended(j) <= 90 * DAY || (j.state === 'failed' && NOW - ended(j) <= 366 * DAY) || j.state === 'running' || j.id === oldReferenced);
    expect(ids.sort()).toEqual(expected.map((j) => j.id).sort());
    // Each kept job is its newest state, with the partial output the running one still has to clean.
    expect(kept.find((e) => e.job.id === jobs.at(-2)!.id)!.job.state).toBe('succeeded');
    expect(kept.find((e) => e.job.id === jobs.at(-1)!.id)).toMatchObject({ job: { state: 'running' }, partialOutput: [expect.stringContaining('/repo/')] });
    expect(latestEntries(lines)).toHaveLength(jobs.length);
  });

  it('compacts at start to a bounded file, keeps the newest, the views\' jobs and what is referenced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-compact-'));
    const path = join(dir, 'jobs.jsonl');
    const { lines, jobs } = yearOfJournal();
    await writeFile(path, jsonl(lines));
    const before = (await stat(path)).size;
    const runner = new JobRunner(path, () => undefined, 2, { now: () => NOW });
    await runner.init();
    const oldReferenced = jobs[5]!.id;
    runner.keepJobsReferencedBy(() => [oldReferenced]);
    const last30Days = (list: Job[]) => list.filter((j) => j.state !== 'running' && NOW - ended(j) <= 30 * DAY).map((j) => `${j.id} ${j.state}`).sort();
    const shownBefore = last30Days(runner.list());

    await runner.compact();

    const after = (await stat(path)).size;
    expect(before).toBeGreaterThan(10 * 1024 * 1024);
    expect(after).toBeLessThan(before / 8);
    expect(after).toBeLessThan(2 * 1024 * 1024);
    const entries = parseJsonLines<JournalEntry>(await readFile(path, 'utf8'));
    expect(entries.length).toBe(new Set(entries.map((e) => e.job.id)).size);
    // The newest job (interrupted at start), the dashboard's 30 days and the year's failures are all there.
    expect(runner.get(jobs.at(-1)!.id)).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/Interrupted/) } });
    expect(last30Days(runner.list())).toEqual(shownBefore);
    expect(runner.list().filter((j) => j.state === 'failed' && j.error?.code === 'UNREACHABLE').length).toBe(jobs.filter((j) => j.state === 'failed').length);
    expect(runner.get(oldReferenced).id).toBe(oldReferenced);
    // What was dropped is gone from memory too, and a restart reads the same list.
    expect(() => runner.get(jobs[6]!.id)).toThrow(/No job/);
    const again = new JobRunner(path, () => undefined);
    await again.init();
    expect(again.list()).toEqual(runner.list());
  });

  it('a compaction cut short by a crash (its temp file left beside the journal) loses nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-compact-'));
    const path = join(dir, 'jobs.jsonl');
    const { lines, jobs } = yearOfJournal();
    await writeFile(path, jsonl(lines));
    // A dead process's half-written compaction: the journal it was about to replace is untouched.
    const leftover = join(dir, '.jobs.jsonl.tmp-99999999-0badc0de');
    await writeFile(leftover, jsonl(lines.slice(-500, -400)).slice(0, 10_000));

    const runner = new JobRunner(path, () => undefined, 2, { now: () => NOW });
    await runner.init();
    expect(runner.list()).toHaveLength(jobs.length);
    await runner.compact();
    expect(await readdir(dir)).toEqual(['jobs.jsonl']);
    const kept = selectJournalEntries(lines, NOW, new Set()).map((e) => e.job.id);
    expect(runner.list().map((j) => j.id).sort()).toEqual(kept.sort());
  });

  it('compacts while jobs run once the journal passes its size, and no job finished meanwhile is lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-compact-'));
    const path = join(dir, 'jobs.jsonl');
    const runner = new JobRunner(path, () => undefined, 2, { compactAboveBytes: 16 * 1024 });
    await runner.init();
    await runner.compact(); // what a long-lived door does at start; from then on it compacts by itself
    const started = Array.from({ length: 300 }, (_, i) => runner.start({ kind: 'test', title: `Job ${i}`, run: async (ctx) => { ctx.progress({ phase: 'working' }); return { i }; } }));
    await Promise.all(started.map((j) => runner.wait(j.id)));
    await runner.compact(); // waits for every append and compaction in flight, then one more
    const size = (await stat(path)).size;
    const entries = parseJsonLines<JournalEntry>(await readFile(path, 'utf8'));
    expect(entries).toHaveLength(300);
    expect(size).toBeLessThan(300 * 3 * 250); // one line per job, not one per state change
    const reopened = new JobRunner(path, () => undefined);
    await reopened.init();
    expect(reopened.list().map((j) => [j.title, j.state, j.result])).toEqual(started.map((j, i) => [j.title, 'succeeded', { i }]));
  });

  it('never compacts in a core that did not ask to (a one-shot CLI command beside a running app)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-compact-'));
    const path = join(dir, 'jobs.jsonl');
    const runner = new JobRunner(path, () => undefined, 2, { compactAboveBytes: 4 * 1024 });
    await runner.init();
    const started = Array.from({ length: 40 }, (_, i) => runner.start({ kind: 'test', title: `Job ${i}`, run: async () => i }));
    await Promise.all(started.map((j) => runner.wait(j.id)));
    expect(parseJsonLines<JournalEntry>(await readFile(path, 'utf8')).length).toBe(40 * 3);
  });
});

describe('the notifications file over a year', () => {
  async function notifier(dir: string) {
    const path = join(dir, 'state', 'notifications.jsonl');
    const n = new Notifier({ events: new EventHub(), fleet: FleetFile.parse(join(dir, 'fleet.yaml'), 'version: 1\n'), secrets: undefined as never, log: new ActivityLog(join(dir, 'lifeboat.log')), clock: new ManualClock(NOW), path });
    await n.load();
    return { n, path };
  }

  it('keeps the newest 500 (more than any view shows) at start, atomically, and removes a crashed compaction\'s temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-notify-'));
    const year: NotificationRecord[] = Array.from({ length: 365 * 12 }, (_, i) => ({ id: `n${i}`, at: new Date(NOW - 365 * DAY + i * 2 * 3_600_000).toISOString(), kind: 'job-failed', severity: 'critical', title: `Failed ${i}`, message: 'did not answer', jobId: `job-${i}` }));
    const { path } = await notifier(dir);
    await mkdir(join(dir, 'state'));
    await writeFile(path, jsonl(year));
    await writeFile(join(dir, 'state', '.notifications.jsonl.tmp-99999999-0badc0de'), jsonl(year.slice(0, 3)));
    const { n } = await notifier(dir);
    const shown = n.list(500);
    await n.compact();
    expect(await readdir(join(dir, 'state'))).toEqual(['notifications.jsonl']);
    const kept = parseJsonLines<NotificationRecord>(await readFile(path, 'utf8'));
    expect(kept.map((k) => k.id)).toEqual(year.slice(-500).map((y) => y.id));
    const reloaded = await notifier(dir);
    expect(reloaded.n.list(500)).toEqual(shown);
  });

  it('compacts as it goes, so a busy year never grows the file past twice what is kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-notify-'));
    const { n, path } = await notifier(dir);
    let largest = 0;
    for (let i = 0; i < 1300; i++) {
      await n.notify({ kind: 'rpo-breach', severity: 'warning', serviceId: 'orders', title: `RPO ${i}`, message: 'late' });
      if (i % 100 === 99) {
        await n.whenIdle();
        largest = Math.max(largest, parseJsonLines(await readFile(path, 'utf8')).length);
      }
    }
    await n.whenIdle();
    expect(largest).toBeLessThanOrEqual(1000);
    const lines = parseJsonLines<NotificationRecord>(await readFile(path, 'utf8'));
    expect(lines.at(-1)!.title).toBe('RPO 1299');
    expect(lines.length).toBeGreaterThanOrEqual(500);
    expect(n.list(3).map((x) => x.title)).toEqual(['RPO 1299', 'RPO 1298', 'RPO 1297']);
  });
});
