// What the core's slices are built from: one object so a new slice does not widen createCore's wiring.
import type { Service } from '../shared/domain';
import type { RepositoryAccess } from './backups/repositoryAccess';
import type { Engine } from './engines/engine';
import type { EventHub } from './eventHub';
import type { LastKnownFacts } from './fleet/lastKnownFacts';
import type { FleetFile } from './inventory/fleetFile';
import type { JobRunner } from './jobs/jobRunner';
import type { ActivityLog } from './logging/activityLog';
import type { ScratchClusters } from './scratch/scratchClusters';
import type { SecretStore } from './secrets/secretStore';

export interface CoreDeps {
  fleet: FleetFile;
  secrets: SecretStore;
  jobs: JobRunner;
  engines: Record<Service['engine'], Engine>;
  events: EventHub;
  log: ActivityLog;
  access: RepositoryAccess;
  scratch: ScratchClusters;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  configPath: string;
  /** The last answer each service gave for each fleet fact, shared by every fleet-wide view. */
  lastKnown: LastKnownFacts;
}
