// A long answer reaches a pipe whole: `lifeboat runbook --all` for a fleet of 600 services is megabytes of
// Markdown, which Node may hand to a pipe asynchronously once the pipe is full; the CLI must not exit before
// the pipe has taken it all (`lifeboat runbook --all | less`, or a script reading the output). Before the fix
// the answer stopped mid-line after a few hundred runbooks.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

describe('the CLI writing into a pipe', () => {
  it('prints every runbook of a 600-service fleet, not the first pipefuls', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-long-'));
    const config = join(dir, 'fleet.yaml');
    // Port 1 on loopback refuses at once: every server fact is unknown, quickly, and every runbook is printed.
    const services = Array.from({ length: 600 }, (_, i) => ({ id: `svc-${i}`, name: `Service ${i}`, engine: 'postgres', connection: { host: '127.0.0.1', port: 1, database: 'app', user: 'app', password: { kind: 'none' } } }));
    await writeFile(config, stringify({ version: 1, services }));
    const child = spawn(process.execPath, ['bin/lifeboat.mjs', '--config', config, '--data-dir', join(dir, 'data'), 'runbook', '--all', '--format', 'md'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(2 * 1024 * 1024); // many times what a pipe holds (64 KiB)
    expect(stdout.match(/^# Runbook: Service \d+ \(svc-\d+\)$/gm)).toHaveLength(600);
    expect(stdout.trimEnd().split('\n').at(-1)).not.toBe('');
  });
});
