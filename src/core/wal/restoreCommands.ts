// The exact commands to restore a whole cluster on its own server, for a DBA at the console and for the
// runbooks: stop, keep the old data directory, unpack the base backup with Lifeboat, let PostgreSQL fetch
// WAL through `lifeboat wal-get`, recover to the target, check. Placeholders only where nothing can know
// the value (the data directory when the server is unreachable).
import type { RestoreCommandsView } from '../../shared/recovery';
import type { Service } from '../../shared/domain';
import { withPgClient } from '../engines/postgres/pgClient';
import type { BackupRepository } from '../repository/backupRepository';
import { planRestore, type RestorePlan, type RestoreTarget } from './planRestore';
import type { WalEntry } from './walArchive';

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function restoreCommands(o: { service: Service; plan: RestorePlan; repo: BackupRepository; configPath: string; dataDirectory?: string; encrypted: boolean; /** Where the key file sits on the server; default /etc/lifeboat/repo.key. */ keyFile?: string }): RestoreCommandsView {
  const pgdata = o.dataDirectory ?? '<PGDATA: the server\'s data directory>';
  const cfg = `--config ${shellQuote(o.configPath)}`;
  const keyEnv = o.encrypted ? `LIFEBOAT_KEY_FILE=${shellQuote(o.keyFile ?? '/etc/lifeboat/repo.key')} ` : '';
  const walGet = `${keyEnv}lifeboat wal-get %f %p --service ${o.service.id} ${cfg}`;
  const settings: Record<string, string> = {
    restore_command: walGet,
    ...o.plan.recoverySettings,
    recovery_target_action: 'promote',
  };
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const confLines = Object.entries(settings).map(([k, v]) => `${k} = ${k === 'recovery_target_inclusive' ? v : q(v)}`);
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
        title: 'Keep the current data directory',
        why: 'Nothing is deleted: if the restore is not what you need, move it back.',
        commands: [`mv ${shellQuote(pgdata)} ${shellQuote(`${pgdata}.before-restore-${stamp}`)}`, `mkdir -m 700 ${shellQuote(pgdata)}`],
      },
      {
        title: `Unpack base backup ${o.plan.backup.id}`,
        why: `The newest physical backup that finished before the target (${o.plan.backup.finishedAt}); Lifeboat checks every byte while unpacking.`,
        commands: [`${keyEnv}lifeboat backup-fetch ${o.plan.backup.id} --to ${shellQuote(pgdata)} ${cfg}`],
      },
      {
        title: `Configure recovery to ${o.plan.describe}`,
        why: `PostgreSQL fetches each WAL segment from the repository (${o.repo.root}) through lifeboat wal-get, replays it, stops at the target and promotes.`,
        commands: [
          `cat >> ${shellQuote(`${pgdata}/postgresql.auto.conf`)} <<'LIFEBOAT'\n# Point-in-time restore by Lifeboat\n${confLines.join('\n')}\nLIFEBOAT`,
          `touch ${shellQuote(`${pgdata}/recovery.signal`)}`,
        ],
      },
      {
        title: 'Start PostgreSQL and wait for recovery',
        why: 'The server replays WAL, then promotes; "f" from pg_is_in_recovery() means it is done.',
        commands: [`pg_ctl -D ${shellQuote(pgdata)} -w -t 3600 start`, `psql -X -At -c 'select pg_is_in_recovery(), pg_last_xact_replay_timestamp()'`],
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
  keyFile?: string;
  timePlaceholder?: string;
}): Promise<{ commands: RestoreCommandsView; plan: RestorePlan }> {
  const planned = planRestore((await o.repo.list(o.service.id)).map((e) => e.manifest), o.wal, o.timePlaceholder ? { kind: 'latest' } : o.target);
  const plan = o.timePlaceholder
    ? { ...planned, recoverySettings: { recovery_target_time: o.timePlaceholder, recovery_target_inclusive: 'on', recovery_target_timeline: planned.recoverySettings.recovery_target_timeline ?? String(planned.timeline) }, describe: 'the target time' }
    : planned;
  const dataDirectory = await withPgClient(o.service.connection, o.password, async (c) => (await c.query('show data_directory')).rows[0].data_directory as string).catch(() => undefined);
  return { plan, commands: restoreCommands({ service: o.service, plan, repo: o.repo, configPath: o.configPath, dataDirectory, encrypted: !!o.repo.info.encryption, keyFile: o.keyFile }) };
}
