// The PostgreSQL engine's connection test against real clusters: what it reports about versions and
// privileges, and how each way of failing reaches the DBA as a code and a hint.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../src/core/engines/postgres/postgresEngine';
import { TABLE_ACCESS_SQL } from '../../src/core/engines/postgres/connectionQueries';
import { LifeboatError } from '../../src/core/lifeboatError';
import type { Connection, TlsMode } from '../../src/shared/domain';
import { startCluster, type PgCluster } from '../support/pgCluster';
import { runProgram } from '../support/runProgram';
import { useCluster, useStandbyPair } from '../support/useCluster';

async function failureOf(promise: Promise<unknown>): Promise<LifeboatError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LifeboatError) return err;
    throw err;
  }
  throw new Error('expected the connection test to fail');
}

/** pg_dump itself, as the role would run it, to check that the engine's verdict matches the real tool. */
async function pgDump(cluster: PgCluster, database: string, user: string, password: string): Promise<string> {
  try {
    await runProgram(cluster.binaries.path('pg_dump'), ['-h', cluster.host, '-p', String(cluster.port), '-U', user, '-d', database, '-f', '/dev/null'], {
      user: cluster.osUser,
      cwd: cluster.baseDir,
      env: { PGPASSWORD: password },
    });
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Restores an environment variable the test changed; PG* variables steer the engine's fallbacks. */
function withEnv(name: string, value: string | undefined): () => void {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  return () => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  };
}

describe('against a plain cluster', () => {
  const cluster = useCluster({
    setup: async (c) => {
      await c.query('create database orders');
      await c.query('create database tenants');
      await c.query('create database locked');
      await c.query('revoke connect on database locked from public');
      await c.query(`create role login_only login password 'login-pass'`);
      await c.query(`create role replicator login replication password 'repl-pass'`);
      await c.query(`create role reader login password 'reader-pass' in role pg_read_all_data`);
      await c.query(`create role reader_bypass login bypassrls password 'bypass-pass' in role pg_read_all_data`);
      await c.psql(
        `create table customers (id int primary key, name text);
         create table invoices (id int, amount numeric);
         create sequence invoice_no;
         create table catalog (sku text);
         grant select on catalog to login_only;`,
        'orders',
      );
      await c.psql(
        `create table tenant_notes (tenant text, note text);
         alter table tenant_notes enable row level security;
         insert into tenant_notes values ('a', 'only for tenant a');`,
        'tenants',
      );
    },
  });
  let restoreEnv: (() => void)[] = [];
  afterEach(() => {
    restoreEnv.forEach((restore) => restore());
    restoreEnv = [];
  });

  const test = (connection: Partial<Connection>, password: string | undefined, timeoutMs?: number) =>
    postgresEngine.testConnection({ ...cluster.connection(), ...connection }, { password, timeoutMs });

  it('reports the version the server reports, major 15, and a superuser fit for both kinds of backup', async () => {
    const [shown] = await cluster.query<{ server_version: string; version: string }>(
      'select current_setting($1) as server_version, version() as version',
      ['server_version'],
    );
    const report = await test({}, cluster.superuserPassword);
    expect(report.serverVersion).toBe(shown!.server_version.split(' ')[0]);
    expect(report.serverVersion).toMatch(/^15\.\d+$/);
    expect(report.versionString).toBe(shown!.version);
    expect(report.majorVersion).toBe(15);
    expect(report.majorVersion).toBe(cluster.binaries.major);
    expect(report.engine).toBe('postgres');
    expect(report.currentUser).toBe('postgres');
    expect(report.privileges.physicalBackup.state).toBe('ok');
    expect(report.privileges.physicalBackup.detail).toMatch(/role postgres is a superuser.*pg_hba\.conf.*replication/);
    expect(report.privileges.logicalBackup).toEqual({ state: 'ok', detail: 'role postgres is a superuser and reads every table of database postgres' });
    expect(report.warnings).toEqual([]);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.latencyMs).toBeLessThan(10_000);
    expect(Date.now() - Date.parse(report.testedAt)).toBeLessThan(60_000);
    // What crosses a door must survive JSON unchanged.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('finds that a LOGIN-only role can neither stream nor read 3 of the 4 tables and sequences, as pg_dump finds', async () => {
    const report = await test({ database: 'orders', user: 'login_only' }, 'login-pass');
    expect(report.currentUser).toBe('login_only');
    expect(report.privileges.physicalBackup).toEqual({
      state: 'missing',
      detail: 'role login_only needs REPLICATION or superuser for pg_basebackup (ALTER ROLE login_only REPLICATION)',
    });
    expect(report.privileges.logicalBackup.state).toBe('missing');
    expect(report.privileges.logicalBackup.detail).toMatch(/^role login_only cannot read 3 of 4 tables and sequences in database orders;/);
    // The denominator: every table and sequence of the database, as the superuser sees them.
    const [census] = await cluster.query<{ relations: number; unreadable: number }>(TABLE_ACCESS_SQL, [], 'orders');
    expect(census).toEqual({ relations: 4, unreadable: 0, row_security: 0 });
    expect(await pgDump(cluster, 'orders', 'login_only', 'login-pass')).toMatch(/permission denied for (table|sequence)/);
  });

  it('gives a REPLICATION role physical backups, still without the tables', async () => {
    const report = await test({ database: 'orders', user: 'replicator' }, 'repl-pass');
    expect(report.privileges.physicalBackup.state).toBe('ok');
    expect(report.privileges.physicalBackup.detail).toMatch(/^role replicator has REPLICATION; pg_hba\.conf must also allow/);
    expect(report.privileges.logicalBackup.state).toBe('missing');
    expect(report.privileges.logicalBackup.detail).toMatch(/cannot read 4 of 4 tables and sequences in database orders/);
  });

  it('counts pg_read_all_data as reading every table', async () => {
    const report = await test({ database: 'orders', user: 'reader' }, 'reader-pass');
    expect(report.privileges.logicalBackup).toEqual({
      state: 'ok',
      detail: 'role reader can read all 4 tables and sequences of database orders as a member of pg_read_all_data',
    });
    expect(report.privileges.physicalBackup.state).toBe('missing');
    expect(await pgDump(cluster, 'orders', 'reader', 'reader-pass')).toBe('ok');
  });

  it('warns that row-level security stops pg_dump for pg_read_all_data, but not with BYPASSRLS', async () => {
    const reader = await test({ database: 'tenants', user: 'reader' }, 'reader-pass');
    expect(reader.privileges.logicalBackup.state).toBe('missing');
    expect(reader.privileges.logicalBackup.detail).toMatch(/^1 tables in database tenants have row-level security/);
    expect(await pgDump(cluster, 'tenants', 'reader', 'reader-pass')).toMatch(/row-level security/);
    const bypass = await test({ database: 'tenants', user: 'reader_bypass' }, 'bypass-pass');
    expect(bypass.privileges.logicalBackup.state).toBe('ok');
    expect(await pgDump(cluster, 'tenants', 'reader_bypass', 'bypass-pass')).toBe('ok');
  });

  it('says that TLS mode prefer connected in plain', async () => {
    const report = await test({ tls: 'prefer' }, cluster.superuserPassword);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^TLS mode "prefer" connected without TLS/);
  });

  it('fails with AUTH_FAILED on a wrong password, without repeating it', async () => {
    const err = await failureOf(test({ user: 'login_only' }, 'Wrong-Password-42'));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toBe(`Password authentication failed for role "login_only" at 127.0.0.1:${cluster.port}.`);
    expect(err.hint).toMatch(/pg_hba\.conf/);
    expect(JSON.stringify(err.toWire())).not.toContain('Wrong-Password-42');
  });

  it('fails with NOT_FOUND for a database that does not exist', async () => {
    const err = await failureOf(test({ database: 'no_such_db' }, cluster.superuserPassword));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(`Database "no_such_db" does not exist on the server at 127.0.0.1:${cluster.port}.`);
  });

  it('fails with PERMISSION_DENIED when CONNECT on the database was revoked', async () => {
    const err = await failureOf(test({ database: 'locked', user: 'login_only' }, 'login-pass'));
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.hint).toBe('Grant it: GRANT CONNECT ON DATABASE locked TO login_only;');
  });

  it('fails with TLS when TLS mode require meets a server without ssl', async () => {
    const err = await failureOf(test({ tls: 'require' }, cluster.superuserPassword));
    expect(err.code).toBe('TLS');
    expect(err.message).toMatch(/does not accept TLS connections/);
  });

  it('finds the password in PGPASSFILE when none is given, and says so when it is missing or wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-passfile-'));
    try {
      const passfile = join(dir, 'pgpass');
      writeFileSync(
        passfile,
        `# comment\n127.0.0.1:${cluster.port}:orders:login_only:login-pass\n127.0.0.1:${cluster.port}:tenants:login_only:stale-pass\n`,
      );
      chmodSync(passfile, 0o600);
      restoreEnv.push(withEnv('PGPASSFILE', passfile), withEnv('PGPASSWORD', undefined));
      const report = await test({ database: 'orders', user: 'login_only' }, undefined);
      expect(report.currentUser).toBe('login_only');
      // No line for this database: the server's password request finds nothing to send.
      const err = await failureOf(test({ database: 'postgres', user: 'login_only' }, undefined));
      expect(err.code).toBe('AUTH_FAILED');
      expect(err.message).toMatch(/asked for a password for role "login_only", and Lifeboat has none/);
      // A line with an outdated password: the hint points at the passfile, not at a stored password.
      const stale = await failureOf(test({ database: 'tenants', user: 'login_only' }, undefined));
      expect(stale.code).toBe('AUTH_FAILED');
      expect(stale.hint).toMatch(new RegExp(`passfile .* line matches 127\\.0\\.0\\.1:${cluster.port}:tenants:login_only`));
      expect(JSON.stringify(stale.toWire())).not.toContain('stale-pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('against a cluster that is not there', () => {
  it('fails with UNREACHABLE on the port of a stopped cluster, naming host and port', async () => {
    const cluster = await startCluster();
    const connection = cluster.connection();
    await cluster.stop();
    const err = await failureOf(postgresEngine.testConnection(connection, { password: cluster.superuserPassword }));
    expect(err.code).toBe('UNREACHABLE');
    expect(err.message).toBe(`Nothing accepts connections at 127.0.0.1:${connection.port}.`);
    expect(err.hint).toMatch(/listen_addresses/);
    expect(err.hint).toMatch(/firewall/);
  });

  it('fails with UNREACHABLE for a host name that does not resolve', async () => {
    const err = await failureOf(
      postgresEngine.testConnection(
        { host: 'no-such-host.invalid', port: 5432, database: 'x', user: 'x', tls: 'disable', password: { kind: 'none' } },
        { password: 'x' },
      ),
    );
    expect(err.code).toBe('UNREACHABLE');
    expect(err.message).toBe('The host name "no-such-host.invalid" cannot be resolved.');
  });

  describe('a server that accepts TCP and never answers', () => {
    let server: Server;
    let port = 0;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    });
    const silent = (): Connection => ({ host: '127.0.0.1', port, database: 'x', user: 'x', tls: 'disable', password: { kind: 'none' } });

    it('fails with TIMEOUT after the given time', async () => {
      const started = Date.now();
      const err = await failureOf(postgresEngine.testConnection(silent(), { password: 'x', timeoutMs: 400 }));
      const elapsed = Date.now() - started;
      expect(err.code).toBe('TIMEOUT');
      expect(err.message).toBe(`No answer from 127.0.0.1:${port} within 0.4 s.`);
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(2_000);
    });

    it('stops with CANCELLED as soon as the signal aborts', async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const err = await failureOf(postgresEngine.testConnection(silent(), { password: 'x', timeoutMs: 10_000, signal: controller.signal }));
      expect(err.code).toBe('CANCELLED');
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  });
});

describe('against a TLS cluster with a self-signed certificate for "localhost"', () => {
  const cluster = useCluster({
    tls: true,
    hostAccess: 'superuser-only',
    hbaLines: ['hostssl all tls_only 127.0.0.1/32 scram-sha-256', 'host all app 127.0.0.1/32 scram-sha-256'],
    setup: async (c) => {
      await c.query(`create role tls_only login password 'tls-pass'`);
      await c.query(`create role app login password 'app-pass'`);
      await c.query(`create role stranger login password 'stranger-pass'`);
    },
  });
  let restoreEnv: (() => void)[] = [];
  afterEach(() => {
    restoreEnv.forEach((restore) => restore());
    restoreEnv = [];
  });
  const test = (tls: TlsMode, user = 'app', password = 'app-pass', host = '127.0.0.1') =>
    postgresEngine.testConnection({ ...cluster.connection('postgres', user), host, tls }, { password });

  it('connects encrypted with TLS mode require, without checking the certificate', async () => {
    // tls_only has only a hostssl line: getting in at all proves the session is encrypted.
    const report = await test('require', 'tls_only', 'tls-pass');
    expect(report.currentUser).toBe('tls_only');
    expect(report.warnings).toEqual([]);
  });

  it('fails with AUTH_FAILED and a hint about hostssl when a hostssl-only role connects in plain', async () => {
    const err = await failureOf(test('disable', 'tls_only', 'tls-pass'));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/no pg_hba\.conf line that lets role "tls_only" connect to database "postgres"/);
    expect(err.message).toMatch(/no encryption/);
    expect(err.hint).toMatch(/^Add a line such as "host postgres tls_only <this machine's address>\/32 scram-sha-256"/);
    expect(err.hint).toMatch(/try TLS mode "require"/);
  });

  it('fails with AUTH_FAILED naming pg_hba.conf for a role that has no line at all', async () => {
    const err = await failureOf(test('require', 'stranger', 'stranger-pass'));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/no pg_hba\.conf line that lets role "stranger"/);
    expect(err.hint).not.toMatch(/hostssl/);
  });

  it('fails with TLS under verify-full when the certificate authority is unknown', async () => {
    restoreEnv.push(withEnv('PGSSLROOTCERT', 'system'));
    const err = await failureOf(test('verify-full'));
    expect(err.code).toBe('TLS');
    expect(err.message).toMatch(/not signed by an authority this machine trusts \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  it('with its certificate as root: verify-ca passes, verify-full fails on the name 127.0.0.1', async () => {
    restoreEnv.push(withEnv('PGSSLROOTCERT', cluster.certificateFile));
    const report = await test('verify-ca');
    expect(report.currentUser).toBe('app');
    expect(report.warnings).toEqual([]);
    const err = await failureOf(test('verify-full'));
    expect(err.code).toBe('TLS');
    expect(err.message).toBe(`The certificate of the server at 127.0.0.1:${cluster.port} is not issued for the name "127.0.0.1".`);
  });
});

describe('against a standby', () => {
  const pair = useStandbyPair();

  it('warns that the server is a standby in recovery', async () => {
    const report = await postgresEngine.testConnection(pair.standby.connection(), { password: pair.standby.superuserPassword });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^The server is a standby \(in recovery\)/);
    const primary = await postgresEngine.testConnection(pair.primary.connection(), { password: pair.primary.superuserPassword });
    expect(primary.warnings).toEqual([]);
  });
});
