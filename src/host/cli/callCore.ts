// One contract call from a CLI command, through the same dispatcher the other doors use; a refusal is
// thrown as its WireError, which the command's (or cliMain's) error path prints with its exit code.
import type { Core } from '../../core/api';
import { dispatchCall } from '../../core/doorDispatch';

export async function call<T>(core: Core, method: string, input: unknown): Promise<T> {
  const outcome = await dispatchCall(core, method, input);
  if (!outcome.ok) throw outcome.error;
  return outcome.value as T;
}
