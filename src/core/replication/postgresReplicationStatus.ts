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

export async function readFacts(service: Service, deps: PostgresStatusDeps, timeoutMs = 10_000): Promise<PostgresReplicationFacts> {
  const password = await resolvePassword(service, deps.secrets, deps.env);
  const facts = await withPgClient(service.connection, password, readPostgresReplicationFacts, { timeoutMs });
  await deps.memory.remember(service.id, knownRoleOf(facts));
  return facts;
}

export const serviceAddress = (s: Service) => addressOf(s.connection.host, s.connection.port);

/** Other registered PostgreSQL servers: read when they may belong to this lineage, else what memory holds. */
async function peersOf(service: Service, systemIdentifier: string, deps: PostgresStatusDeps, known: Map<string, PostgresReplicationFacts | Error>): Promise<Peer[]> {
  const others = deps.fleet.list().filter((s) => s.engine === 'postgres' && s.id !== service.id);
  return Promise.all(
    others.map(async (s): Promise<Peer> => {
      const remembered = await deps.memory.get(s.id);
      const peer: Peer = { serviceId: s.id, address: serviceAddress(s), thresholds: s.policy.replication ? thresholdsOf(s.policy.replication) : undefined, known: remembered };
      if (remembered && remembered.systemIdentifier !== systemIdentifier) return peer;
      let facts = known.get(s.id);
      if (facts === undefined) {
        facts = await readFacts(s, deps, PEER_TIMEOUT_MS).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
        known.set(s.id, facts);
      }
      if (facts instanceof Error) return peer;
      return { ...peer, facts, known: knownRoleOf(facts) };
    }),
  );
}

/**
 * The view of one service. `shared` lets a caller reading many services (the overview) read each server once.
 */
export async function postgresReplicationView(service: Service, deps: PostgresStatusDeps, shared = new Map<string, PostgresReplicationFacts | Error>()): Promise<PostgresReplicationView> {
  let facts = shared.get(service.id);
  if (facts instanceof Error) throw facts;
  if (!facts) {
    try {
      facts = await readFacts(service, deps);
      shared.set(service.id, facts);
    } catch (err) {
      shared.set(service.id, err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }
  const peers = await peersOf(service, facts.identity.system_identifier, deps, shared);
  return buildPostgresView({ serviceId: service.id, address: serviceAddress(service), thresholds: thresholdsOf(service.policy.replication), facts, peers });
}
