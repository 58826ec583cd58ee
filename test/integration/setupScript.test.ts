// The README's first command on a machine that cannot reach Electron's download host: scripts/setup.sh still
// installs everything else, says so in one line and exits 0, and `npm start` then opens browser mode. The
// download host is made unreachable by pointing Electron's installer at a closed loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort';

/** The environment of a DBA's shell: not CI, nothing told to skip Electron's binary. */
function dbaEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.CI;
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return env;
}

describe("scripts/setup.sh without Electron's download host", () => {
  it('installs the rest, says so in one line, and npm start opens browser mode', async () => {
    // The run must not reinstall node_modules under the running tests: the checkout is set up already.
    const [stamp, lock] = await Promise.all([stat('node_modules/.lifeboat-installed'), stat('package-lock.json')]);
    expect(stamp.mtimeMs, 'node_modules is older than package-lock.json: run bash scripts/setup.sh first').toBeGreaterThanOrEqual(lock.mtimeMs);
    const closed = await freePort();
    const env = dbaEnv({ ELECTRON_MIRROR: `http://127.0.0.1:${closed}/`, electron_config_cache: await mkdtemp(join(tmpdir(), 'lifeboat-electron-cache-')) });
    const setup = spawnSync('bash', ['scripts/setup.sh'], { env, encoding: 'utf8', timeout: 300_000 });
    expect(setup.status, setup.stderr).toBe(0);
    const lines = setup.stdout.trim().split('\n');
    expect(lines.filter((l) => l.includes('Electron'))).toEqual([expect.stringMatching(/^Electron's binary could not be downloaded \(.*ECONNREFUSED.*\): npm start will open browser mode; retry later with: node node_modules\/electron\/install\.js$/)]);
    expect(lines.at(-1)).toBe('Setup complete.');
    // The CLI was built by the setup.
    expect((await stat('out/cli/lifeboat.mjs')).mtimeMs).toBeGreaterThan(stamp.mtimeMs);

    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-start-'));
    const start = spawn('npm', ['start', '--', '--port', String(port), '--config', join(dir, 'fleet.yaml'), '--data-dir', join(dir, 'data')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        start.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
          if (m) resolve(m[1]!);
        });
        start.stderr.on('data', (d: Buffer) => (output += d.toString()));
        start.once('exit', (code) => reject(new Error(`npm start exited ${code} before serving:\n${output}`)));
      });
      expect(output).toContain('The Electron binary is not installed');
      expect(url).toContain(`:${port}/`);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      // npm, the start script and the web host: the whole group.
      if (start.pid) process.kill(-start.pid, 'SIGTERM');
    }
  });
});
