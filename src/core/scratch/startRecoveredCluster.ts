// Starts a scratch cluster on a restored data directory, whoever restored it (Lifeboat's own repository,
// pgBackRest, Barman): the settings that keep the copy away from production (loopback and a private socket,
// no archiving, no primary, no logical replication workers) go last into postgresql.auto.conf, postgres runs
// as the scratch account until recovery ends, and the point reached is read from the server's own log.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Service } from '../../shared/domain';
import type { JobContext } from '../jobs/jobRunner';
import type { ScratchClusters, ScratchRecord } from './scratchClusters';

export interface RecoveryStart {
  record: ScratchRecord;
  scratch: ScratchClusters;
  service: Service;
  /** The postgres binary of the backup's major version. */
  postgres: string;
  describe: string;
  /** Recovery target lines, values as PostgreSQL reads them (quoted where text). */
  recoverySettings: Record<string, string>;
  /** Lifeboat's restore_command; undefined keeps the one the restoring engine wrote. */
  restoreCommand?: string;
  /** What of the restored postgresql.auto.conf stays (an earlier restore's lines removed, or the engine's kept). */
  carry(autoConf: string): string;
  /** Called every half second while recovery runs. */
  onReplaying?: () => void;
  /** Rejects when whatever feeds recovery fails (a damaged segment), so recovery is not left waiting. */
  failed?: Promise<never>;
}

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export async function startRecoveredCluster(ctx: JobContext, o: RecoveryStart): Promise<ScratchRecord> {
  const { record, scratch } = o;
  const dataDir = scratch.dataDir(record);
  // postgresql.auto.conf is read last, so these win over anything the backup carries.
  for (const stale of ['postmaster.pid', 'postmaster.opts', 'standby.signal', 'backup_label.old']) await rm(join(dataDir, stale), { force: true });
  const created: string[] = [];
  if (!existsSync(join(dataDir, 'postgresql.conf'))) {
    await writeFile(join(dataDir, 'postgresql.conf'), '# Written by Lifeboat: the server kept its configuration outside the data directory.\n');
    created.push('postgresql.conf');
  }
  const hba = join(record.dir, 'lifeboat_hba.conf');
  await writeFile(hba, '# Lifeboat scratch cluster: local socket (a private folder) and loopback only.\nlocal all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
  const settings: Record<string, string> = {
    listen_addresses: q('127.0.0.1'),
    port: String(record.port),
    unix_socket_directories: q(record.dir),
    hba_file: q(hba),
    ident_file: q(join(record.dir, 'lifeboat_ident.conf')),
    archive_mode: 'off',
    archive_command: q(''),
    primary_conninfo: q(''),
    primary_slot_name: q(''),
    ...(o.restoreCommand !== undefined ? { restore_command: q(o.restoreCommand) } : {}),
    // No logical replication workers: a restored subscription must not start pulling from production.
    max_logical_replication_workers: '0',
    shared_preload_libraries: q(''),
    hot_standby: 'off',
    ssl: 'off',
    logging_collector: 'off',
    log_destination: q('stderr'),
    recovery_target_action: q('promote'),
    ...o.recoverySettings,
  };
  await writeFile(join(record.dir, 'lifeboat_ident.conf'), '');
  const autoConf = join(dataDir, 'postgresql.auto.conf');
  const carried = o.carry(await readFile(autoConf, 'utf8').catch(() => ''));
  await writeFile(autoConf, `${carried}\n# Lifeboat scratch restore: ${o.describe}\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
  await writeFile(join(dataDir, 'recovery.signal'), '');
  for (const f of ['postgresql.auto.conf', 'recovery.signal', ...created]) scratch.chown(join(dataDir, f));
  for (const f of ['lifeboat_hba.conf', 'lifeboat_ident.conf']) scratch.chown(join(record.dir, f));

  o.onReplaying?.();
  const replaying = o.onReplaying ? setInterval(o.onReplaying, 500) : undefined;
  const ready = async () => {
    const client = new pg.Client({ host: record.dir, port: record.port, user: o.service.connection.user, database: 'postgres', connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const inRecovery = (await client.query('select pg_is_in_recovery() as r')).rows[0].r as boolean;
      if (!inRecovery) record.superuser = (await client.query('select rolname from pg_roles where oid = 10')).rows[0].rolname as string;
      return !inRecovery;
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    const starting = scratch.start(record, o.postgres, ready, ctx.signal);
    record.pid = await (o.failed ? Promise.race([starting, o.failed]) : starting);
  } catch (err) {
    // Cancelled or failed while postgres runs: stop it before the job removes its folder.
    await scratch.stop(await scratch.get(record.id).catch(() => record));
    throw err;
  } finally {
    clearInterval(replaying);
  }
  record.reached = readPointReached(scratch.logTail(record, 400));
  await scratch.save(record);
  return record;
}

/** What recovery reports in the log: where it stopped and the last transaction it replayed. */
export function readPointReached(log: string): { time?: string; lsn?: string; detail: string } {
  const stop = /recovery stopping (before|after) (?:commit|abort) of transaction (\d+), time ([0-9-]+ [0-9:.]+)([+-]\d\d)?/.exec(log);
  const last = /last completed transaction was at log time ([0-9-]+ [0-9:.]+)([+-]\d\d)?/.exec(log);
  const redo = /redo done at ([0-9A-F]+\/[0-9A-F]+)/.exec(log);
  const point = /recovery stopping at restore point "([^"]+)"/.exec(log);
  const consistent = /recovery stopping after reaching consistency/.test(log);
  const toIso = (t: string, zone?: string) => new Date(`${t.replace(' ', 'T')}${zone ? `${zone}:00` : 'Z'}`).toISOString();
  const time = last ? toIso(last[1]!, last[2]) : undefined;
  const parts = [
    stop && `stopped ${stop[1]} the commit of transaction ${stop[2]} (${toIso(stop[3]!, stop[4])})`,
    point && `stopped at restore point "${point[1]}"`,
    consistent && 'stopped where the backup became consistent',
    time && `last replayed transaction committed at ${time}`,
    redo && `redo done at ${redo[1]}`,
  ].filter(Boolean);
  return { time, lsn: redo?.[1], detail: parts.join('; ') || 'recovery finished' };
}
