// The replication slice of the contract (see src/shared/replicationContract.ts): status and overview for
// PostgreSQL and SQL Server, the lag sampling job and its session history, and standby promotion.
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { WireError } from '../../shared/errors';
import type { ReplicationOverviewRow, ReplicationView } from '../../shared/replication';
import type { replicationMethodInputs } from '../../shared/replicationContract';
import type { CoreDeps } from '../coreDeps';
import { LifeboatError, toWireError } from '../lifeboatError';
import { resolvePassword } from '../secrets/resolvePassword';
import { thresholdsOf } from './lagThresholds';
import { LagHistory } from './lagHistory';
import { postgresReplicationView, ServerReads, type PostgresStatusDeps } from './postgresReplicationStatus';
import { checkPromotion, promoteStandby } from './promoteStandby';
import { PromotionJournal } from './promotionJournal';
import { overviewRow } from './replicationOverview';
import { ReplicationSampler } from './replicationSampler';
import { readSqlServerHaFacts } from './sqlServerHaQueries';
import { buildSqlServerView } from './sqlServerHaView';
import { TopologyMemory } from './topologyMemory';
import { fanOut } from '../fleet/fanOut';
import { fleetViewLimits } from '../fleet/fleetViewLimits';

type ReplicationHandlers = Pick<Handlers, keyof typeof replicationMethodInputs>;

export function replicationHandlers(deps: CoreDeps): ReplicationHandlers {
  const memory = new TopologyMemory(join(deps.dataDir, 'state', 'replication-topology.json'));
  const journal = new PromotionJournal(join(deps.dataDir, 'state', 'promotions.jsonl'));
  const pgDeps: PostgresStatusDeps = { fleet: deps.fleet, secrets: deps.secrets, env: deps.env, memory };
  const history = new LagHistory();

  const requireService = (id: string): Service => deps.access.requireService(id);
  const requirePostgres = (id: string): Service => {
    const service = requireService(id);
    if (service.engine !== 'postgres') throw new LifeboatError('INVALID_INPUT', `${id} is a SQL Server service.`, 'Promotion is for PostgreSQL standbys; SQL Server failover is guidance on the replication page, run by the DBA.');
    return service;
  };

  async function viewOf(service: Service, reads?: ServerReads): Promise<ReplicationView> {
    if (service.engine === 'postgres') return postgresReplicationView(service, pgDeps, reads);
    const password = await resolvePassword(service, deps.secrets, deps.env);
    const facts = await readSqlServerHaFacts(service.connection, password);
    return buildSqlServerView(service.id, facts, thresholdsOf(service.policy.replication));
  }

  /** Many services' views: every PostgreSQL server read once (ServerReads), all at once up to the fleet views'
   * connection limit, each under their time limit, so servers that do not answer wait side by side rather than
   * in waves; then each service's view (a primary looks its standbys up among the same reads). */
  async function viewsOf(services: Service[]): Promise<Array<{ service: Service; view?: ReplicationView; error?: WireError }>> {
    const limits = fleetViewLimits(deps.env, deps.fleet.fleetViews);
    const reads = new ServerReads(pgDeps);
    const servers = new Map(services.filter((s) => s.engine === 'postgres').map((s) => [ServerReads.keyOf(s), s]));
    await fanOut([...servers.values()], { concurrency: limits.maxConnections, timeLimitMs: limits.timeLimitMs }, (s) => reads.facts(s).then(() => undefined, () => undefined), () => undefined);
    const failed = (service: Service, err: unknown) => ({ service, error: toWireError(err) });
    return fanOut(
      services,
      limits,
      async (service) => {
        try {
          return { service, view: await viewOf(service, reads) };
        } catch (err) {
          return failed(service, err);
        }
      },
      (service, reason) => failed(service, new LifeboatError('TIMEOUT', reason, 'Check the host with "lifeboat services test <service>".')),
    );
  }

  const sampler = new ReplicationSampler({
    jobs: deps.jobs,
    events: deps.events,
    log: deps.log,
    history,
    read: (id) => viewOf(requireService(id)),
    thresholds: (id) => thresholdsOf(deps.fleet.get(id)?.policy.replication),
  });

  return {
    'replication.status': async ({ serviceId }) => viewOf(requireService(serviceId)),

    'replication.overview': async () => {
      const checkedAt = new Date().toISOString();
      const views = await viewsOf(deps.fleet.list());
      return views.map(({ service, view, error }): ReplicationOverviewRow => {
        if (view) return overviewRow(view);
        // A server that refuses connections is down, so it replicates nothing: broken. One that does not answer
        // in time, or that Lifeboat cannot read, tells nothing about replication: unknown.
        const health = error!.code === 'UNREACHABLE' ? 'broken' : 'unknown';
        return { serviceId: service.id, engine: service.engine, role: 'unknown', health, summary: `cannot read: ${error!.message}`, checkedAt, error };
      });
    },

    'replication.statuses': async ({ serviceIds }) => {
      const views = await viewsOf(serviceIds.map(requireService));
      return views.map(({ service, view, error }) => ({ serviceId: service.id, ...(view ? { view } : { error }) }));
    },

    'replication.startSampling': async ({ serviceId }) => {
      requireService(serviceId);
      const job = sampler.start(serviceId);
      await deps.log.write({ level: 'info', event: 'replication.sampling.started', serviceId });
      return job;
    },

    'replication.stopSampling': async ({ serviceId }) => ({ serviceId, stopped: await sampler.stop(serviceId) }),

    'replication.history': async ({ serviceId }) => {
      const service = requireService(serviceId);
      const job = sampler.jobOf(serviceId);
      return { serviceId, intervalMs: thresholdsOf(service.policy.replication).sampleIntervalMs, capacity: history.capacity, sampling: !!job, jobId: job?.id, samples: history.of(serviceId) };
    },

    'replication.promotionCheck': async ({ serviceId }) => checkPromotion(requirePostgres(serviceId), pgDeps),

    'replication.promote': async ({ serviceId, confirm, fencedConfirmed }) => {
      const service = requirePostgres(serviceId);
      const record = await promoteStandby(service, { confirm, fencedConfirmed }, { ...pgDeps, journal, log: deps.log });
      // The sampler's next read shows the new role; one now makes the chart and alerts follow at once.
      if (sampler.jobOf(serviceId)) await sampler.sampleOnce(serviceId);
      return record;
    },

    'replication.promotions': async ({ serviceId }) => journal.list(serviceId),
  };
}
