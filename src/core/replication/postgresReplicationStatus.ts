// Reads one PostgreSQL service's replication view: its own facts, plus a short look at the other registered
// PostgreSQL servers of the same lineage (system identifier) to match standbys to services, find cascades
// and notice a registered standby that is not connected.
import type { Service } from '../../shared/domain';
import type { PostgresReplicationView } from '../../shared/replication';
import { withPgClient } from '../engines/postgres/pgClient';
import type { FleetFile } from '../inventory/fleetFile';
import { resolvePassword } from '../secrets/resolvePassword';
import type { SecretStore } from '../secrets/secretStore';
import { thresholdsOf } from './lagThresholds';
import { readPostgresReplicationFacts, type PostgresReplicationFacts } from './postgresReplicationFacts';
import { addressOf, buildPostgresView, knownRoleOf, type Peer } from './postgresReplicationView';
import type { TopologyMemory } from './topologyMemory';

export interface PostgresStatusDeps {
  fleet: FleetFile;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  memory: TopologyMemory;
}

/** A peer that does not answer within this long is taken from memory: the view must not wait on it. */
const PEER_TIMEOUT_MS = 3000;

async function readFacts(service: Service, deps: PostgresStatusDeps, timeoutMs = 10_000): Promise<PostgresReplicationFacts> {
  const password = await resolvePassword(service, deps.secrets, deps.env);
  return withPgClient(service.connection, password, readPostgresReplicationFacts, { timeoutMs });
}

/**
 * Each server read once per view: services at the same address with the same login share one read, since
 * replication facts are the server's (a fleet often keeps many services' databases on one cluster; reading it
 * once per service, and again as every other service's peer, made runbook --all quadratic).
 */
export class ServerReads {
  private readonly reads = new Map<string, Promise<PostgresReplicationFacts>>();

  constructor(private readonly deps: PostgresStatusDeps) {}

  /** Services with the same key share one read. */
  static keyOf(service: Service): string {
    return `${serviceAddress(service)}/${service.connection.user}`;
  }

  facts(service: Service, timeoutMs?: number): Promise<PostgresReplicationFacts> {
    const key = ServerReads.keyOf(service);
    let read = this.reads.get(key);
    if (!read) {
      read = readFacts(service, this.deps, timeoutMs);
      read.catch(() => undefined); // each caller handles the failure its own way
      this.reads.set(key, read);
    }
    return read.then(async (facts) => {
      await this.deps.memory.remember(service.id, knownRoleOf(facts));
      return facts;
    });
  }
}

export const serviceAddress = (s: Service) => addressOf(s.connection.host, s.connection.port);

/** Other registered PostgreSQL servers: read when they may belong to this lineage, else what memory holds.
 * Memory is looked up in one go and only this lineage's servers are awaited: a fleet view builds one view per
 * service, each looking at every other service. */
async function peersOf(service: Service, systemIdentifier: string, deps: PostgresStatusDeps, reads: ServerReads): Promise<Peer[]> {
  const others = deps.fleet.list().filter((s) => s.engine === 'postgres' && s.id !== service.id);
  const memory = await deps.memory.snapshot();
  const lineage = others.filter((s) => {
    const remembered = memory.get(s.id);
    return !remembered || remembered.systemIdentifier === systemIdentifier;
  });
  const read = new Map(await Promise.all(lineage.map(async (s) => [s.id, await reads.facts(s, PEER_TIMEOUT_MS).catch(() => undefined)] as const)));
  return others.map((s): Peer => {
    const peer: Peer = { serviceId: s.id, address: serviceAddress(s), thresholds: s.policy.replication ? thresholdsOf(s.policy.replication) : undefined, known: memory.get(s.id) };
    const facts = read.get(s.id);
    return facts ? { ...peer, facts, known: knownRoleOf(facts) } : peer;
  });
}

/** The view of one service. `reads` lets a caller reading many services (the overview) read each server once. */
export async function postgresReplicationView(service: Service, deps: PostgresStatusDeps, reads = new ServerReads(deps)): Promise<PostgresReplicationView> {
  const facts = await reads.facts(service);
  const peers = await peersOf(service, facts.identity.system_identifier, deps, reads);
  return buildPostgresView({ serviceId: service.id, address: serviceAddress(service), thresholds: thresholdsOf(service.policy.replication), facts, peers });
}
