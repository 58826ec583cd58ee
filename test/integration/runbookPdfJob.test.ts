// A runbook PDF is a job printed by a real Chromium (playwright-core): cancelled while Chromium prints, the job
// ends cancelled, no file is written and no Chromium process is left; run to the end, the file is a real PDF
// (read back with pdftotext) and the job's result carries no bytes.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { ExportedDocument } from '../../src/shared/runbookContract';
import { startTestCore, type TestCore } from '../support/testCore';
import { until } from '../support/until';

let t: TestCore;

/** Processes below root (this test by default) whose command line names Chromium (the browser and its
 * helpers), zombies left out. */
function chromiumProcesses(root = process.pid): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      if (fields[0] !== 'Z') parentOf.set(Number(name), Number(fields[1]));
    } catch {
      // It ended while we looked.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === root) return true;
    return false;
  };
  return [...parentOf.keys()].filter((pid) => {
    if (!below(pid)) return false;
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Every process on the machine whose environment holds this NAME=value. */
function processesWith(variable: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(variable);
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  t = await startTestCore();
  // Servers that answer nothing (a closed port): the runbooks say "unknown" for their facts, quickly.
  for (let i = 1; i <= 12; i++)
    await t.call('services.add', { service: { id: `svc-${i}`, name: `Service number ${i}`, engine: 'postgres', connection: { host: '127.0.0.1', port: 1, database: `db${i}`, user: 'backup', password: { kind: 'none' } } } });
});

afterAll(async () => {
  await t?.close();
});

describe('a runbook PDF as a job', () => {
  it('cancelled while Chromium prints: the job is cancelled, no file is written, no Chromium is left', async () => {
    const out = join(t.dir, 'cancelled.pdf');
    const phases: string[] = [];
    let cancel: Promise<Job> | undefined;
    let chromiumWhenCancelled = 0;
    let started: Job | undefined;
    // Cancel at the moment the job says it is printing: Chromium is up with the document.
    const unsubscribe = t.core.events.subscribe((name, payload) => {
      const job = payload as Job;
      if (name !== 'job.changed' || job.kind !== 'runbooks.pdf') return;
      phases.push(job.progress.phase);
      if (job.progress.phase === 'printing' && !cancel) {
        chromiumWhenCancelled = chromiumProcesses().length;
        cancel = t.call('jobs.cancel', { id: job.id });
      }
    });
    try {
      started = await t.call('runbooks.exportPdf', { document: { kind: 'runbooks' }, path: out });
      expect(started).toMatchObject({ kind: 'runbooks.pdf', title: 'PDF of every runbook', state: 'queued' });
      const done = await t.core.jobs.wait(started.id);
      expect(cancel).toBeDefined();
      expect((await cancel!).id).toBe(started.id);
      expect(chromiumWhenCancelled).toBeGreaterThan(0);
      expect(done.state).toBe('cancelled');
      expect(done.error).toMatchObject({ code: 'CANCELLED' });
    } finally {
      unsubscribe();
    }
    expect(phases).toEqual(expect.arrayContaining(['gathering the facts', 'starting Chromium', 'printing']));
    expect(phases).not.toContain(`writing ${out}`);
    expect(await readdir(t.dir)).not.toContain('cancelled.pdf');
    expect((await readdir(t.dir)).filter((n) => n.includes('cancelled.pdf'))).toEqual([]);
    expect(chromiumProcesses()).toEqual([]);
  });

  it('run to the end: a real PDF at the path, and one handed over in bytes for a download', async () => {
    const out = join(t.dir, 'svc-1-runbook.pdf');
    const job = await t.core.jobs.wait((await t.call('runbooks.exportPdf', { document: { kind: 'runbook', serviceId: 'svc-1' }, path: out })).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const doc = job.result as ExportedDocument;
    expect(doc).toMatchObject({ path: out, mediaType: 'application/pdf', fileName: expect.stringMatching(/^runbook-svc-1-\d{4}-\d\d-\d\d\.pdf$/) });
    expect(doc.base64).toBeUndefined();
    expect(doc.bytes).toBe((await stat(out)).size);
    const { stdout: text } = await promisify(execFile)('pdftotext', ['-layout', out, '-']);
    expect(text).toContain('Runbook: Service number 1 (svc-1)');

    const forDownload = await t.core.jobs.wait((await t.call('runbooks.exportPdf', { document: { kind: 'runbook', serviceId: 'svc-2' } })).id);
    expect(forDownload.state).toBe('succeeded');
    expect(JSON.stringify(forDownload.result)).not.toContain('base64');
    const file = await t.call('runbooks.pdfFile', { jobId: forDownload.id });
    expect(Buffer.from(file.base64!, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.bytes).toBe(Buffer.from(file.base64!, 'base64').length);
    // The journal keeps the job, not the document.
    expect(await readFile(join(t.dataDir, 'state', 'jobs.jsonl'), 'utf8')).not.toContain(file.base64!.slice(0, 64));
    await expect(t.call('runbooks.pdfFile', { jobId: job.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: `The PDF of job ${job.id} was written to ${out}.` });
    await until('no Chromium left', async () => chromiumProcesses().length === 0, 10_000);
  });

  it('lifeboat runbook --format pdf: Ctrl+C while Chromium runs cancels it (exit 8), no file, no Chromium left', async () => {
    const out = join(t.dir, 'interrupted.pdf');
    // Chromium inherits the CLI's environment: the mark finds it even if it outlived the CLI (reparented).
    const mark = `LIFEBOAT_TEST_MARK=${randomBytes(8).toString('hex')}`;
    const child = spawn('node', ['bin/lifeboat.mjs', 'runbook', '--all', '--format', 'pdf', '--out', out, '--config', t.configPath, '--data-dir', join(t.dir, 'cli-data')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [mark.split('=')[0]!]: mark.split('=')[1]! },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until('Chromium started by the CLI', async () => chromiumProcesses(child.pid).length > 0 || child.exitCode !== null, 60_000);
    expect(child.exitCode, stderr).toBeNull();
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(8);
    expect(stderr).toMatch(/error CANCELLED: /);
    expect(await readdir(t.dir)).not.toContain('interrupted.pdf');
    expect(processesWith(mark)).toEqual([]);
  });

  it('refuses a service that does not exist before starting a job', async () => {
    await expect(t.call('runbooks.exportPdf', { document: { kind: 'runbook', serviceId: 'nope' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(t.core.jobs.list().filter((j) => j.kind === 'runbooks.pdf')).toHaveLength(3);
  });
});
