// Throwaway PostgreSQL clusters for integration tests: initdb into a temporary directory, a postmaster on a
// free loopback port running as an unprivileged account, and a handle to query, connect and stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, lchownSync, mkdirSync, readdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { Connection } from '../../src/shared/domain';
import { registerCluster, stopAndRemoveSync, stopPostmasterSync, unregisterCluster, type ClusterPlace } from './clusterCleanup';
import { freePort } from './freePort';
import { CLUSTER_DIR_PREFIX, sweepLeftoverClusters, writeOwnerFile } from './leftoverClusters';
import { findPgBinaries, type PgBinaries } from './pgBinaries';
import { childEnv, runProgram } from './runProgram';
import { writeSelfSignedCertificate } from './selfSignedCertificate';
import { clusterOsUser, runAsOptions, type OsUser } from './unprivilegedUser';
import { waitUntilAcceptingConnections } from './waitForPostgres';

export type SettingValue = string | number | boolean;

export interface StartClusterOptions {
  /** Random when not given. */
  superuserPassword?: string;
  /** Extra postgresql.conf settings; they win over the harness's own. */
  settings?: Record<string, SettingValue>;
  /** pg_hba.conf lines placed before the harness's lines, so they match first. */
  hbaLines?: string[];
  /**
   * Who the harness's own pg_hba.conf lines let in over TCP: every role (default), or only the superuser,
   * so that a role without a line of its own in hbaLines meets "no pg_hba.conf entry".
   */
  hostAccess?: 'all-roles' | 'superuser-only';
  /** ssl = on with a self-signed certificate for "localhost" (see selfSignedCertificate.ts). */
  tls?: boolean;
  /** Runs once the cluster accepts connections, e.g. to create roles and databases. */
  setup?: (cluster: PgCluster) => Promise<void>;
  /** Default 60 s; covers initdb and start-up. */
  startTimeoutMs?: number;
  /** Another server version's programs (embeddedPostgres.ts); default the installed PostgreSQL. */
  binaries?: PgBinaries;
}

export interface PgCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly baseDir: string;
  readonly dataDir: string;
  /** unix_socket_directories: the socket is socketDir/.s.PGSQL.<port>. */
  readonly socketDir: string;
  readonly logFile: string;
  readonly superuser: 'postgres';
  readonly superuserPassword: string;
  /** The account the postmaster runs as. */
  readonly osUser: OsUser;
  readonly binaries: PgBinaries;
  /** The self-signed server certificate when started with tls: true. */
  readonly certificateFile?: string;
  /** postgres://user:password@127.0.0.1:port/database, percent-encoded; superuser and "postgres" by default. */
  uri(database?: string, user?: string, password?: string): string;
  /** A Lifeboat connection to this cluster (tls disable, no stored password). */
  connection(database?: string, user?: string): Connection;
  /** One statement as the superuser through pg; rows as pg returns them (bigint and numeric as strings). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<Row[]>;
  /** One script through psql -X -A -t (unaligned, tuples only) as the superuser; returns stdout. */
  psql(sql: string, database?: string): Promise<string>;
  /** The postmaster's pid while it runs. */
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** The last lines of the server log, for failure messages. */
  logTail(lines?: number): string;
  /** Immediate shutdown, then the whole directory is removed. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StandbyPair {
  primary: PgCluster;
  standby: PgCluster;
  /** application_name the standby reports in the primary's pg_stat_replication. */
  standbyName: string;
  /** Resolves when the standby has replayed everything the primary had written when this was called. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
const HARNESS_CONF = 'lifeboat-harness.conf';
const PORT_ATTEMPTS = 3;

let swept = false;

export async function startCluster(options: StartClusterOptions = {}): Promise<PgCluster> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const place = prepareClusterDir(options.binaries);
  const password = options.superuserPassword ?? randomBytes(18).toString('base64url');
  try {
    await initdb(place, password);
    writeFileSync(join(place.dataDir, 'pg_hba.conf'), hbaText(options.hbaLines ?? [], options.hostAccess ?? 'all-roles'));
    await appendFile(join(place.dataDir, 'postgresql.conf'), `\ninclude '${HARNESS_CONF}'\n`);
    const tlsSettings: Record<string, SettingValue> = {};
    let certificateFile: string | undefined;
    if (options.tls) {
      const files = writeSelfSignedCertificate(place.baseDir, place.user);
      certificateFile = files.certFile;
      Object.assign(tlsSettings, { ssl: true, ssl_cert_file: files.certFile, ssl_key_file: files.keyFile });
    }
    const cluster = await launch(place, password, { ...tlsSettings, ...options.settings }, timeoutMs, certificateFile);
    await options.setup?.(cluster);
    return cluster;
  } catch (err) {
    stopAndRemoveSync(place);
    throw err;
  }
}

/**
 * A primary and a streaming standby made with pg_basebackup -R -c fast -X stream, each in its own directory
 * on its own port. Resolves once the primary's pg_stat_replication shows the standby streaming.
 */
export async function startPrimaryWithStandby(
  options: StartClusterOptions & { standbyName?: string } = {},
): Promise<StandbyPair> {
  const standbyName = options.standbyName ?? 'lifeboat_standby';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const primary = await startCluster({ ...options, tls: false });
  const place = prepareClusterDir();
  let standby: PgCluster;
  try {
    // The connection string goes into the standby's primary_conninfo; the password reaches pg_basebackup
    // through the environment so it never shows in a process list or an error message.
    await runProgram(
      place.binaries.path('pg_basebackup'),
      ['-D', place.dataDir, '-R', '-c', 'fast', '-X', 'stream',
        '-d', `host=${HOST} port=${primary.port} user=${SUPERUSER} application_name=${standbyName}`],
      { user: place.user, cwd: place.baseDir, env: { PGPASSWORD: primary.superuserPassword } },
    );
    standby = await launch(place, primary.superuserPassword, { ...options.settings }, timeoutMs);
    await waitUntil(
      async () => {
        const rows = await primary.query<{ state: string }>(
          'select state from pg_stat_replication where application_name = $1',
          [standbyName],
        );
        return rows[0]?.state === 'streaming';
      },
      timeoutMs,
      () => `standby ${standbyName} never reached state "streaming" on the primary.\n${primary.logTail()}`,
    );
  } catch (err) {
    stopAndRemoveSync(place);
    await primary.stop();
    throw err;
  }
  const started = standby;
  return {
    primary,
    standby: started,
    standbyName,
    async waitForReplay(replayTimeoutMs = 30_000) {
      const [{ lsn } = { lsn: '' }] = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      await waitUntil(
        async () => {
          const rows = await started.query<{ caught_up: boolean | null }>(
            'select pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up',
            [lsn],
          );
          return rows[0]?.caught_up === true;
        },
        replayTimeoutMs,
        () => `standby did not replay up to ${lsn} within ${replayTimeoutMs} ms.\n${started.logTail()}`,
      );
    },
    async stop() {
      await Promise.all([started.stop(), primary.stop()]);
    },
  };
}

/**
 * A standby of `upstream` made with pg_basebackup -R from it: when `upstream` is itself a standby, a cascade.
 * Resolves once the upstream's pg_stat_replication shows it streaming. Stop it like any other cluster.
 */
export async function startCascadedStandby(
  upstream: PgCluster,
  options: { standbyName?: string; settings?: Record<string, SettingValue>; startTimeoutMs?: number } = {},
): Promise<PgCluster> {
  const standbyName = options.standbyName ?? 'lifeboat_cascade';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const place = prepareClusterDir();
  try {
    await runProgram(
      place.binaries.path('pg_basebackup'),
      ['-D', place.dataDir, '-R', '-c', 'fast', '-X', 'stream',
        '-d', `host=${HOST} port=${upstream.port} user=${SUPERUSER} application_name=${standbyName}`],
      { user: place.user, cwd: place.baseDir, env: { PGPASSWORD: upstream.superuserPassword } },
    );
    const cluster = await launch(place, upstream.superuserPassword, { ...options.settings }, timeoutMs);
    await waitUntil(
      async () => (await upstream.query<{ state: string }>('select state from pg_stat_replication where application_name = $1', [standbyName]))[0]?.state === 'streaming',
      timeoutMs,
      () => `cascaded standby ${standbyName} never reached state "streaming" on its upstream.\n${upstream.logTail()}`,
    ).catch(async (err: unknown) => {
      await cluster.stop();
      throw err;
    });
    return cluster;
  } catch (err) {
    stopAndRemoveSync(place);
    throw err;
  }
}

/**
 * Starts a cluster on a data directory the caller fills, e.g. by unpacking a physical backup: the harness
 * gives it its own port and socket folder (its include file is rewritten), runs it as the unprivileged
 * account, and stops and removes it like any other. The superuser password is the backed-up cluster's.
 */
export async function startClusterFromDataDir(
  fill: (dataDir: string) => Promise<void>,
  superuserPassword: string,
  options: { settings?: Record<string, SettingValue>; startTimeoutMs?: number } = {},
): Promise<PgCluster> {
  const place = prepareClusterDir();
  try {
    mkdirSync(place.dataDir, { mode: 0o700 });
    await fill(place.dataDir);
    rmSync(join(place.dataDir, 'postmaster.pid'), { force: true });
    if (!readFileSync(join(place.dataDir, 'postgresql.conf'), 'utf8').includes(HARNESS_CONF))
      await appendFile(join(place.dataDir, 'postgresql.conf'), `\ninclude '${HARNESS_CONF}'\n`);
    if (place.user.switched) chownTree(place.dataDir, place.user.uid, place.user.gid);
    chmodSync(place.dataDir, 0o700);
    return await launch(place, superuserPassword, { ...options.settings }, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    stopAndRemoveSync(place);
    throw err;
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else lchownSync(child, uid, gid);
  }
}

/** A fresh temporary directory owned by the cluster's account, registered for cleanup before anything runs. */
function prepareClusterDir(binaries: PgBinaries = findPgBinaries()): ClusterPlace {
  if (!swept) {
    swept = true;
    sweepLeftoverClusters();
  }
  const user = clusterOsUser();
  const baseDir = mkdtempSync(join(tmpdir(), CLUSTER_DIR_PREFIX));
  writeOwnerFile(baseDir, binaries);
  chmodSync(baseDir, 0o700);
  if (user.switched) chownSync(baseDir, user.uid, user.gid);
  const place: ClusterPlace = { baseDir, dataDir: join(baseDir, 'data'), user, binaries };
  registerCluster(place);
  return place;
}

async function initdb(place: ClusterPlace, password: string): Promise<void> {
  const pwfile = join(place.baseDir, 'superuser.pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (place.user.switched) chownSync(pwfile, place.user.uid, place.user.gid);
  try {
    await runProgram(
      place.binaries.path('initdb'),
      ['-D', place.dataDir, '-U', SUPERUSER, '--auth-local=trust', '--auth-host=scram-sha-256',
        `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync'],
      { user: place.user, cwd: place.baseDir },
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** First match wins in pg_hba.conf, so the caller's lines go first. Replication over TCP needs its own line. */
function hbaText(extraLines: string[], hostAccess: 'all-roles' | 'superuser-only'): string {
  const tcpRoles = hostAccess === 'all-roles' ? 'all' : SUPERUSER;
  return [
    '# Written by the Lifeboat test harness.',
    '# TYPE  DATABASE     USER  ADDRESS        METHOD',
    ...extraLines,
    'local   all          all                  trust',
    `host    all          ${tcpRoles}   ${HOST}/32   scram-sha-256`,
    'local   replication  all                  trust',
    `host    replication  all   ${HOST}/32   scram-sha-256`,
    '',
  ].join('\n');
}

function harnessSettings(place: ClusterPlace, port: number): Record<string, SettingValue> {
  return {
    listen_addresses: HOST,
    port,
    unix_socket_directories: place.baseDir,
    // Durability is pointless for a cluster that is deleted in a minute, and fsync is slow on CI disks.
    fsync: false,
    wal_level: 'replica',
    max_wal_senders: 10,
    max_replication_slots: 10,
    max_connections: 40,
    shared_buffers: '32MB',
    log_line_prefix: '%m [%p] %q%u@%d ',
  };
}

function confText(settings: Record<string, SettingValue>): string {
  const quote = (value: SettingValue) =>
    typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  return ['# Written by the Lifeboat test harness for this run.', ...Object.entries(settings).map(([k, v]) => `${k} = ${quote(v)}`), ''].join('\n');
}

/** Starts the postmaster on a free port; a port taken between choosing and binding means another try. */
async function launch(
  place: ClusterPlace,
  password: string,
  settings: Record<string, SettingValue>,
  timeoutMs: number,
  certificateFile?: string,
): Promise<PgCluster> {
  const logFile = join(place.baseDir, 'postgres.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(join(place.dataDir, HARNESS_CONF), confText({ ...harnessSettings(place, port), ...settings }));
    if (place.user.switched) chownSync(join(place.dataDir, HARNESS_CONF), place.user.uid, place.user.gid);
    const postmaster = spawnPostmaster(place, logFile);
    try {
      await waitUntilAcceptingConnections(
        { host: HOST, port, user: SUPERUSER, password, database: 'postgres' },
        { timeoutMs, gaveUp: () => postmaster.exitReason() },
      );
      return clusterHandle(place, port, password, logFile, postmaster.child, certificateFile);
    } catch (err) {
      stopPostmasterSync(place);
      const log = tail(logFile, 20);
      if (attempt < PORT_ATTEMPTS && /could not bind|Address already in use/.test(log)) continue;
      throw new Error(`${(err as Error).message}\n--- ${logFile} ---\n${log}`);
    }
  }
}

function spawnPostmaster(place: ClusterPlace, logFile: string): { child: ChildProcess; exitReason(): string | undefined } {
  const logFd = openSync(logFile, 'a');
  let exited: string | undefined;
  try {
    // Detached: a Ctrl-C in the terminal reaches the test process, whose hooks stop the cluster in order,
    // rather than every postgres process at once.
    const child = spawn(place.binaries.path('postgres'), ['-D', place.dataDir], {
      cwd: place.baseDir,
      env: childEnv(),
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...runAsOptions(place.user),
    });
    child.once('exit', (code, signal) => (exited = `postmaster exited with ${code ?? signal}`));
    child.once('error', (err) => (exited = `cannot run postgres: ${err.message}`));
    child.unref();
    return { child, exitReason: () => exited };
  } finally {
    closeSync(logFd);
  }
}

function clusterHandle(
  place: ClusterPlace,
  port: number,
  password: string,
  logFile: string,
  postmaster: ChildProcess,
  certificateFile: string | undefined,
): PgCluster {
  let exited = postmaster.exitCode !== null || postmaster.signalCode !== null;
  const exit = new Promise<void>((resolve) => {
    if (exited) resolve();
    postmaster.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;

  const handle: PgCluster = {
    host: HOST,
    port,
    baseDir: place.baseDir,
    dataDir: place.dataDir,
    socketDir: place.baseDir,
    logFile,
    superuser: SUPERUSER,
    superuserPassword: password,
    osUser: place.user,
    binaries: place.binaries,
    certificateFile,
    uri(database = 'postgres', user = SUPERUSER, userPassword = user === SUPERUSER ? password : undefined) {
      const auth = userPassword === undefined ? encodeURIComponent(user) : `${encodeURIComponent(user)}:${encodeURIComponent(userPassword)}`;
      return `postgres://${auth}@${HOST}:${port}/${encodeURIComponent(database)}`;
    },
    connection(database = 'postgres', user = SUPERUSER) {
      return { host: HOST, port, database, user, tls: 'disable', password: { kind: 'none' } };
    },
    async query<Row>(sql: string, params: unknown[] = [], database = 'postgres') {
      const client = new pg.Client({ host: HOST, port, user: SUPERUSER, password, database });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    async psql(sql: string, database = 'postgres') {
      const { stdout } = await runProgram(
        place.binaries.path('psql'),
        ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', HOST, '-p', String(port), '-U', SUPERUSER, '-d', database, '-c', sql],
        { user: place.user, cwd: place.baseDir, env: { PGPASSWORD: password } },
      );
      return stdout;
    },
    get pid() {
      return exited ? undefined : postmaster.pid;
    },
    isRunning: () => !exited,
    logTail: (lines = 20) => tail(logFile, lines),
    stop() {
      stopping ??= (async () => {
        if (!exited) {
          try {
            await runProgram(place.binaries.path('pg_ctl'), ['stop', '-D', place.dataDir, '-m', 'immediate', '-w', '-t', '30'], {
              user: place.user,
              cwd: place.baseDir,
            });
          } catch {
            stopPostmasterSync(place);
          }
          // pg_ctl returns when the pid file is gone; the process itself ends a moment later.
          await Promise.race([exit, delay(10_000)]);
          if (!exited && postmaster.pid) process.kill(postmaster.pid, 'SIGKILL');
        }
        rmSync(place.baseDir, { recursive: true, force: true });
        unregisterCluster(place.baseDir);
      })();
      return stopping;
    },
  };
  return handle;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, explain: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(explain());
    await delay(50);
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
