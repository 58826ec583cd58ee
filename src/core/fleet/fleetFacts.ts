// The facts of every service for one fleet-wide view (dashboard, fleet page, fleet report): all services
// asked at once through a bounded pool, each under a time limit, replication read for the whole fleet in one
// pass; what a service did not answer is unknown with the last value it gave (lastKnownFacts.ts).
import type { Handlers } from '../../shared/contract';
import type { FleetFactName } from '../../shared/monitoring';
import type { ReplicationHealth, ReplicationView } from '../../shared/replication';
import { toWireError } from '../lifeboatError';
import { overviewRow } from '../replication/replicationOverview';
import type { CoreDeps } from '../coreDeps';
import { formatDuration, formatTime } from '../formatFacts';
import type { Fact } from './fact';
import { fanOut } from './fanOut';
import type { LastKnownFacts } from './lastKnownFacts';
import { fleetViewLimits, type FleetViewLimits } from './fleetViewLimits';
import { gatherServiceFacts, walFactOf, type ServiceFacts } from './serviceFacts';

/** A replication view in one line, as the overview shows it. */
function replicationOf(view: ReplicationView): ReplicationFact {
  const row = overviewRow(view);
  return { health: row.health, summary: row.summary };
}

export interface ReplicationFact {
  health: ReplicationHealth;
  summary: string;
}

export type FleetServiceFacts = ServiceFacts & { replication: Fact<ReplicationFact> };

export interface FleetFacts {
  generatedAt: string;
  timeLimitMs: number;
  services: FleetServiceFacts[];
}

const unknownFact = (reason: string) => ({ known: false as const, reason });

/** Every fact of a service unknown for one reason: the service as a whole did not answer in time. */
function nothingKnown(service: ServiceFacts['service'], reason: string): Omit<ServiceFacts, 'wal'> {
  return { service, backups: unknownFact(reason), window: unknownFact(reason), drills: unknownFact(reason), walFiles: unknownFact(reason), encrypted: unknownFact(reason) };
}

/** Replication views of the whole fleet in one pass (each server read once); a service that could not be
 * read is unknown, with the reason. */
async function replicationViews(h: Handlers, serviceIds: string[]): Promise<Map<string, Fact<ReplicationView>>> {
  if (!serviceIds.length) return new Map();
  const views = await h['replication.statuses']({ serviceIds }).catch((err: unknown) => serviceIds.map((serviceId) => ({ serviceId, view: undefined, error: toWireError(err) })));
  return new Map(views.map((v) => [v.serviceId, v.view ? { known: true as const, value: v.view } : unknownFact(v.error ? `${v.error.message} (${v.error.code})` : 'not read')]));
}

/** The value of each remembered fact in words, as "last known <text>" shows it. */
function describe(name: FleetFactName, f: FleetServiceFacts): string | undefined {
  switch (name) {
    case 'backups': {
      if (!f.backups.known) return undefined;
      const good = f.backups.value.find((b) => b.verified !== false);
      return good ? `last good backup ${formatTime(good.finishedAt)}` : 'no good backup';
    }
    case 'window':
      return f.window.known ? (f.window.value ? `recoverable up to ${formatTime(f.window.value.to)}` : 'nothing recoverable to a point') : undefined;
    case 'drills': {
      if (!f.drills.known) return undefined;
      const d = f.drills.value[0];
      return d ? `last drill ${d.ok ? 'passed' : 'failed'}${d.rtoMs !== undefined ? ` in ${formatDuration(d.rtoMs)}` : ''} (${formatTime(d.finishedAt)})` : 'never drilled';
    }
    case 'wal':
      return f.wal.known ? `${f.wal.value.streaming ? 'streaming' : 'not streaming'}${f.wal.value.slotName ? `, slot ${f.wal.value.slotName} ${f.wal.value.slotActive ? 'active' : 'inactive'}` : ''}` : undefined;
    case 'replication':
      return f.replication.known ? `${f.replication.value.health}: ${f.replication.value.summary}` : undefined;
  }
}

const REMEMBERED: FleetFactName[] = ['backups', 'window', 'drills', 'wal', 'replication'];

/** Remembers what was learned now; gives what was not the last value learned before. */
function withLastKnown(f: FleetServiceFacts, lastKnown: LastKnownFacts, at: string): FleetServiceFacts {
  const out = { ...f };
  for (const name of REMEMBERED) {
    const current = f[name];
    if (current.known) {
      const text = describe(name, f);
      if (text !== undefined) lastKnown.remember(f.service.id, name, text, at);
    } else {
      const previous = lastKnown.recall(f.service.id, name);
      if (previous) (out as Record<FleetFactName, Fact<unknown>>)[name] = { ...current, lastKnown: previous };
    }
  }
  return out;
}

export async function gatherFleetFacts(h: Handlers, deps: CoreDeps, lastKnown: LastKnownFacts, options: { limits?: FleetViewLimits; signal?: AbortSignal } = {}): Promise<FleetFacts> {
  const limits = options.limits ?? fleetViewLimits(deps.env, deps.fleet.fleetViews);
  const services = deps.fleet.list();
  const generatedAt = new Date().toISOString();
  // Replication (and the slots the WAL fact needs) is read while the repository is, and the services that did
  // not answer last time are asked first, so their time limit runs while the others answer.
  await lastKnown.load();
  const ordered = lastKnown.slowestFirst(services);
  const [facts, views] = await Promise.all([
    fanOut(ordered, { ...limits, signal: options.signal }, (s) => gatherServiceFacts(h, deps, s), nothingKnown),
    replicationViews(h, ordered.map((s) => s.id)),
  ]);
  const byId = new Map(facts.map((f) => [f.service.id, f]));
  const out = services.map((s) => {
    const view = views.get(s.id) ?? unknownFact('not read');
    lastKnown.noteTimedOut(s.id, !view.known && /\(TIMEOUT\)$/.test(view.reason) ? generatedAt : undefined);
    const f: FleetServiceFacts = { ...byId.get(s.id)!, wal: walFactOf(s, deps, view), replication: view.known ? { known: true, value: replicationOf(view.value) } : view };
    return withLastKnown(f, lastKnown, generatedAt);
  });
  await lastKnown.save(services.map((s) => s.id));
  return { generatedAt, timeLimitMs: limits.timeLimitMs, services: out };
}
