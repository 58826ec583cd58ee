// Restores a service backed up by pgBackRest or Barman to a point in time, into a scratch cluster: Lifeboat
// plans (its window, its choice of backup), the engine restores (pgbackrest restore --set, barman recover) as
// the repository's owner into the scratch folder, and the copy then runs under the same rules as every
// scratch cluster: the scratch account, loopback and a private socket, no archiving, the point reached read
// from its log.
import { chownSync, lchownSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '../../shared/domain';
import type { JobContext } from '../jobs/jobRunner';
import type { ScratchClusters, ScratchRecord } from '../scratch/scratchClusters';
import { startRecoveredCluster } from '../scratch/startRecoveredCluster';
import { restoreThroughSudoRefusal } from './engineRestoreAccount';
import { planThroughEngine } from './engineRestorePlan';
import { startWalRelay, type WalRelay } from './engineWalRelay';
import type { ExistingEngine } from './existingEngine';
import { engineBackupId, type EnginePlan, type EngineRestoreTarget } from './planEngineRestore';
import { findPostgresServer } from './postgres/pgTools';

export interface EngineScratchRestoreDeps {
  service: Service;
  engine: ExistingEngine;
  scratch: ScratchClusters;
  purpose: 'restore' | 'drill';
  env: NodeJS.ProcessEnv;
  /** Lifeboat's state folder (the engine's WAL commit times are remembered there). */
  stateDir: string;
}

/** Gives a whole folder to an account (a restore written by the engine's account, run by the scratch one). */
async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  lchownSync(path, uid, gid);
  for (const e of await readdir(path, { withFileTypes: true })) {
    const child = join(path, e.name);
    if (e.isDirectory()) await chownTree(child, uid, gid);
    else lchownSync(child, uid, gid);
  }
}

export async function restoreThroughEngine(ctx: JobContext, deps: EngineScratchRestoreDeps, target: EngineRestoreTarget): Promise<{ record: ScratchRecord; plan: EnginePlan }> {
  const { service, engine, scratch } = deps;
  const refusal = restoreThroughSudoRefusal(engine, service.id);
  if (refusal) throw refusal;
  ctx.progress({ phase: `planning: reading ${engine.label}'s backups and archive` });
  const plan = await planThroughEngine(engine, { stateDir: deps.stateDir, serviceId: service.id, signal: ctx.signal, onSegment: (done, total) => ctx.progress({ phase: `planning: looking for restore points in ${engine.label}'s archive`, done, total, unit: 'files' }) }, target);
  const server = await findPostgresServer(Number.parseInt(plan.backup.serverVersion, 10), deps.env);
  const id = `${service.id}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${Math.random().toString(36).slice(2, 6)}`;
  const record = await scratch.create({ id, serviceId: service.id, backupId: engineBackupId(service.id, plan.backup.label), purpose: deps.purpose, createdAt: new Date().toISOString(), target: plan.describe });
  await ctx.claimPartialOutput(record.dir);
  await ctx.claimPartialOutput(scratch.registryFile(id));
  const dataDir = scratch.dataDir(record);
  const tablespaceDir = join(record.dir, 'tablespaces');
  await mkdir(tablespaceDir, { mode: 0o700 });

  // The engine's account writes the restore; the scratch account runs it afterwards.
  const { uid, gid } = engine.account;
  if (uid !== undefined) for (const p of [record.dir, dataDir, tablespaceDir]) chownSync(p, uid, gid!);
  await engine.restore(ctx, { dataDir, tablespaceDir, backupLabel: plan.backup.label, target: plan.target, timeline: plan.timeline });
  if (scratch.user.uid !== undefined) await chownTree(record.dir, scratch.user.uid, scratch.user.gid!);

  let relay: WalRelay | undefined;
  // An engine that copied the WAL and wrote no restore_command (Barman's recover to the end) put it in pg_wal:
  // recovery reads it there when the archive answers "no" to everything.
  const wroteRestoreCommand = /^\s*restore_command\s*=/m.test(await readFile(join(dataDir, 'postgresql.auto.conf'), 'utf8').catch(() => ''));
  try {
    if (engine.recoveryWal === 'relay')
      relay = await startWalRelay({ engine, walDir: scratch.walDir(record), owner: scratch.user.uid !== undefined ? { uid: scratch.user.uid, gid: scratch.user.gid! } : undefined, signal: ctx.signal });
    await startRecoveredCluster(ctx, {
      record,
      scratch,
      service,
      postgres: server.path('postgres'),
      describe: `${plan.describe} from ${engine.label} backup ${plan.backup.label}`,
      // The engine wrote the target (recovery_target_*); Lifeboat only adds the scratch cluster's rules.
      recoverySettings: {},
      restoreCommand: relay?.restoreCommand ?? (wroteRestoreCommand ? undefined : 'false'),
      carry: (autoConf) => (relay ? autoConf.split('\n').filter((l) => !/^\s*restore_command\s*=/.test(l)).join('\n') : autoConf),
      onReplaying: () => ctx.progress({ phase: `replaying WAL to ${plan.describe}`, done: relay?.handedOver(), unit: relay ? 'files' : undefined }),
      failed: relay?.failed,
    });
  } finally {
    await relay?.stop();
  }
  return { record, plan };
}
