// Restores a service to a point in time in a scratch cluster: unpack the base backup, stage exactly the WAL
// the plan needs, configure recovery so the copy can never touch production (no archiving, no primary, no
// subscriptions, loopback only), start it as an unprivileged account, wait for recovery to end and read the
// point actually reached from the server's log. A target not reached is an error, never a silent "latest".
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '../../shared/domain';
import { findPostgresServer } from '../engines/postgres/pgTools';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import type { BackupRepository } from '../repository/backupRepository';
import { tuneAllocatorForBulkIo } from '../repository/allocatorTuning';
import type { ScratchClusters, ScratchRecord } from '../scratch/scratchClusters';
import { startRecoveredCluster } from '../scratch/startRecoveredCluster';
import { unpackPhysicalBackup } from '../backups/unpackPhysicalBackup';
import { planRestore, withoutRecoveryLines, type RestorePlan, type RestoreTarget } from './planRestore';
import { fetchWalFile, listWalEntries, type WalEntry } from './walArchive';
import type { BackupManifest } from '../repository/backupManifest';

export interface ScratchRestoreDeps {
  /** The repository's backups and WAL as the caller just listed them; listed here when absent. */
  listed?: { manifests: BackupManifest[]; wal: WalEntry[] };
  service: Service;
  repo: BackupRepository;
  key: Buffer | undefined;
  scratch: ScratchClusters;
  purpose: 'restore' | 'drill';
  /** Where the tools are looked for (LIFEBOAT_PG_SERVER_BIN, LIFEBOAT_PG_BIN, PATH). */
  env: NodeJS.ProcessEnv;
}

/** Failures a copy in another repository can get around: this copy is damaged, gone or out of reach. */
const COPY_CAN_HELP = new Set(['CHECKSUM_MISMATCH', 'NOT_FOUND', 'UNREACHABLE', 'AUTH_FAILED', 'PERMISSION_DENIED']);

export async function restoreToScratch(ctx: JobContext, deps: ScratchRestoreDeps, target: RestoreTarget): Promise<{ record: ScratchRecord; plan: RestorePlan }> {
  const { service, repo, key, scratch } = deps;
  await tuneAllocatorForBulkIo();
  ctx.progress({ phase: 'planning: checking the target against the recoverable window' });
  const [manifests, wal] = deps.listed ? [deps.listed.manifests, deps.listed.wal] : await Promise.all([repo.list(service.id).then((l) => l.map((e) => e.manifest)), listWalEntries(repo, service.id)]);
  const plan = planRestore(manifests, wal, target);
  // The backup's own major version of postgres: a newer one cannot open its data directory.
  const server = await findPostgresServer(plan.backup.server.major, deps.env);
  const id = `${service.id}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${Math.random().toString(36).slice(2, 6)}`;
  const record = await scratch.create({ id, serviceId: service.id, backupId: plan.backup.id, purpose: deps.purpose, createdAt: new Date().toISOString(), target: plan.describe });
  await ctx.claimPartialOutput(record.dir);
  await ctx.claimPartialOutput(scratch.registryFile(id));
  const dataDir = scratch.dataDir(record);

  // 1. The WAL recovery will read, decrypted into the scratch folder while the base is unpacked and while
  // recovery already runs: the restore_command waits for a file until it is staged (files appear whole, by
  // rename) or staging is done, so a missing file still means "end of archive" and never "not yet".
  const walDir = scratch.walDir(record);
  const stagedMarker = join(walDir, '.lifeboat-staged');
  // One empty marker per file the plan stages, so the restore_command can tell "not staged yet" (wait)
  // from "not in the plan" (fail at once). Recovery asks for files the plan never has, e.g. the next
  // timeline's history at startup; waiting for those held replay back until everything was staged.
  const expectedDir = join(walDir, '.lifeboat-expected');
  await mkdir(expectedDir, { mode: 0o700 });
  await Promise.all(plan.walFiles.map((name) => writeFile(join(expectedDir, name), '')));
  scratch.chown(expectedDir);
  let staged = 0;
  const queue = [...plan.walFiles];
  let baseUnpacked!: () => void;
  const unpackDone = new Promise<void>((resolve) => (baseUnpacked = resolve));
  const stageAll = (async () => {
    // Each file is a read, a decryption and a decompression. Nothing is staged while the base is unpacked:
    // recovery cannot start before it, and even one staging worker beside it tripled the unpacking time
    // on two cores (measured: 0.3 s alone, 1–2.6 s with one worker). Afterwards three workers stay ahead
    // of replay.
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await fetchWalFile(repo, service.id, name, join(walDir, name), key, { sparseZeroTail: true, beforeRename: (temp) => scratch.chown(temp) });
        staged++;
      }
    };
    await unpackDone;
    await Promise.all(Array.from({ length: 3 }, worker));
    await writeFile(stagedMarker, '');
  })();
  stageAll.catch(() => undefined);

  // 2. The base backup, unpacked by the account that will run it; its tablespaces inside the scratch folder.
  const archived = plan.backup.files.filter((f) => f.role === 'base' || f.role === 'tablespace').reduce((n, f) => n + f.bytes, 0);
  try {
    // From the first repository that gives it whole: a copy (policy.repositories) when the first is
    // unreachable or a file fails its checksum.
    for (const [i, source] of [repo, ...repo.copies].entries()) {
      const last = i === repo.copies.length;
      const manifest = i === 0 ? plan.backup : await source.read(service.id, plan.backup.id).then((e) => e.manifest, () => undefined);
      if (!manifest) continue;
      try {
        await unpackPhysicalBackup({
          backupFolder: source.backupFolder(service.id, plan.backup.id),
          manifest,
          key,
          dataDir,
          tablespaceDir: (t) => join(record.dir, `tablespace-${t.oid}`),
          relink: true,
          spawnOptions: scratch.spawnOptions(),
          prepare: (path) => scratch.chown(path),
          signal: ctx.signal,
          onStoredBytes: (n) => ctx.progress({ phase: i === 0 ? 'unpacking the base backup' : `unpacking the base backup from the copy in ${source.root}`, done: n, total: archived, unit: 'bytes' }),
        });
        if (i > 0) {
          plan.describe += ` (base backup from the copy in ${source.root}: the one in ${repo.root} could not be read whole)`;
          record.target = plan.describe;
        }
        break;
      } catch (err) {
        if (last || ctx.signal.aborted || !(err instanceof LifeboatError) || !COPY_CAN_HELP.has(err.code)) throw err;
        // Start the next copy on an empty data directory.
        await rm(dataDir, { recursive: true, force: true });
        for (const t of plan.backup.physical?.tablespaces ?? []) await rm(join(record.dir, `tablespace-${t.oid}`), { recursive: true, force: true });
        await mkdir(dataDir, { mode: 0o700 });
        scratch.chown(dataDir);
      }
    }
  } catch (err) {
    // Stop the staging before the job removes the folder it writes into.
    queue.length = 0;
    baseUnpacked();
    await stageAll.catch(() => undefined);
    throw err;
  }
  baseUnpacked();

  // 3. Recovery: the scratch cluster's rules, started as the scratch account; the point reached from its log.
  // Staging failing (a damaged segment) must stop the restore, not leave recovery waiting.
  const failed = stageAll.then(() => new Promise<never>(() => {}));
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  try {
    await startRecoveredCluster(ctx, {
      record,
      scratch,
      service,
      postgres: server.path('postgres'),
      describe: plan.describe,
      recoverySettings: Object.fromEntries(Object.entries(plan.recoverySettings).map(([k, v]) => [k, k === 'recovery_target_inclusive' ? v : q(v)])),
      // A hard link, not a copy: the staged file is already the plain segment on the same disk, and a second
      // 16 MB write per segment was half of recovery's wait. (cp when the link fails, e.g. across file systems.)
      restoreCommand: `[ -f "${expectedDir}/%f" ] && while [ ! -f "${walDir}/%f" ] && [ ! -f "${stagedMarker}" ]; do sleep 0.02; done; [ -f "${walDir}/%f" ] && { ln -f "${walDir}/%f" "%p" 2>/dev/null || cp "${walDir}/%f" "%p"; }`,
      carry: withoutRecoveryLines,
      onReplaying: () => ctx.progress({ phase: `replaying WAL to ${plan.describe}`, done: staged, total: plan.walFiles.length, unit: 'files' }),
      failed,
    });
    await stageAll;
  } catch (err) {
    // Stop the staging before the job removes the folder it writes into.
    queue.length = 0;
    await stageAll.catch(() => undefined);
    throw err;
  }
  return { record, plan };
}
