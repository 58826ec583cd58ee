// The backup engines a team already runs, set up for a test cluster the way their docs describe: a pgBackRest
// stanza archiving with `pgbackrest archive-push`, and a Barman server taking `backup_method = postgres`
// backups with WAL shipped by archive_command into its incoming folder. Everything lives in a temp folder
// owned by the cluster's account, which also runs the engines (their repositories' owner).
import { chown, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgCluster } from './pgCluster';
import { runProgram } from './runProgram';
import type { OsUser } from './unprivilegedUser';

export interface EngineSetup {
  root: string;
  config: string;
  /** postgresql.conf settings that archive into the engine (give them to startCluster). */
  archiveSettings: Record<string, string>;
  /** The engine's command as the cluster's account; resolves with stdout. */
  run(args: string[]): Promise<string>;
}

async function ownedFolder(path: string, user: OsUser): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chown(path, user.uid, user.gid);
}

/** Folders and the archive_command first (the cluster is started with them), the stanza once it runs. */
export async function preparePgBackRest(root: string, stanza: string, user: OsUser): Promise<EngineSetup & { create(cluster: PgCluster, extra?: string[]): Promise<void>; repo: string }> {
  const dirs = { repo: join(root, 'repo'), lock: join(root, 'lock'), log: join(root, 'log'), spool: join(root, 'spool') };
  await ownedFolder(root, user);
  for (const d of Object.values(dirs)) await ownedFolder(d, user);
  const config = join(root, 'pgbackrest.conf');
  const run = async (args: string[]) => (await runProgram('pgbackrest', [`--config=${config}`, `--stanza=${stanza}`, ...args], { user, cwd: root })).stdout;
  return {
    root,
    config,
    repo: dirs.repo,
    archiveSettings: { archive_mode: 'on', archive_command: `pgbackrest --config=${config} --stanza=${stanza} archive-push %p`, wal_level: 'replica' },
    run,
    async create(cluster, extra = []) {
      await writeFile(config, ['[global]', `repo1-path=${dirs.repo}`, 'repo1-retention-full=2', 'compress-type=gz', 'compress-level=1', `lock-path=${dirs.lock}`, `log-path=${dirs.log}`, `spool-path=${dirs.spool}`, 'start-fast=y', ...extra, '', `[${stanza}]`, `pg1-path=${cluster.dataDir}`, `pg1-port=${cluster.port}`, `pg1-socket-path=${cluster.socketDir}`, `pg1-user=${cluster.superuser}`, ''].join('\n'), { mode: 0o600 });
      await chown(config, user.uid, user.gid);
      await run(['stanza-create']);
    },
  };
}

/** Barman's home and config (barman_user = the cluster's account); the server section once the cluster runs. */
export async function prepareBarman(root: string, server: string, user: OsUser): Promise<EngineSetup & { create(cluster: PgCluster): Promise<void>; incoming: string; archiveWal(): Promise<string> }> {
  const home = join(root, 'home');
  await ownedFolder(root, user);
  await ownedFolder(home, user);
  await ownedFolder(join(root, 'conf.d'), user);
  const incoming = join(home, server, 'incoming');
  // Before the cluster starts archiving into it: failed attempts would make PostgreSQL wait a minute.
  await ownedFolder(join(home, server), user);
  await ownedFolder(incoming, user);
  const config = join(root, 'barman.conf');
  const run = async (args: string[]) => (await runProgram('barman', ['-c', config, ...args], { user, cwd: root })).stdout;
  return {
    root,
    config,
    incoming,
    archiveSettings: { archive_mode: 'on', archive_command: `test ! -f ${incoming}/%f && cp %p ${incoming}/%f`, wal_level: 'replica' },
    run,
    // What the DBA's `barman cron` does every minute: move the shipped WAL into the archive.
    archiveWal: () => run(['archive-wal', server]),
    async create(cluster) {
      const bin = cluster.binaries.dir;
      await writeFile(config, [
        '[barman]', `barman_user = ${user.name}`, `barman_home = ${home}`, `configuration_files_directory = ${join(root, 'conf.d')}`, `log_file = ${join(root, 'barman.log')}`, 'log_level = INFO', 'compression = gzip', '',
        `[${server}]`, 'description = Lifeboat test server',
        `conninfo = host=${cluster.socketDir} port=${cluster.port} user=${cluster.superuser} dbname=postgres`,
        `streaming_conninfo = host=${cluster.socketDir} port=${cluster.port} user=${cluster.superuser}`,
        'backup_method = postgres', 'archiver = on', 'streaming_archiver = off', `path_prefix = ${bin}`, '',
      ].join('\n'), { mode: 0o600 });
      await chown(config, user.uid, user.gid);
      await run(['switch-wal', '--force', '--archive', '--archive-timeout', '30', server]);
    },
  };
}

/** Removes one shipped WAL file before Barman's cron takes it in: a hole in its archive. */
export async function dropShippedSegment(incoming: string, name: string): Promise<void> {
  await rm(join(incoming, name));
}

/** pgBackRest's stored file for one WAL segment, found by listing the folder (only for the test's damage). */
export async function pgBackRestSegmentFile(repo: string, stanza: string, segment: string): Promise<string> {
  const archive = join(repo, 'archive', stanza);
  for (const id of await readdir(archive)) {
    const dir = join(archive, id, segment.slice(0, 16));
    const file = (await readdir(dir).catch(() => [] as string[])).find((f) => f.startsWith(`${segment}-`));
    if (file) return join(dir, file);
  }
  throw new Error(`segment ${segment} is not in ${archive}`);
}
