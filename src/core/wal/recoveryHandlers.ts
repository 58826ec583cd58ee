// The recovery slice of the contract: continuous WAL, the recoverable window, point-in-time restores into
// scratch clusters, copying a database out of one, the commands for a whole-cluster restore, and drills.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { CoreDeps } from '../coreDeps';
import type { DrillView, ScratchView, WalStatusView } from '../../shared/recovery';
import type { Service } from '../../shared/domain';
import { runDrill } from '../drills/runDrill';
import { withPgClient } from '../engines/postgres/pgClient';
import { checkTargetDatabase, prepareTargetDatabase } from '../backups/targetDatabase';
import { findPgTools } from '../engines/postgres/pgTools';
import { libpqEnv, runPgTool } from '../engines/postgres/pgToolProcess';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { ScratchClusters, ScratchRecord } from '../scratch/scratchClusters';
import { resolvePassword } from '../secrets/resolvePassword';
import { writeFileAtomic } from '../storage/atomicWrite';
import { planRestore, type RestoreTarget } from './planRestore';
import { serviceRestoreCommands } from './restoreCommands';
import { restoreToScratch } from './restoreToScratch';
import { listWalEntries, toWindowInput } from './walArchive';
import { computeRecoverableWindow } from './recoverableWindow';
import { slotName, streamWal } from './walStreamer';
import { archiveCommand, restoreCommand, serverKeyFile } from './serverArchiveCommands';
import { detachedContext, withCommitLsn } from '../findMoment/locateTransaction';

export type RecoveryDeps = Pick<CoreDeps, 'access' | 'secrets' | 'jobs' | 'engines' | 'scratch' | 'log' | 'env' | 'dataDir' | 'configPath'>;

type RecoveryHandlers = Pick<
  Handlers,
  | 'wal.start' | 'wal.stop' | 'wal.status' | 'wal.dropSlot' | 'window.get' | 'restore.pointInTime' | 'restore.commands'
  | 'scratch.list' | 'scratch.remove' | 'scratch.copyDatabase' | 'drills.start' | 'drills.list'
>;

export function toScratchView(r: ScratchRecord & { running: boolean }): ScratchView {
  const user = r.superuser ?? 'postgres';
  return {
    id: r.id, serviceId: r.serviceId, backupId: r.backupId, purpose: r.purpose, createdAt: r.createdAt, running: r.running, target: r.target, reached: r.reached, osUser: r.osUser,
    connection: { host: r.dir, port: r.port, user, uri: `postgresql://${encodeURIComponent(user)}@/postgres?host=${encodeURIComponent(r.dir)}&port=${r.port}` },
  };
}

export function recoveryHandlers(deps: RecoveryDeps): RecoveryHandlers & { resumeStreams(): Promise<void> } {
  const { access, secrets, jobs, scratch, log } = deps;
  const streams = new Map<string, string>(); // serviceId -> running job id
  const desiredFile = join(deps.dataDir, 'state', 'wal-streams.json');
  const desired = async (): Promise<string[]> => JSON.parse(await readFile(desiredFile, 'utf8').catch(() => '[]')) as string[];
  const setDesired = async (ids: string[]) => writeFileAtomic(desiredFile, JSON.stringify([...new Set(ids)].sort()) + '\n');
  const password = (s: Service) => resolvePassword(s, secrets, deps.env);

  async function startStream(serviceId: string) {
    const running = streams.get(serviceId);
    if (running) {
      const job = jobs.get(running);
      if (job.state === 'running' || job.state === 'queued') return job;
    }
    const service = access.requirePostgres(serviceId);
    const repo = await access.repositoryFor(service);
    const key = await access.keyOf(repo);
    const job = jobs.start({
      kind: 'wal.stream',
      background: true,
      title: `WAL streaming for ${serviceId}`,
      serviceId,
      run: async (ctx) => {
        const pw = await password(service);
        const report = await deps.engines.postgres.testConnection(service.connection, { password: pw, signal: ctx.signal });
        if (report.privileges.physicalBackup.state === 'missing')
          throw new LifeboatError('PERMISSION_DENIED', `${serviceId}: ${report.currentUser} cannot stream WAL: ${report.privileges.physicalBackup.detail}.`, 'Grant REPLICATION to this role and allow replication connections in pg_hba.conf.');
        return streamWal(ctx, { service, password: pw, repo, key, stagingDir: join(deps.dataDir, 'wal-staging', serviceId), serverMajor: report.majorVersion });
      },
    });
    streams.set(serviceId, job.id);
    await setDesired([...(await desired()), serviceId]);
    await log.write({ level: 'info', event: 'wal.stream.started', serviceId });
    return job;
  }

  async function windowOf(serviceId: string) {
    const service = access.requirePostgres(serviceId);
    const repo = await access.repositoryFor(service);
    // Asked at once: on an object store each listing is many requests.
    const [wal, entries] = await Promise.all([listWalEntries(repo, serviceId), repo.list(serviceId)]);
    const manifests = entries.map((e) => e.manifest);
    const backups = manifests.filter((m) => m.kind === 'physical' && m.physical);
    const { segments, histories } = toWindowInput(wal);
    const window = computeRecoverableWindow({ segments, histories, backups: backups.map((b) => ({ id: b.id, timeline: b.physical!.timeline, startLsn: b.physical!.startLsn, stopLsn: b.physical!.stopLsn, stopTime: b.finishedAt })) });
    return { window, wal, manifests, repo, service };
  }

  return {
    resumeStreams: async () => {
      for (const id of await desired()) if (deps.access && (() => { try { return access.requirePostgres(id); } catch { return undefined; } })()) await startStream(id).catch(() => undefined);
    },

    'wal.start': async ({ serviceId }) => startStream(serviceId),

    'wal.stop': async ({ serviceId }) => {
      await setDesired((await desired()).filter((id) => id !== serviceId));
      const jobId = streams.get(serviceId);
      if (!jobId) return { serviceId, stopped: false };
      await jobs.cancel(jobId);
      await jobs.wait(jobId);
      streams.delete(serviceId);
      await log.write({ level: 'info', event: 'wal.stream.stopped', serviceId });
      return { serviceId, stopped: true };
    },

    'wal.status': async ({ serviceId }) => {
      const service = access.requirePostgres(serviceId);
      const repo = await access.repositoryFor(service);
      const wal = (await listWalEntries(repo, serviceId)).filter((e) => e.kind === 'segment').sort((a, b) => a.name.localeCompare(b.name));
      const jobId = streams.get(serviceId);
      const streaming = !!jobId && ['queued', 'running'].includes(jobs.get(jobId).state);
      let slotError: WalStatusView['slotError'];
      const slot = await withPgClient(service.connection, await password(service), async (c) => {
        const r = await c.query(
          `select slot_name, active, wal_status, restart_lsn::text as restart_lsn,
                  coalesce(pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_lsn() end, restart_lsn), 0)::bigint::text as retained
             from pg_replication_slots where slot_name = $1`,
          [slotName(serviceId)],
        );
        const row = r.rows[0];
        return row ? { name: row.slot_name as string, active: row.active as boolean, retainedBytes: Number(row.retained), walStatus: row.wal_status as string | null, restartLsn: row.restart_lsn as string | null } : undefined;
      }).catch((err: unknown) => {
        // The archive's figures still stand; the slot's are unknown, and the view says why.
        const e = toWireError(err);
        slotError = { code: e.code, message: e.message };
        return undefined;
      });
      const last = wal.at(-1);
      const server = { serviceId, configPath: deps.configPath, encrypted: !!repo.info.encryption, keyFile: serverKeyFile(deps.env) };
      return {
        serviceId,
        streaming,
        jobId: streaming ? jobId : undefined,
        slot,
        slotError,
        archivedSegments: wal.length,
        lastArchived: last && { name: last.name, at: last.archivedAt },
        serverCommands: { archiveCommand: archiveCommand(server), restoreCommand: restoreCommand(server), keyFile: server.encrypted ? server.keyFile : undefined },
      };
    },

    'wal.dropSlot': async ({ serviceId, confirm }) => {
      const service = access.requirePostgres(serviceId);
      const slot = slotName(serviceId);
      if (confirm !== slot) throw new LifeboatError('CONFLICT', `Type the slot's name (${slot}) to drop it.`, 'Dropping the slot lets the server recycle WAL that Lifeboat has not archived yet: the window will have a gap until the next base backup.');
      const jobId = streams.get(serviceId);
      if (jobId) {
        await setDesired((await desired()).filter((id) => id !== serviceId));
        await jobs.cancel(jobId);
        await jobs.wait(jobId);
        streams.delete(serviceId);
      }
      await withPgClient(service.connection, await password(service), (c) => c.query('select pg_drop_replication_slot($1)', [slot]));
      await log.write({ level: 'warn', event: 'wal.slot.dropped', serviceId, detail: slot });
      return { serviceId, dropped: slot };
    },

    'window.get': async ({ serviceId }) => {
      const { window, wal } = await windowOf(serviceId);
      return { serviceId, now: new Date().toISOString(), ...window, restorePoints: wal.flatMap((e) => e.restorePoints) };
    },

    'restore.pointInTime': async ({ serviceId, target }) => {
      const { repo, service, manifests, wal } = await windowOf(serviceId);
      // Refuse now, not in a job; a bare transaction id is looked up in the job (a WAL read).
      if (target.kind !== 'xid' || target.commitLsn) planRestore(manifests, wal, target);
      const key = await access.keyOf(repo);
      return jobs.start({
        kind: 'restore.pitr',
        title: `Point-in-time restore of ${serviceId}`,
        serviceId,
        run: async (ctx) => {
          const located = await withCommitLsn(ctx, { repo, serviceId, key, env: deps.env, dataDir: deps.dataDir }, target);
          // The listings just read are the plan's (the window the DBA was shown): not read a third time.
          const { record } = await restoreToScratch(ctx, { service, repo, key, scratch, purpose: 'restore', env: deps.env, listed: { manifests, wal } }, located);
          await log.write({ level: 'info', event: 'restore.pitr', serviceId, detail: `${record.id}: ${record.reached?.detail}` });
          return toScratchView({ ...record, running: true });
        },
      });
    },

    'restore.commands': async ({ serviceId, target, tablespaceMapping }) => {
      const { repo, service, wal } = await windowOf(serviceId);
      const located = await withCommitLsn(detachedContext(), { repo, serviceId, key: await access.keyOf(repo), env: deps.env, dataDir: deps.dataDir }, target);
      return (await serviceRestoreCommands({ service, repo, wal, target: located, password: await password(service), configPath: deps.configPath, keyFile: serverKeyFile(deps.env), tablespaceMapping })).commands;
    },

    'scratch.list': async () => (await scratch.list()).map(toScratchView),

    'scratch.remove': async ({ id }) => {
      await scratch.remove(id);
      await log.write({ level: 'info', event: 'scratch.removed', detail: id });
      return { removed: id };
    },

    'scratch.copyDatabase': async ({ id, database, targetServiceId, newName, confirmReplace }) => {
      const record = await scratch.get(id);
      const target = access.requirePostgres(targetServiceId);
      const pw = await password(target);
      await checkTargetDatabase(target, pw, newName, confirmReplace); // refuse now, not in a job
      return jobs.start({
        kind: 'scratch.copy',
        title: `Copy ${database} from scratch ${id} to ${targetServiceId} as ${newName}`,
        serviceId: targetServiceId,
        run: async (ctx) => {
          const prepared = await prepareTargetDatabase(target, pw, newName, confirmReplace);
          const tools = await findPgTools(prepared.serverMajor);
          try {
            ctx.progress({ phase: `copying ${database}` });
            const dump = runPgTool(tools.path('pg_dump'), ['-Fc', '-Z', '0', '-h', record.dir, '-p', String(record.port), '-U', record.superuser ?? target.connection.user, '-d', database], { env: { ...process.env, PGSSLMODE: 'disable' }, signal: ctx.signal });
            const restore = runPgTool(tools.path('pg_restore'), ['-d', newName, '--no-owner', '--no-acl', '--exit-on-error', '--single-transaction'], { env: libpqEnv(target.connection, pw, newName), signal: ctx.signal, stdin: 'pipe' });
            dump.child.stdout.pipe(restore.child.stdin);
            await Promise.all([dump.done, restore.done]);
          } catch (err) {
            await prepared.discard();
            throw err;
          }
          return { database: newName, target: targetServiceId, replaced: prepared.replaced };
        },
      });
    },

    'drills.start': async ({ serviceId, target }) => {
      const service = access.requirePostgres(serviceId);
      const repo = await access.repositoryFor(service);
      const key = await access.keyOf(repo);
      // By default the latest point; a service whose backups have no archived WAL after them (self-contained)
      // is drilled to its newest backup's end, which proves that backup all the same.
      const { window } = await windowOf(serviceId);
      const newest = [...window.backups].sort((a, b) => b.stopTime.localeCompare(a.stopTime))[0];
      const drillTarget: RestoreTarget = target ?? (window.intervals.length || !newest ? { kind: 'latest' } : { kind: 'immediate', backupId: newest.id });
      return jobs.start({
        kind: 'drill',
        title: `Restore drill of ${serviceId}`,
        serviceId,
        run: async (ctx) => runDrill(ctx, { service, repo, key, scratch, env: deps.env }, await withCommitLsn(ctx, { repo, serviceId, key, env: deps.env, dataDir: deps.dataDir }, drillTarget)),
      });
    },

    'drills.list': async ({ serviceId }) => {
      const repo = await access.repositoryFor(access.requirePostgres(serviceId));
      const drills = (await repo.drills(serviceId)) as DrillView[];
      return drills.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
  };
}
