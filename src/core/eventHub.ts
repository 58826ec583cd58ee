// Typed publish/subscribe for the contract's events; every door forwards them to its clients.
import type { EventName, EventPayloads } from '../shared/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void;

export class EventHub {
  private listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }
}
