// What a command's failure looks like at the door: a flag node:util's parseArgs does not know, or one
// missing its value, is the user's input (INVALID_INPUT naming the command's help), never an INTERNAL bug.
import { toWireError } from '../../core/lifeboatError';
import type { WireError } from '../../shared/errors';

export function commandFailure(err: unknown, command: string): WireError {
  if ((err as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS'))
    return { code: 'INVALID_INPUT', message: (err as Error).message, hint: `Run "lifeboat ${command} --help" for its options.` };
  return toWireError(err);
}
