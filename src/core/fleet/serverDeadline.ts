// How long a fleet-wide view waits for one service, carried with that service's work (AsyncLocalStorage):
// the code that opens a connection deep inside a handler shortens its connect timeout to the deadline and
// drops the socket when the view stops waiting, so a host that accepts and never answers costs one time
// limit, not a pile of ten-second timeouts one after another.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { LifeboatError } from '../lifeboatError';

export interface Deadline {
  signal: AbortSignal;
  /** Epoch milliseconds at which the view stops waiting. */
  at: number;
  limitMs: number;
}

const current = new AsyncLocalStorage<Deadline>();

/** "no answer within 2 s": what a view shows as the reason a fact is unknown. */
export function noAnswerWithin(limitMs: number): string {
  const s = limitMs / 1000;
  return `no answer within ${limitMs < 1000 ? `${limitMs} ms` : `${Number.isInteger(s) ? s : s.toFixed(1)} s`}`;
}

/** Runs work with a deadline limitMs from now (or sooner, when `parent` aborts first). */
export function withDeadline<T>(limitMs: number, parent: AbortSignal | undefined, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(limitMs);
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  // Every connection a service's work opens listens for the deadline: more than EventTarget's default ten.
  setMaxListeners(0, signal);
  const deadline: Deadline = { signal, at: Date.now() + limitMs, limitMs };
  return current.run(deadline, () => work(deadline));
}

export function currentDeadline(): Deadline | undefined {
  return current.getStore();
}

/**
 * A connect timeout for a connection opened now: `defaultMs`, or a little more than what is left of the
 * deadline (the deadline itself drops the socket through onDeadline and names the reason; the client's own
 * timeout is the safety net behind it).
 */
export function connectTimeoutMs(defaultMs: number): number {
  const d = current.getStore();
  return d ? Math.max(1, Math.min(defaultMs, d.at - Date.now() + 500)) : defaultMs;
}

/** The TIMEOUT to report when the current deadline has passed (a socket dropped by onDeadline fails with
 * "connection terminated", which would read as a server that went away). */
export function deadlinePassed(): LifeboatError | undefined {
  const d = current.getStore();
  return d?.signal.aborted ? deadlineError(d) : undefined;
}

function deadlineError(d: Deadline): LifeboatError {
  return new LifeboatError('TIMEOUT', noAnswerWithin(d.limitMs), 'A host that accepts connections and never answers, or a very slow one: check it with "lifeboat services test <service>".');
}

/** Calls `stop` when the current deadline passes (e.g. to destroy a socket); returns the unsubscribe. */
export function onDeadline(stop: () => void): () => void {
  const d = current.getStore();
  if (!d) return () => undefined;
  if (d.signal.aborted) {
    stop();
    return () => undefined;
  }
  d.signal.addEventListener('abort', stop, { once: true });
  return () => d.signal.removeEventListener('abort', stop);
}
