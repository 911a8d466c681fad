import type { HeedyEvent } from "../../core/events.js";

export type EventListener = (e: HeedyEvent) => void;

/**
 * Events the bus carries between processes but no socket ever hears: a name starting with "_"
 * is never one of heedy's. `SESSION_END`: a user's session ended (logout, or deleted from the
 * sessions list), so sockets opened with it must close. `RESYNC`: this process may have missed
 * other processes' events (its listener was down), so its sockets are closed to make clients
 * catch up.
 */
export const SESSION_END = "_session_end";
export const RESYNC = "_resync";

export function isInternal(e: HeedyEvent): boolean {
  return e.event.startsWith("_");
}

/**
 * Where services publish what changed and sockets hear it. The in-process bus reaches the sockets
 * of this process only; a store shared by several processes (PostgreSQL) replaces it with one that
 * fans out through LISTEN/NOTIFY, without the services or the socket noticing.
 */
export interface EventBus {
  publish(e: HeedyEvent): void;
  /** Returns the function that stops listening. */
  listen(listener: EventListener): () => void;
  /** Ends what the bus holds open (database connections); publishing afterwards stays local. */
  close?(): Promise<void>;
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
