import type { HeedyEvent } from "../../core/events.js";

export type EventListener = (e: HeedyEvent) => void;

/**
 * Where services publish what changed and sockets hear it. The in-process bus reaches the sockets
 * of this process only; a store shared by several processes (PostgreSQL) replaces it with one that
 * fans out through LISTEN/NOTIFY, without the services or the socket noticing.
 */
export interface EventBus {
  publish(e: HeedyEvent): void;
  /** Returns the function that stops listening. */
  listen(listener: EventListener): () => void;
}

export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  publish(e: HeedyEvent): void {
    for (const l of this.listeners) {
      // A listener that throws (a socket torn down mid-send) must not stop the write that fired.
      try {
        l(e);
      } catch {
        /* the listener's own problem */
      }
    }
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
