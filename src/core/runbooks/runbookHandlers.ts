// The runbooks slice of the contract (see src/shared/runbookContract.ts).
import type { Handlers } from '../../shared/contract';
import type { runbookMethodInputs } from '../../shared/runbookContract';
import type { CoreDeps } from '../coreDeps';

type RunbookHandlers = Pick<Handlers, keyof typeof runbookMethodInputs>;

export function runbookHandlers(_deps: CoreDeps): RunbookHandlers {
  return {};
}
