// The replication slice of the contract (see src/shared/replicationContract.ts).
import type { Handlers } from '../../shared/contract';
import type { replicationMethodInputs } from '../../shared/replicationContract';
import type { CoreDeps } from '../coreDeps';

type ReplicationHandlers = Pick<Handlers, keyof typeof replicationMethodInputs>;

export function replicationHandlers(_deps: CoreDeps): ReplicationHandlers {
  return {};
}
