// The monitoring slice of the contract (see src/shared/monitoringContract.ts).
import type { Handlers } from '../../shared/contract';
import type { monitoringMethodInputs } from '../../shared/monitoringContract';
import type { CoreDeps } from '../coreDeps';

type MonitoringHandlers = Pick<Handlers, keyof typeof monitoringMethodInputs>;

export function monitoringHandlers(_deps: CoreDeps): MonitoringHandlers {
  return {};
}
