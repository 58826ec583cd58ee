// A typed client over any LifeboatBridge: calls become promises, events become listeners, aborts become
// cancel messages. It never logs inputs, because inputs may carry a password.
import type { LifeboatBridge } from '../../../shared/bridge';
import { parseInput } from '../../../shared/contract';
import type { EventName, EventPayloads, MethodInput, MethodName, MethodOutput, ServerMessage } from '../../../shared/contract';
import { isWireError } from '../../../shared/errors';
import type { WireError } from '../../../shared/errors';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface LifeboatClient {
  /** Resolves with the method's output; rejects with a WireError {code, message, hint}. */
  call<M extends MethodName>(method: M, input: MethodInput<M>, options?: CallOptions): Promise<MethodOutput<M>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** The transport is gone for good: rejects every call still waiting, and every later one, with `error`. */
  markClosed(error: WireError): void;
}

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: WireError) => void;
  cleanup: () => void;
}

const CANCELLED: WireError = { code: 'CANCELLED', message: 'The request was cancelled.', hint: 'Start it again if you still need it.' };

export function createLifeboatClient(bridge: LifeboatBridge): LifeboatClient {
  let nextId = 1;
  let closedWith: WireError | undefined;
  const pending = new Map<number, PendingCall>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  bridge.onMessage((message: ServerMessage) => {
    if (message.t === 'event') {
      for (const listener of listeners.get(message.name) ?? []) {
        try {
          listener(message.payload);
        } catch (err) {
          // One faulty listener must not starve the others; the error carries no secret.
          console.error(`Listener for ${message.name} failed`, err);
        }
      }
      return;
    }
    const call = pending.get(message.id);
    if (!call) return; // cancelled or already failed: a late answer is dropped
    pending.delete(message.id);
    call.cleanup();
    if (message.ok) call.resolve(message.value);
    else call.reject(isWireError(message.error) ? message.error : internalError('The host sent an unreadable error.'));
  });

  return {
    call<M extends MethodName>(method: M, input: MethodInput<M>, options: CallOptions = {}): Promise<MethodOutput<M>> {
      const { signal } = options;
      if (signal?.aborted) return Promise.reject(CANCELLED);
      if (closedWith) return Promise.reject(closedWith);
      const parsed = parseInput(method, input);
      if (!parsed.ok) return Promise.reject(parsed.error);

      const id = nextId++;
      return new Promise<MethodOutput<M>>((resolve, reject) => {
        const onAbort = () => {
          if (!pending.delete(id)) return;
          bridge.send({ t: 'cancel', id });
          reject(CANCELLED);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: resolve as (value: unknown) => void,
          reject,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        });
        // The raw input goes out, not the parsed one: the door applies the same schema and its defaults.
        bridge.send({ t: 'call', id, method, input });
      });
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },

    markClosed(error: WireError): void {
      closedWith = error;
      for (const [id, call] of pending) {
        pending.delete(id);
        call.cleanup();
        call.reject(error);
      }
    },
  };
}

function internalError(message: string): WireError {
  return { code: 'INTERNAL', message, hint: 'Check the Lifeboat log for details.' };
}

/** Turns anything a call rejected with into a WireError the UI can show (never a stack). */
export function toWireError(err: unknown): WireError {
  if (isWireError(err)) return err;
  return internalError('Something unexpected went wrong in the window.');
}
