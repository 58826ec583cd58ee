// The cluster harness itself: who the postmaster runs as, how it authenticates, that it replicates, and
// that nothing survives a test run, whether it ends normally, by a signal or by SIGKILL.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../support/clusterCleanup';
import { sweepLeftoverClusters } from '../support/leftoverClusters';
import { startCluster } from '../support/pgCluster';
import { CLUSTER_ACCOUNT } from '../support/unprivilegedUser';
import { useCluster, useStandbyPair } from '../support/useCluster';

const runningAsRoot = process.getuid?.() === 0;

async function connect(config: pg.ClientConfig): Promise<{ user: string } | { code: string }> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ user: string }>('select current_user as user');
    return { user: rows[0]!.user };
  } catch (err) {
    return { code: String((err as { code?: unknown }).code) };
  } finally {
    await client.end().catch(() => {});
  }
}

describe('a throwaway cluster', () => {
  const cluster = useCluster({
    settings: { work_mem: '8MB' },
    setup: async (c) => {
      await c.query(`create role orders_app login password 'orders-secret'`);
      await c.query('create database orders owner orders_app');
    },
  });

  it('runs as an unprivileged account that owns the data directory', async () => {
    const [{ data_directory } = { data_directory: '' }] = await cluster.query<{ data_directory: string }>(
      `select current_setting('data_directory') as data_directory`,
    );
    expect(data_directory).toBe(cluster.dataDir);
    const pid = cluster.pid!;
    const processUid = Number(execFileSync('ps', ['-o', 'uid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    expect(processUid).toBe(cluster.osUser.uid);
    expect(statSync(data_directory).uid).toBe(cluster.osUser.uid);
    expect(statSync(data_directory).mode & 0o777).toBe(0o700);
    if (runningAsRoot) {
      expect(cluster.osUser.name).toBe(CLUSTER_ACCOUNT);
      expect(processUid).not.toBe(0);
    } else {
      expect(processUid).toBe(process.getuid?.());
    }
  });

  it('listens on 127.0.0.1 only, with its socket in its own directory and the harness settings', async () => {
    const rows = await cluster.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings
        where name in ('listen_addresses', 'port', 'unix_socket_directories', 'fsync', 'wal_level',
                       'max_wal_senders', 'max_replication_slots', 'work_mem')
        order by name`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.setting]))).toEqual({
      fsync: 'off',
      listen_addresses: '127.0.0.1',
      max_replication_slots: '10',
      max_wal_senders: '10',
      port: String(cluster.port),
      unix_socket_directories: cluster.socketDir,
      wal_level: 'replica',
      work_mem: '8192',
    });
    expect(existsSync(join(cluster.socketDir, `.s.PGSQL.${cluster.port}`))).toBe(true);
  });

  it('asks TCP clients for a SCRAM password, including replication connections', async () => {
    const rules = await cluster.query<{ type: string; database: string[]; address: string | null; auth_method: string }>(
      `select type, database, address, auth_method from pg_hba_file_rules order by line_number`,
    );
    expect(rules.filter((r) => r.type === 'host')).toEqual([
      { type: 'host', database: ['all'], address: '127.0.0.1', auth_method: 'scram-sha-256' },
      { type: 'host', database: ['replication'], address: '127.0.0.1', auth_method: 'scram-sha-256' },
    ]);
    const [stored] = await cluster.query<{ scram: boolean }>(
      `select rolpassword like 'SCRAM-SHA-256$%' as scram from pg_authid where rolname = 'postgres'`,
    );
    expect(stored?.scram).toBe(true);
  });

  it('accepts the superuser and a role made by the setup hook with their passwords', async () => {
    expect(await connect({ connectionString: cluster.uri() })).toEqual({ user: 'postgres' });
    expect(await connect({ connectionString: cluster.uri('orders', 'orders_app', 'orders-secret') })).toEqual({
      user: 'orders_app',
    });
  });

  it('rejects a wrong password with SQLSTATE 28P01', async () => {
    expect(await connect({ connectionString: cluster.uri('postgres', 'postgres', 'not-the-password') })).toEqual({
      code: '28P01',
    });
  });

  it('answers psql as well as pg', async () => {
    expect((await cluster.psql('select 6 * 7')).trim()).toBe('42');
  });
});

describe('stopping', () => {
  it('leaves no process, no directory and no listener behind', async () => {
    const cluster = await startCluster();
    const { pid, baseDir, port } = cluster;
    expect(pid && isAlive(pid)).toBe(true);
    // The postmaster's helpers (checkpointer, walwriter...) are its children.
    expect(processesOf(pid!).length).toBeGreaterThan(3);
    const started = Date.now();
    await cluster.stop();
    const stopMs = Date.now() - started;
    expect(isAlive(pid!)).toBe(false);
    expect(existsSync(baseDir)).toBe(false);
    expect(processesOf(pid!)).toEqual([]);
    expect(await connect({ host: '127.0.0.1', port, user: 'postgres', password: cluster.superuserPassword })).toEqual({
      code: 'ECONNREFUSED',
    });
    expect(stopMs).toBeLessThan(10_000);
    // A second stop (afterAll after an explicit stop) is harmless.
    await expect(cluster.stop()).resolves.toBeUndefined();
  });
});

describe('a test process that ends without stopping its cluster', () => {
  it('stops and removes the cluster from its exit hook', async () => {
    const child = await childWithCluster('exit');
    expect(await child.ended).toEqual({ code: 0, signal: null });
    expect(isAlive(child.cluster.pid)).toBe(false);
    expect(existsSync(child.cluster.baseDir)).toBe(false);
  });

  it('stops and removes the cluster when SIGTERM arrives, then dies of that signal', async () => {
    const child = await childWithCluster('wait');
    child.process.kill('SIGTERM');
    expect(await child.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isAlive(child.cluster.pid)).toBe(false);
    expect(existsSync(child.cluster.baseDir)).toBe(false);
  });

  it('leaves a cluster on SIGKILL that the next run sweeps away', async () => {
    const child = await childWithCluster('wait');
    child.process.kill('SIGKILL');
    expect(await child.ended).toEqual({ code: null, signal: 'SIGKILL' });
    // Nothing could run in the killed process: the postmaster and its directory are still there.
    expect(isAlive(child.cluster.pid)).toBe(true);
    expect(existsSync(child.cluster.baseDir)).toBe(true);
    const removed = sweepLeftoverClusters();
    expect(removed).toContain(child.cluster.baseDir);
    expect(isAlive(child.cluster.pid)).toBe(false);
    expect(existsSync(child.cluster.baseDir)).toBe(false);
  });
});

describe('a primary with a streaming standby', () => {
  const pair = useStandbyPair();

  it('shows the standby streaming in pg_stat_replication', async () => {
    const rows = await pair.primary.query<{ application_name: string; state: string; client_addr: string }>(
      'select application_name, state, host(client_addr) as client_addr from pg_stat_replication',
    );
    expect(rows).toEqual([{ application_name: pair.standbyName, state: 'streaming', client_addr: '127.0.0.1' }]);
    const [recovery] = await pair.standby.query<{ primary: boolean; standby: boolean }>(
      'select pg_is_in_recovery() as standby',
    );
    expect(recovery?.standby).toBe(true);
    expect(pair.standby.port).not.toBe(pair.primary.port);
    expect(pair.standby.dataDir).not.toBe(pair.primary.dataDir);
  });

  it('replays on the standby a row committed on the primary', async () => {
    await pair.primary.query('create table replicated (id int primary key, note text)');
    await pair.primary.query(`insert into replicated values (1, 'written on the primary')`);
    await pair.waitForReplay();
    expect(await pair.standby.query('select id, note from replicated')).toEqual([
      { id: 1, note: 'written on the primary' },
    ]);
  });
});

/** pid and ppid of every process, from ps: the postmaster and its backends (children) should all be gone. */
function processesOf(postmasterPid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid]) => pid === postmasterPid || ppid === postmasterPid)
    .map(([pid]) => pid!);
}

interface ChildWithCluster {
  process: ReturnType<typeof spawn>;
  cluster: { baseDir: string; pid: number };
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Another Node process (as a crashed or interrupted test run would be) that starts a cluster and reports it. */
async function childWithCluster(then: 'exit' | 'wait'): Promise<ChildWithCluster> {
  const harness = fileURLToPath(new URL('../support/pgCluster.ts', import.meta.url));
  const script = `
    import { startCluster } from ${JSON.stringify(harness)};
    const cluster = await startCluster();
    process.stdout.write(JSON.stringify({ baseDir: cluster.baseDir, pid: cluster.pid }) + '\\n');
    ${then === 'exit' ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const cluster = await new Promise<{ baseDir: string; pid: number }>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve(JSON.parse(line) as { baseDir: string; pid: number });
    });
    void ended.then((how) => reject(new Error(`child ended (${JSON.stringify(how)}) before reporting: ${stderr}`)));
  });
  return { process: child, cluster, ended };
}
