// The SQL Server slice of the contract (see src/shared/sqlServerContract.ts).
import type { Handlers } from '../../shared/contract';
import type { sqlServerMethodInputs } from '../../shared/sqlServerContract';
import type { CoreDeps } from '../coreDeps';

type SqlServerHandlers = Pick<Handlers, keyof typeof sqlServerMethodInputs>;

export function sqlServerHandlers(_deps: CoreDeps): SqlServerHandlers {
  return {};
}
