// Cancellation as every store reports it: the job runner aborts with its own CANCELLED error as the reason,
// which is passed on unchanged; any other abort becomes CANCELLED naming the repository.
import { LifeboatError } from '../../lifeboatError';

export function cancelledError(signal: AbortSignal | undefined, storeName: string): LifeboatError {
  const reason: unknown = signal?.reason;
  if (reason instanceof LifeboatError) return reason;
  return new LifeboatError('CANCELLED', `The transfer to or from ${storeName} was cancelled.`, 'Nothing half-written was kept; run the command again when ready.');
}

export function isAbortError(err: unknown): boolean {
  const name = (err as Error | undefined)?.name;
  return name === 'AbortError' || (err as NodeJS.ErrnoException | undefined)?.code === 'ABORT_ERR';
}

/** Throws the cancellation at once when the signal has already fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, storeName: string): void {
  if (signal?.aborted) throw cancelledError(signal, storeName);
}
