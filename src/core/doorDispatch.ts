// What every door does with a call: validate the raw input against the contract, run the handler, and turn
// any failure into a WireError. Cancel of a call aborts its signal (used by handlers that accept one).
import { isMethodName, parseInput, type MethodName } from '../shared/contract';
import type { WireError } from '../shared/errors';
import type { Core } from './api';
import { toWireError } from './lifeboatError';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: WireError };

export async function dispatchCall(core: Core, method: unknown, rawInput: unknown): Promise<CallOutcome> {
  if (!isMethodName(method))
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown method: ${String(method).slice(0, 80)}`, hint: 'The client and the core are from different Lifeboat versions.' } };
  const parsed = parseInput(method, rawInput);
  if (!parsed.ok) return parsed;
  try {
    const handler = core.handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.value) };
  } catch (err) {
    const error = toWireError(err);
    if (error.code === 'INTERNAL') await core.log.write({ level: 'error', event: `call.${method as MethodName}`, detail: (err as Error)?.stack?.split('\n').slice(0, 4).join(' | ') });
    return { ok: false, error };
  }
}
