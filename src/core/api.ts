// createCore(options): the only entry point to Lifeboat's core. Every door (Electron IPC, the browser host,
// the CLI) builds one core and serves its handlers through the same contract.
import { join } from 'node:path';
import type { AppInfo, Handlers } from '../shared/contract';
import type { EngineKind } from '../shared/domain';
import { FINAL_JOB_STATES } from '../shared/jobs';
import { resolveAppPaths } from './appPaths';
import type { Engine } from './engines/engine';
import { defaultEngines } from './engines/defaultEngines';
import { EventHub } from './eventHub';
import { LastKnownFacts } from './fleet/lastKnownFacts';
import { FleetFile } from './inventory/fleetFile';
import { followFleetFileEdits } from './inventory/followFleetFileEdits';
import type { FleetFileWatcher } from './inventory/fleetFileWatcher';
import { JobRunner } from './jobs/jobRunner';
import { letHeapGrowForJobs } from './jobs/heapGrowthForJobs';
import { ActivityLog } from './logging/activityLog';
import { KeytarSecretStore } from './secrets/keytarSecretStore';
import type { SecretStore } from './secrets/secretStore';
import { serviceHandlers } from './services/serviceHandlers';
import { backupHandlers } from './backups/backupHandlers';
import { loadRepositoryKey } from './repository/repositoryKeys';
import { LifeboatError } from './lifeboatError';
import { removeStoredOutput } from './repository/store/storedOutputClaim';
import { RepositoryAccess } from './backups/repositoryAccess';
import { ScratchClusters } from './scratch/scratchClusters';
import { recoveryHandlers } from './wal/recoveryHandlers';
import { withExistingEngines } from './engines/existingEngineHandlers';
import { ServiceStatusStore } from './services/serviceStatus';
import { LIFEBOAT_VERSION } from './version';
import type { CoreDeps } from './coreDeps';
import { sqlServerHandlers } from './sqlserver/sqlServerHandlers';
import { replicationHandlers } from './replication/replicationHandlers';
import { runbookHandlers } from './runbooks/runbookHandlers';
import type { PdfRenderer } from './runbooks/pdfRenderer';
import { monitoringHandlers } from './monitoring/monitoringHandlers';
import { findMomentHandlers } from './findMoment/findMomentHandlers';
import { Monitor } from './monitoring/monitor';
import type { Clock } from './monitoring/clock';
import type { LogEntry } from './logging/activityLog';

export interface CoreOptions {
  /** The fleet file; default: LIFEBOAT_CONFIG or fleet.yaml in the OS app-data folder. */
  configPath?: string;
  /** State, journals and logs; default: LIFEBOAT_DATA_DIR or the OS app-data folder. */
  dataDir?: string;
  secrets?: SecretStore;
  engines?: Partial<Record<EngineKind, Engine>>;
  env?: NodeJS.ProcessEnv;
  /** Restart the WAL streams that were running when Lifeboat last stopped. */
  resumeWalStreams?: boolean;
  /** Run the fleet's schedules, notifications (events, webhooks) and the RPO watch until close(): for the
   * long-lived doors (desktop, browser mode, agent), never for one-shot CLI commands. */
  runSchedules?: boolean;
  /** Name of a headless agent: its jobs and heartbeat are journalled in the repository for other computers. */
  agentName?: string;
  /** Time for the scheduler and notifier; tests pass a manual clock. */
  clock?: Clock;
  /** Webhook retries; tests shorten them. */
  webhookRetry?: { attempts?: number; baseDelayMs?: number };
  /** Also receives the scheduler's log lines (the agent prints them). */
  onScheduleLog?: (entry: LogEntry) => void;
  /** How runbooks become PDF; default Chromium through playwright-core (the desktop app passes printToPDF). */
  pdfRenderer?: PdfRenderer;
}

export interface Core {
  handlers: Handlers;
  events: EventHub;
  jobs: JobRunner;
  monitor: Monitor;
  log: ActivityLog;
  scratch: ScratchClusters;
  access: RepositoryAccess;
  info: AppInfo;
  /** The default repository's key, for the DBA to keep in the team's vault. Deliberately not part of the
   * contract: only the CLI offers it, so it never reaches a renderer. */
  exportRepositoryKey(): Promise<{ fingerprint: string; key: string }>;
  /**
   * Stops the schedules, cancels running jobs and waits up to graceMs (30 s) for them to clean up. A WAL
   * stream stopped this way is still wanted: the next start with resumeWalStreams carries on.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export async function createCore(options: CoreOptions = {}): Promise<Core> {
  letHeapGrowForJobs();
  const env = options.env ?? process.env;
  const paths = resolveAppPaths(options, env);
  const events = new EventHub();
  const log = new ActivityLog(join(paths.dataDir, 'logs', 'lifeboat.log'));
  const secrets = options.secrets ?? new KeytarSecretStore();
  const fleet = await FleetFile.load(paths.configPath);
  const status = new ServiceStatusStore(join(paths.dataDir, 'state', 'service-status.json'));
  await status.load();
  const access = new RepositoryAccess(fleet, secrets, env);
  // A backup interrupted in an object store is removed through its store, at once or at this start.
  const jobs = new JobRunner(join(paths.dataDir, 'state', 'jobs.jsonl'), (job) => events.publish('job.changed', job), undefined, {
    removeStoredOutput: (claim) => removeStoredOutput(claim, (location) => access.storeAccess(location)),
  });
  await jobs.init();
  const engines = { ...defaultEngines(), ...options.engines } as Record<EngineKind, Engine>;

  const info: AppInfo = {
    version: LIFEBOAT_VERSION,
    configPath: paths.configPath,
    dataDir: paths.dataDir,
    secretBackend: secrets.backend,
    platform: process.platform,
  };

  const scratch = new ScratchClusters(join(paths.dataDir, 'state', 'scratch'), ScratchClusters.defaultRoot(paths.dataDir, env), env);
  const lastKnown = LastKnownFacts.inDataDir(paths.dataDir);
  const deps: CoreDeps = { fleet, secrets, jobs, engines, events, log, access, scratch, env, dataDir: paths.dataDir, configPath: paths.configPath, lastKnown };
  // The monitor reaches the other slices through the composed handlers, built just below.
  const monitor = new Monitor(deps, () => handlers, { clock: options.clock, agentName: options.agentName, webhookRetry: options.webhookRetry, onLog: options.onScheduleLog });
  await monitor.load();
  // A schedule's last run and a notification name their job: the journal's compaction keeps those jobs.
  jobs.keepJobsReferencedBy(() => [...monitor.scheduler.views().flatMap((v) => v.lastRun?.jobId ?? []), ...monitor.notifier.list(Number.MAX_SAFE_INTEGER).flatMap((n) => n.jobId ?? [])]);
  const { resumeStreams, ...recovery } = recoveryHandlers({ access, secrets, jobs, engines, scratch, log, env, dataDir: paths.dataDir, configPath: paths.configPath });
  // A service backed up by pgBackRest or Barman is answered through that engine, in the same shapes.
  const handlers: Handlers = withExistingEngines({
    'app.info': async () => info,
    ...serviceHandlers({ fleet, secrets, status, engines, events, log, env }),
    ...backupHandlers({ fleet, secrets, jobs, engines, events, log, env, access }),
    ...recovery,
    ...sqlServerHandlers(deps),
    ...replicationHandlers(deps),
    ...runbookHandlers(deps, { handlers: () => handlers, pdf: options.pdfRenderer }),
    ...monitoringHandlers(deps, monitor),
    ...findMomentHandlers(deps),
    'jobs.list': async () => jobs.list(),
    'jobs.cancel': async ({ id }) => jobs.cancel(id),
  }, deps);

  await log.write({ level: 'info', event: 'core.started', detail: `config ${paths.configPath}` });
  // Long-lived doors (desktop, browser mode, agent) carry on streaming WAL where they left off.
  if (options.resumeWalStreams) await resumeStreams();
  let fleetWatcher: FleetFileWatcher | undefined;
  if (options.runSchedules) {
    // Only long-lived doors compact: a one-shot CLI command beside a running app must not rewrite its files.
    await Promise.all([jobs.compact(), monitor.notifier.compact()]).catch((err: Error) => log.write({ level: 'warn', event: 'state.compaction.failed', detail: err.message }));
    await monitor.start();
    fleetWatcher = followFleetFileEdits(fleet, { events, log, notifier: monitor.notifier, onLog: options.onScheduleLog });
  }
  return {
    handlers,
    events,
    jobs,
    monitor,
    log,
    scratch,
    access,
    info,
    exportRepositoryKey: async () => {
      if (!fleet.repository) throw new LifeboatError('NOT_FOUND', 'No backup repository is configured.', 'Create one with "lifeboat repo init <path>".');
      const repo = await access.repositoryFor();
      const fingerprint = repo.info.encryption?.keyFingerprint;
      if (!fingerprint) throw new LifeboatError('INVALID_INPUT', `${repo.root} is not encrypted; it has no key.`, 'Nothing to export.');
      const key = await loadRepositoryKey(secrets, fingerprint);
      await log.write({ level: 'warn', event: 'repository.key.exported', detail: fingerprint });
      return { fingerprint, key: key.toString('base64') };
    },
    close: async ({ graceMs = 30_000 } = {}) => {
      fleetWatcher?.stop();
      await monitor.stop();
      // A job left running would orphan its tools (pg_receivewal keeps its slot busy, so the next start
      // could not stream) and leave partial output for the next start to clean.
      const running = jobs.list().filter((j) => !FINAL_JOB_STATES.includes(j.state));
      await Promise.all(running.map((j) => jobs.cancel(j.id).catch(() => undefined)));
      await Promise.race([Promise.all(running.map((j) => jobs.wait(j.id))), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await log.write({ level: 'info', event: 'core.stopped' });
    },
  };
}
