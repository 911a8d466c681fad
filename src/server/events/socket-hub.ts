/**
 * The open `/api/events` sockets (contract 10): their subscriptions, the per-actor cap, and the
 * delivery of bus events to the sockets whose filters select them.
 */
import { type EventFilter, eventMatches, filterKey, type HeedyEvent } from "../../core/events.js";
import type { Actor } from "../http/actor.js";
import { type EventBus, isInternal, RESYNC, SESSION_END } from "./bus.js";

/** The part of a `ws` socket the hub uses (the `ws` package ships no types here). */
export interface EventSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

const OPEN = 1;
/** A client this far behind is not reading; dropping it bounds the server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface Connection {
  socket: EventSocket;
  actor: Actor;
  actorKey: string;
  subscriptions: Map<string, EventFilter>;
  /** Re-arms the idle ping; called on every frame in or out. */
  touch(): void;
}

/** One key per user, app or caller address: what the socket cap counts. */
export function actorKey(actor: Actor, ip: string): string {
  switch (actor.kind) {
    case "user":
      return `user:${actor.username}`;
    case "app":
      return `app:${actor.app.id}`;
    case "plugin":
      return "plugin";
    case "public":
      return `public:${ip}`;
  }
}

export class SocketHub {
  private readonly connections = new Set<Connection>();
  private readonly perActor = new Map<string, number>();
  private readonly stop: () => void;
  private readonly sweep: NodeJS.Timeout | undefined;

  /**
   * `stillValid` re-reads the credentials a socket was opened with (a disabled app, a new token,
   * an ended session). It runs when an event may have changed them, and every `recheckEveryMs`
   * for what ends without an event (a session that expires).
   */
  constructor(
    bus: EventBus,
    private readonly stillValid: (actor: Actor) => Promise<boolean>,
    recheckEveryMs?: number,
  ) {
    this.stop = bus.listen((e) => this.deliver(e));
    if (recheckEveryMs !== undefined) {
      this.sweep = setInterval(() => {
        for (const c of this.connections) void this.recheck(c);
      }, recheckEveryMs);
      this.sweep.unref();
    }
  }

  count(key: string): number {
    return this.perActor.get(key) ?? 0;
  }

  add(c: Connection): void {
    this.connections.add(c);
    this.perActor.set(c.actorKey, this.count(c.actorKey) + 1);
    // Credentials ended between the upgrade's authentication and now published their event
    // before this socket could hear it.
    void this.recheck(c);
  }

  remove(c: Connection): void {
    if (!this.connections.delete(c)) return;
    const n = this.count(c.actorKey) - 1;
    if (n > 0) this.perActor.set(c.actorKey, n);
    else this.perActor.delete(c.actorKey);
  }

  close(): void {
    this.stop();
    clearInterval(this.sweep);
    for (const c of this.connections) c.socket.close(1001, "server shutting down");
  }

  private async recheck(c: Connection): Promise<void> {
    if (await this.stillValid(c.actor).catch(() => false)) return;
    // The credentials behind this socket are gone: it must not hear another event.
    c.socket.close(1008, "the credentials of this socket were revoked");
    this.remove(c);
  }

  private deliver(e: HeedyEvent): void {
    if (isInternal(e)) {
      this.internal(e);
      return;
    }
    let text: string | undefined;
    for (const c of this.connections) {
      if (concernsCredentials(c.actor, e)) void this.recheck(c);
      if (c.socket.readyState !== OPEN) continue;
      let selected = false;
      for (const f of c.subscriptions.values()) {
        if (eventMatches(f, e)) {
          selected = true;
          break;
        }
      }
      if (!selected) continue;
      if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        c.socket.terminate();
        this.remove(c);
        continue;
      }
      text ??= JSON.stringify(e);
      c.socket.send(text);
      c.touch();
    }
  }

  /** Bus-only events: acted on here, never sent. */
  private internal(e: HeedyEvent): void {
    if (e.event === RESYNC) {
      // 1012 (service restart): the client reconnects and refetches what it shows.
      for (const c of this.connections) {
        c.socket.close(1012, "events from other server processes may have been missed; reconnect");
        this.remove(c);
      }
      return;
    }
    for (const c of this.connections) if (concernsCredentials(c.actor, e)) void this.recheck(c);
  }
}

/** Whether `e` may have ended the rights the socket was opened with. */
function concernsCredentials(actor: Actor, e: HeedyEvent): boolean {
  if (actor.kind === "user") {
    const named = e.user === actor.username || previousName(e) === actor.username;
    // A password change ends the user's other sessions; a rename leaves the socket's name stale.
    return named && (e.event === "user_delete" || e.event === "user_update" || e.event === SESSION_END);
  }
  if (actor.kind === "app") {
    if (e.event === "user_delete") return e.user === actor.app.owner;
    // The owner renamed: the app's owner name is stale (and could be taken by a new user).
    if (e.event === "user_update") return previousName(e) === actor.app.owner;
    return e.app === actor.app.id && (e.event === "app_update" || e.event === "app_delete");
  }
  return false;
}

function previousName(e: HeedyEvent): string | undefined {
  const data = e.data as { previous?: unknown } | undefined;
  return typeof data?.previous === "string" ? data.previous : undefined;
}

export { filterKey };
