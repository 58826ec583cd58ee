// The CLI door against a real cluster: what a script sees (JSON, exit codes), and where the password goes.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from '../support/useCluster';
import { runCli } from '../support/runCli';
import { countFiles, filesContaining } from '../support/filesContaining';
import { freePort } from '../support/freePort';
import { EXIT_CODES } from '../../src/shared/errors';

const password = `p@ss:w/rd-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
  },
});
let dir: string;
let globals: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-cli-'));
  globals = ['--config', join(dir, 'fleet.yaml'), '--data-dir', join(dir, 'data')];
});

describe('lifeboat services (CLI)', () => {
  it('adds a service from a PostgreSQL URI and reports the real server version', async () => {
    const add = await runCli([...globals, 'services', 'add', '--id', 'orders', '--owner', 'team-checkout', '--uri', cluster.uri('orders')]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('password is in the OS keychain');

    const test = await runCli([...globals, 'services', 'test', 'orders', '--json']);
    expect(test.code).toBe(0);
    const report = JSON.parse(test.stdout);
    // "15.18 (Debian 15.18-0+deb12u1)": Lifeboat reports the version number itself.
    const server_version = (await cluster.query<{ server_version: string }>('show server_version'))[0]!.server_version.split(' ')[0]!;
    expect(report.serverVersion).toBe(server_version);
    expect(report.majorVersion).toBe(15);
    expect(report.privileges.physicalBackup.state).toBe('ok');

    const list = await runCli([...globals, 'services', 'list', '--json']);
    const views = JSON.parse(list.stdout);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ service: { id: 'orders', owner: 'team-checkout', connection: { port: cluster.port } }, health: 'ok', hasStoredPassword: true });
    expect(views[0].lastTest.report.serverVersion).toBe(server_version);

    const human = await runCli([...globals, 'services', 'list']);
    expect(human.stdout).toMatch(new RegExp(`orders\\s+orders\\s+PostgreSQL\\s+${server_version.replace('.', '\\.')}`));
  });

  it('keeps the password out of every file it writes', async () => {
    const config = await readFile(join(dir, 'fleet.yaml'), 'utf8');
    expect(config).toContain('kind: keychain');
    expect(await countFiles([dir])).toBeGreaterThanOrEqual(3); // fleet file, log, status
    expect(await filesContaining([dir], password)).toEqual([]);
    expect(await filesContaining([dir], encodeURIComponent(password))).toEqual([]);
  });

  it('exits with the AUTH_FAILED class for a wrong password, with a hint', async () => {
    await runCli([...globals, 'services', 'add', '--id', 'wrongpw', '--uri', cluster.uri('orders', 'postgres', 'not-the-password')]);
    const test = await runCli([...globals, 'services', 'test', 'wrongpw', '--json']);
    expect(test.code).toBe(EXIT_CODES.AUTH_FAILED);
    expect(JSON.parse(test.stdout).error.code).toBe('AUTH_FAILED');
    expect(test.stderr).toMatch(/hint: /);
  });

  it('calls an unknown option bad input, not a bug', async () => {
    for (const args of [['runbook', '--all', '--bogus'], ['report', '--bogus']]) {
      const run = await runCli([...globals, ...args, '--json']);
      expect(run.code).toBe(EXIT_CODES.INVALID_INPUT);
      expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('--bogus') });
    }
  });

  it('exits with the UNREACHABLE class when nothing listens', async () => {
    const port = await freePort();
    await runCli([...globals, 'services', 'add', '--id', 'down', '--no-password', '--uri', `postgres://postgres@127.0.0.1:${port}/orders`]);
    const test = await runCli([...globals, 'services', 'test', 'down', '--json']);
    expect(test.code).toBe(EXIT_CODES.UNREACHABLE);
    expect(JSON.parse(test.stdout).error.code).toBe('UNREACHABLE');
  });

  it('takes the password from an environment variable named in the fleet file', async () => {
    await runCli([...globals, 'services', 'add', '--id', 'fromenv', '--password-env', 'ORDERS_PG_PASSWORD', '--uri', `postgres://postgres@127.0.0.1:${cluster.port}/orders`]);
    const missing = await runCli([...globals, 'services', 'test', 'fromenv', '--json']);
    expect(missing.code).toBe(EXIT_CODES.CONFIG_INVALID);
    expect(JSON.parse(missing.stdout).error.message).toContain('ORDERS_PG_PASSWORD');
    const ok = await runCli([...globals, 'services', 'test', 'fromenv', '--json'], { env: { ORDERS_PG_PASSWORD: password } });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).currentUser).toBe('postgres');
    expect(await readFile(join(dir, 'fleet.yaml'), 'utf8')).toContain('variable: ORDERS_PG_PASSWORD');
  });

  it('refuses bad input with exit code 2 and names the field', async () => {
    const bad = await runCli([...globals, 'services', 'add', '--id', 'Not Valid', '--uri', cluster.uri('orders')]);
    expect(bad.code).toBe(EXIT_CODES.INVALID_INPUT);
    expect(bad.stderr).toContain('service.id');
    const dup = await runCli([...globals, 'services', 'add', '--id', 'orders', '--uri', cluster.uri('orders')]);
    expect(dup.code).toBe(EXIT_CODES.CONFLICT);
  });

  it('removes a service and its stored password', async () => {
    const removed = await runCli([...globals, 'services', 'remove', 'wrongpw', '--json']);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: 'wrongpw' });
    const list = JSON.parse((await runCli([...globals, 'services', 'list', '--json'])).stdout) as Array<{ service: { id: string } }>;
    expect(list.map((v) => v.service.id).sort()).toEqual(['down', 'fromenv', 'orders']);
    const gone = await runCli([...globals, 'services', 'test', 'wrongpw']);
    expect(gone.code).toBe(EXIT_CODES.NOT_FOUND);
  });
});
