// The exact commands to restore a whole cluster on its own server, for a DBA at the console and for the
// runbooks: stop, keep the old data directory, unpack the base backup with Lifeboat, recover to the target
// with WAL that Lifeboat's prefetcher stages ahead of replay, check. Placeholders only where nothing can
// know the value (the data directory when the server is unreachable).
import type { RestoreCommandsView } from '../../shared/recovery';
import type { Service } from '../../shared/domain';
import { withPgClient } from '../engines/postgres/pgClient';
import type { BackupRepository } from '../repository/backupRepository';
import { planRestore, STALE_RECOVERY_LINE, type RestorePlan, type RestoreTarget } from './planRestore';
import type { WalEntry } from './walArchive';
import { shellQuote } from '../shellQuote';
import { restoreCommand } from './serverArchiveCommands';
import { mapTablespaces } from '../backups/fetchBackup';
import { SPOOL_NAME, spoolPaths } from './walSpool';

/** Segments the prefetcher keeps staged ahead of replay in a whole-cluster restore (16 MB each). */
export const RESTORE_PREFETCH_DEPTH = 16;

/**
 * restore_command for a whole-cluster restore: a segment the prefetcher has already staged (decrypted and
 * checked against the archive's SHA-256 as it was fetched) is moved into place by the shell PostgreSQL runs
 * restore_command with, so replay never waits for a process to start; only a file not staged yet (the
 * first, a history file, one the prefetcher has not reached) goes to `lifeboat wal-get`, which fetches it
 * and keeps the prefetcher ahead. PostgreSQL checks every record's CRC as it replays.
 */
export function stagedRestoreCommand(walGet: string): string {
  // Relative to the data directory, where PostgreSQL runs restore_command.
  return `mv ${spoolPaths(`pg_wal/${SPOOL_NAME}`).get}/%f %p 2>/dev/null || ${walGet}`;
}

export function restoreCommands(o: {
  service: Service;
  plan: RestorePlan;
  repo: BackupRepository;
  configPath: string;
  dataDirectory?: string;
  encrypted: boolean;
  /** Where the key file sits on the server (serverKeyFile()). */
  keyFile: string;
  /** A tablespace's original location → where to restore it. */
  tablespaceMapping?: Record<string, string>;
}): RestoreCommandsView {
  const pgdata = o.dataDirectory ?? '<PGDATA: the server\'s data directory>';
  // Tablespaces restored where they were must have their current folders kept aside, like the data directory;
  // mapped ones go to a folder that must be empty (backup-fetch checks).
  const tablespaces = mapTablespaces(o.plan.backup.physical?.tablespaces ?? [], o.tablespaceMapping);
  const inPlace = (o.plan.backup.physical?.tablespaces ?? []).filter((t) => tablespaces.get(t.oid) === t.location);
  const mappingFlags = Object.entries(o.tablespaceMapping ?? {}).map(([from, to]) => ` --tablespace-mapping ${shellQuote(`${from}=${to}`)}`).join('');
  const cfg = `--config ${shellQuote(o.configPath)}`;
  const keyEnv = o.encrypted ? `LIFEBOAT_KEY_FILE=${shellQuote(o.keyFile)} ` : '';
  const walGet = restoreCommand({ serviceId: o.service.id, configPath: o.configPath, encrypted: o.encrypted, keyFile: o.keyFile }, RESTORE_PREFETCH_DEPTH);
  const settings: Array<[string, string]> = [['restore_command', stagedRestoreCommand(walGet)], ...Object.entries(o.plan.recoverySettings), ['recovery_target_action', 'promote']];
  const autoConf = shellQuote(`${pgdata}/postgresql.auto.conf`);
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const confLines = settings.map(([k, v]) => `${k} = ${k === 'recovery_target_inclusive' ? v : q(v)}`);
  const stamp = new Date().toISOString().slice(0, 10);
  return {
    serviceId: o.service.id,
    backupId: o.plan.backup.id,
    target: o.plan.describe,
    steps: [
      {
        title: 'Stop PostgreSQL',
        why: 'Recovery needs the data directory to itself.',
        commands: [`pg_ctl -D ${shellQuote(pgdata)} stop -m fast`],
      },
      {
        title: inPlace.length ? 'Keep the current data directory and tablespaces' : 'Keep the current data directory',
        why: 'Nothing is deleted: if the restore is not what you need, move it back.',
        commands: [pgdata, ...inPlace.map((t) => t.location)].flatMap((dir) => [`mv ${shellQuote(dir)} ${shellQuote(`${dir}.before-restore-${stamp}`)}`, `mkdir -m 700 ${shellQuote(dir)}`]),
      },
      {
        title: `Unpack base backup ${o.plan.backup.id}`,
        why: `The newest physical backup that finished before the target (${o.plan.backup.finishedAt}); Lifeboat checks every byte while unpacking${tablespaces.size ? `, and puts its ${tablespaces.size === 1 ? 'tablespace' : `${tablespaces.size} tablespaces`} at ${[...tablespaces.values()].join(', ')} (--tablespace-mapping OLD=NEW puts one elsewhere)` : ''}.`,
        commands: [`${keyEnv}lifeboat backup-fetch ${o.plan.backup.id} --to ${shellQuote(pgdata)}${mappingFlags} ${cfg}`],
      },
      {
        title: `Configure recovery to ${o.plan.describe}`,
        why: `Lifeboat stages the WAL from the repository (${o.repo.root}) ${RESTORE_PREFETCH_DEPTH} segments ahead of replay, each decrypted and checked; PostgreSQL replays it, stops at the target and promotes, and the staging folder is removed when recovery ends.`,
        commands: [
          // An earlier restore's lines, which the backup may carry, would steer this one: out with them first.
          `{ grep -vE '${STALE_RECOVERY_LINE.source.replace(/\\s/g, '[[:space:]]')}' ${autoConf} || true; } > ${autoConf}.lifeboat && mv ${autoConf}.lifeboat ${autoConf}`,
          `cat >> ${autoConf} <<'LIFEBOAT'\n# Point-in-time restore by Lifeboat\n${confLines.join('\n')}\nLIFEBOAT`,
          `touch ${shellQuote(`${pgdata}/recovery.signal`)}`,
        ],
      },
      {
        title: 'Start PostgreSQL and wait for recovery',
        why: `The server replays WAL, then promotes (pg_ctl returns as soon as it accepts connections, so the loop waits for pg_is_in_recovery() to say f); its log goes to ${pgdata}.restore-${stamp}.log.`,
        commands: [
          `pg_ctl -D ${shellQuote(pgdata)} -l ${shellQuote(`${pgdata}.restore-${stamp}.log`)} -w -t 3600 start`,
          `until [ "$(psql -X -At -c 'select pg_is_in_recovery()')" = f ]; do sleep 2; done`,
          `psql -X -At -c 'select pg_last_xact_replay_timestamp()'`,
        ],
      },
      {
        title: 'Remove the recovery settings',
        why: 'PostgreSQL leaves them in postgresql.auto.conf, where they would steer any later restore of this server\'s backups.',
        commands: [`psql -X ${settings.map(([k]) => `-c 'ALTER SYSTEM RESET ${k}'`).join(' ')} -c 'select pg_reload_conf()'`],
      },
    ],
  };
}

/**
 * The commands for one service, as `restore.commands` and the runbooks give them: planned against the
 * archive, with the data directory asked of the server (a placeholder when it does not answer). With
 * `timePlaceholder`, the plan is for the latest backup and the target time is left for the reader to fill in.
 */
export async function serviceRestoreCommands(o: {
  service: Service;
  repo: BackupRepository;
  wal: WalEntry[];
  target: RestoreTarget;
  password: string | undefined;
  configPath: string;
  keyFile: string;
  tablespaceMapping?: Record<string, string>;
  timePlaceholder?: string;
}): Promise<{ commands: RestoreCommandsView; plan: RestorePlan }> {
  const planned = planRestore((await o.repo.list(o.service.id)).map((e) => e.manifest), o.wal, o.timePlaceholder ? { kind: 'latest' } : o.target);
  const plan = o.timePlaceholder
    ? { ...planned, recoverySettings: { recovery_target_time: o.timePlaceholder, recovery_target_inclusive: 'on', recovery_target_timeline: planned.recoverySettings.recovery_target_timeline ?? String(planned.timeline) }, describe: 'the target time' }
    : planned;
  const dataDirectory = await withPgClient(o.service.connection, o.password, async (c) => (await c.query('show data_directory')).rows[0].data_directory as string).catch(() => undefined);
  return { plan, commands: restoreCommands({ service: o.service, plan, repo: o.repo, configPath: o.configPath, dataDirectory, encrypted: !!o.repo.info.encryption, keyFile: o.keyFile, tablespaceMapping: o.tablespaceMapping }) };
}
