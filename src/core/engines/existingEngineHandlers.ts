// Dispatches the backups and recovery methods by the service's backup engine: a service backed up by pgBackRest
// or Barman is answered through that engine in the same shapes (backups list, window, restore job, drill,
// retention plan, restore commands), every other call goes to Lifeboat's own handlers unchanged. So the
// fleet views, runbooks and every door show an engine's service with no code of their own.
import { join } from 'node:path';
import type { BackupView, RetentionPlanView } from '../../shared/backups';
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { Job } from '../../shared/jobs';
import type { WindowView } from '../../shared/recovery';
import type { CoreDeps } from '../coreDeps';
import { drillRestoredCopy } from '../drills/runDrill';
import { LifeboatError } from '../lifeboatError';
import { toScratchView } from '../wal/recoveryHandlers';
import { detectBarmanServers } from './barman/barmanEngine';
import { EngineRecords } from './engineRecords';
import { engineWindow, type EngineWindow } from './engineWindow';
import type { ExistingEngine } from './existingEngine';
import { existingEngineOf } from './existingEngineOf';
import { detectStanzas } from './pgbackrest/pgBackRestEngine';
import { restoreThroughSudoRefusal } from './engineRestoreAccount';
import { planThroughEngine } from './engineRestorePlan';
import { engineBackupId, type EngineRestoreTarget } from './planEngineRestore';
import { restoreThroughEngine } from './restoreThroughEngine';

type RoutedDeps = Pick<CoreDeps, 'access' | 'jobs' | 'scratch' | 'log' | 'env' | 'dataDir'>;

/** "<service>:<label>": an engine's backup as Lifeboat names it. */
const ENGINE_BACKUP_ID = /^([a-z0-9][a-z0-9_-]*):(.+)$/;

export function withExistingEngines(own: Omit<Handlers, 'engines.detect'>, deps: RoutedDeps): Handlers {
  const { access, jobs, scratch, log } = deps;
  const stateDir = join(deps.dataDir, 'state');
  const records = new EngineRecords(stateDir);

  const engineFor = (serviceId: string): { service: Service; engine: ExistingEngine } | undefined => {
    const service = access.requireService(serviceId);
    const engine = existingEngineOf(service);
    return engine && { service, engine };
  };
  const byBackupId = (backupId: string) => {
    const m = ENGINE_BACKUP_ID.exec(backupId);
    const found = m && engineFor(m[1]!);
    return found ? { ...found, label: m[2]! } : undefined;
  };
  const windowOf = (service: Service, engine: ExistingEngine, signal?: AbortSignal): Promise<EngineWindow> => engineWindow(engine, { stateDir, serviceId: service.id, signal });
  const refuse = (engine: ExistingEngine, what: string, hint: string) => new LifeboatError('INVALID_INPUT', `${what}: its backups are ${engine.label}'s.`, hint);

  async function backupViews(service: Service, engine: ExistingEngine): Promise<BackupView[]> {
    const [backups, facts, verified] = await Promise.all([engine.backups(), engine.repositoryFacts(), records.verifications(service.id)]);
    return backups
      .map((b): BackupView => {
        const last = verified[b.label]?.at(-1);
        return {
          id: engineBackupId(service.id, b.label),
          serviceId: service.id,
          kind: 'physical',
          startedAt: b.startedAt,
          finishedAt: b.finishedAt,
          durationMs: Date.parse(b.finishedAt) - Date.parse(b.startedAt),
          storedBytes: b.storedBytes,
          sourceBytes: b.sizeBytes,
          compression: facts.compression,
          encrypted: facts.encrypted,
          serverVersion: b.serverVersion,
          startLsn: b.startLsn,
          stopLsn: b.stopLsn,
          timeline: b.timeline,
          lastVerification: last,
          engine: { name: engine.kind, label: b.label, type: b.type, references: b.references, problem: b.problem },
        };
      })
      .reverse();
  }

  async function retention(serviceId: string, apply: boolean): Promise<RetentionPlanView> {
    const { service, engine } = engineFor(serviceId)!;
    const r = await engine.retention(apply);
    if (apply) for (const x of r.remove) await log.write({ level: 'info', event: 'retention.removed', serviceId, detail: `${x.label}: ${x.reason}` });
    return {
      serviceId,
      policy: {},
      enginePolicy: `${engine.label}: ${r.policy}`,
      keep: r.keep.map((k) => ({ id: engineBackupId(service.id, k.label), reasons: k.reasons })),
      remove: r.remove.map((x) => ({ id: engineBackupId(service.id, x.label), reason: x.reason })),
    };
  }

  /** Checks the target now (a refusal is an answer, not a failed job) and says which backup the engine gets. */
  async function plan(service: Service, engine: ExistingEngine, target: EngineRestoreTarget) {
    return planThroughEngine(engine, { stateDir, serviceId: service.id }, target);
  }

  const routed: Partial<Handlers> = {
    'engines.detect': async ({ engine, config, osUser }) => (engine === 'pgbackrest' ? detectStanzas({ config, osUser }) : detectBarmanServers({ config, osUser })),

    'backups.list': async (input) => {
      const e = engineFor(input.serviceId);
      return e ? backupViews(e.service, e.engine) : own['backups.list'](input);
    },

    'backups.start': async (input) => {
      const services = input.serviceIds.map((id) => ({ id, engine: engineFor(id)?.engine }));
      for (const s of services) {
        if (!s.engine && input.type) throw new LifeboatError('INVALID_INPUT', `${s.id} is backed up by Lifeboat, which has no backup type "${input.type}".`, 'Leave out the type (--type) for Lifeboat services: they take physical and logical backups.');
        if (s.engine && input.kind !== 'physical') throw refuse(s.engine, `${s.id} cannot take a ${input.kind} backup here`, `Back it up with ${s.engine.label}: lifeboat backup ${s.id} --kind physical${s.engine.kind === 'pgbackrest' ? ' [--type full|diff|incr]' : ''}.`);
        if (s.engine?.kind === 'barman' && input.type) throw new LifeboatError('INVALID_INPUT', `Barman takes one kind of backup; "${input.type}" is pgBackRest's word.`, `Leave out the type: lifeboat backup ${s.id} --kind physical.`);
      }
      const lifeboatIds = services.filter((s) => !s.engine).map((s) => s.id);
      const own_ = lifeboatIds.length ? await own['backups.start']({ ...input, serviceIds: lifeboatIds }) : [];
      return services.map(({ id, engine }): Job => {
        if (!engine) return own_[lifeboatIds.indexOf(id)]!;
        return jobs.start({
          kind: 'backup.physical',
          title: `${engine.label} ${input.type ?? ''} backup of ${id}`.replace(/\s+/g, ' '),
          serviceId: id,
          run: async (ctx) => {
            const done = await engine.backup(ctx, input.type);
            await log.write({ level: 'info', event: 'backup.completed', serviceId: id, detail: done.detail });
            return { backupId: done.label && engineBackupId(id, done.label), engine: engine.kind, detail: done.detail };
          },
        });
      });
    },

    'backups.verify': async (input) => {
      const e = byBackupId(input.backupId);
      if (!e) return own['backups.verify'](input);
      return jobs.start({
        kind: 'verify',
        title: `Verify ${input.backupId} with ${e.engine.label}`,
        serviceId: e.service.id,
        run: async (ctx) => {
          const outcome = await e.engine.verify(ctx, e.label);
          const at = new Date().toISOString();
          await records.addVerification(e.service.id, [e.label], { at, ok: outcome.ok, detail: outcome.detail });
          const others = outcome.verified.filter((l) => l !== e.label);
          if (others.length) await records.addVerification(e.service.id, others, { at, ok: true, detail: `verified with ${e.label} by ${e.engine.label}` });
          if (!outcome.ok) throw new LifeboatError('CHECKSUM_MISMATCH', `${e.engine.label} did not verify ${e.label}: ${outcome.detail}`, `Do not restore from this backup; take a new full backup with ${e.engine.label} and look at its repository.`);
          return { backupId: input.backupId, ok: true, detail: outcome.detail };
        },
      });
    },

    'backups.fetch': async (input) => {
      const e = byBackupId(input.backupId);
      if (!e) return own['backups.fetch'](input);
      throw refuse(e.engine, `${input.backupId} is not unpacked by Lifeboat`, `Restore the whole cluster with ${e.engine.label}'s own commands: lifeboat restore-commands ${e.service.id} --latest.`);
    },

    'backups.restore': async (input) => {
      const e = byBackupId(input.backupId);
      if (!e) return own['backups.restore'](input);
      throw refuse(e.engine, `${input.backupId} is a physical backup`, `Restore it to a point in a scratch cluster (lifeboat pitr ${e.service.id} ...), then copy a database out with lifeboat scratch copy.`);
    },

    'retention.plan': async (input) => (engineFor(input.serviceId) ? retention(input.serviceId, false) : own['retention.plan'](input)),
    'retention.apply': async (input) => (engineFor(input.serviceId) ? retention(input.serviceId, true) : own['retention.apply'](input)),

    'wal.start': async (input) => {
      const e = engineFor(input.serviceId);
      if (e) throw refuse(e.engine, `Lifeboat does not stream WAL for ${input.serviceId}`, `${e.engine.label} archives its WAL (${e.engine.place}); check it with the engine's own check command.`);
      return own['wal.start'](input);
    },

    'window.get': async (input) => {
      const e = engineFor(input.serviceId);
      if (!e) return own['window.get'](input);
      const [{ window }, problems] = await Promise.all([windowOf(e.service, e.engine), e.engine.reportedProblems()]);
      const id = (label: string) => engineBackupId(e.service.id, label);
      const view: WindowView = {
        serviceId: e.service.id,
        now: new Date().toISOString(),
        intervals: window.intervals.map((i) => ({ ...i, backupIds: i.backupIds.map(id) })),
        gaps: window.gaps,
        coverage: window.coverage,
        backups: window.backups.map((b) => ({ ...b, id: id(b.id) })),
        restorePoints: [],
        engine: { name: e.engine.kind, label: e.engine.label, place: e.engine.place, problems },
      };
      return view;
    },

    'restore.pointInTime': async (input) => {
      const e = engineFor(input.serviceId);
      if (!e) return own['restore.pointInTime'](input);
      // Refused now (an answer, not a failed job) when Lifeboat could not hand the restored files over.
      const refusal = restoreThroughSudoRefusal(e.engine, e.service.id);
      if (refusal) throw refusal;
      const chosen = await plan(e.service, e.engine, input.target);
      return jobs.start({
        kind: 'restore.pitr',
        title: `Point-in-time restore of ${e.service.id} through ${e.engine.label}`,
        serviceId: e.service.id,
        run: async (ctx) => {
          const { record } = await restoreThroughEngine(ctx, { service: e.service, engine: e.engine, scratch, purpose: 'restore', env: deps.env, stateDir }, input.target);
          await log.write({ level: 'info', event: 'restore.pitr', serviceId: e.service.id, detail: `${record.id} from ${chosen.backup.label}: ${record.reached?.detail}` });
          return toScratchView({ ...record, running: true });
        },
      });
    },

    'restore.commands': async (input) => {
      const e = engineFor(input.serviceId);
      if (!e) return own['restore.commands'](input);
      const chosen = await plan(e.service, e.engine, input.target);
      return {
        serviceId: e.service.id,
        backupId: engineBackupId(e.service.id, chosen.backup.label),
        target: chosen.describe,
        steps: e.engine.wholeClusterSteps({ backupLabel: chosen.backup.label, target: chosen.target, timeline: chosen.timeline }),
      };
    },

    'drills.start': async (input) => {
      const e = engineFor(input.serviceId);
      if (!e) return own['drills.start'](input);
      const refusal = restoreThroughSudoRefusal(e.engine, e.service.id);
      if (refusal) throw refusal;
      // By default the latest point; with no archived WAL after any backup, the newest backup's end.
      const { window, backups } = await windowOf(e.service, e.engine);
      const newest = backups.at(-1);
      const target: EngineRestoreTarget = input.target ?? (window.intervals.length || !newest ? { kind: 'latest' } : { kind: 'immediate', backupId: engineBackupId(e.service.id, newest.label) });
      return jobs.start({
        kind: 'drill',
        title: `Restore drill of ${e.service.id} through ${e.engine.label}`,
        serviceId: e.service.id,
        run: (ctx) =>
          drillRestoredCopy(ctx, {
            service: e.service,
            scratch,
            env: deps.env,
            targetKind: target.kind,
            restore: async () => {
              const { record, plan: p } = await restoreThroughEngine(ctx, { service: e.service, engine: e.engine, scratch, purpose: 'drill', env: deps.env, stateDir }, target);
              return { scratch: record, backupId: engineBackupId(e.service.id, p.backup.label), describe: p.describe, major: Number.parseInt(p.backup.serverVersion, 10) };
            },
            save: (drill) => records.addDrill(drill),
          }),
      });
    },

    'drills.list': async (input) => (engineFor(input.serviceId) ? records.drills(input.serviceId) : own['drills.list'](input)),
  };
  return { ...own, ...routed } as Handlers;
}
