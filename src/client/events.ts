/**
 * heedy's events socket (`/api/events`, contract 10) as a client sees it: one socket per stream,
 * shared by every listener, re-subscribed after a reconnect. It needs a WebSocket constructor: the
 * browser's or Node 22's global one by default, or one you pass (the `ws` package in Node 20).
 */
import { type EventFilter, eventMatches, filterKey, type HeedyEvent } from "../core/events.js";
import type { Session } from "./session.js";

export type { EventFilter, HeedyEvent } from "../core/events.js";

/** What the stream needs of a WebSocket: the browser's API, which `ws` also implements. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * - `connecting`: opening (or re-opening) the socket;
 * - `open`: events flow;
 * - `unavailable`: the socket could not be opened (no WebSocket here, a server or proxy without
 *   it) or dropped; the stream keeps retrying, and callers should poll meanwhile;
 * - `closed`: `close()` was called.
 */
export type EventStreamStatus = "connecting" | "open" | "unavailable" | "closed";

export interface EventStreamOptions {
  /** Defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Told of every status change. */
  onStatus?: (status: EventStreamStatus, detail?: string) => void;
  /** Told when the server refused a subscription (it is dropped; the others reconnect). */
  onRefused?: (reason: string) => void;
  /** First reconnect delay; doubles up to `maxRetryMs`. Default 1,000 ms. */
  retryMs?: number;
  maxRetryMs?: number;
}

type Listener = (e: HeedyEvent) => void;

interface Subscription {
  filter: EventFilter;
  listeners: Set<Listener>;
}

export class EventStream {
  private socket: WebSocketLike | undefined;
  private readonly subs = new Map<string, Subscription>();
  private statusValue: EventStreamStatus = "connecting";
  private retry: ReturnType<typeof setTimeout> | undefined;
  private delay: number;
  private readonly ctor: WebSocketConstructor | undefined;
  /**
   * Subscriptions sent but not yet confirmed. Each subscribe is followed by a ping; the server
   * handles commands in order, so each pong confirms the oldest. When the server refuses one it
   * closes the socket (1011), and the oldest unconfirmed is the one it refused: that one is
   * dropped, so the reconnect does not send it again.
   */
  private pending: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly options: EventStreamOptions = {},
  ) {
    this.delay = options.retryMs ?? 1000;
    this.ctor =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined;
    this.connect();
  }

  get status(): EventStreamStatus {
    return this.statusValue;
  }

  /**
   * Calls `listener` with every event `filter` selects, from now until the returned function is
   * called. Equal filters share one server-side subscription.
   */
  subscribe(filter: EventFilter, listener: Listener): () => void {
    const key = filterKey(filter);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = { filter, listeners: new Set() };
      this.subs.set(key, sub);
      this.sendSubscribe(key, filter);
    }
    sub.listeners.add(listener);
    return () => {
      const s = this.subs.get(key);
      if (!s?.listeners.delete(listener) || s.listeners.size > 0) return;
      this.subs.delete(key);
      this.command({ cmd: "unsubscribe", ...filter });
    };
  }

  close(): void {
    clearTimeout(this.retry);
    this.setStatus("closed");
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.onclose = null;
      s.close(1000);
    }
  }

  private setStatus(status: EventStreamStatus, detail?: string): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.options.onStatus?.(status, detail);
  }

  private sendSubscribe(key: string, filter: EventFilter): void {
    if (this.socket?.readyState !== 1) return;
    this.socket.send(JSON.stringify({ cmd: "subscribe", ...filter }));
    this.socket.send(JSON.stringify({ cmd: "ping" }));
    this.pending.push(key);
  }

  private command(cmd: Record<string, unknown>): void {
    // Sent now if open; otherwise the (re)connect sends every subscription anyway.
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(cmd));
  }

  private url(): string {
    const url = new URL(this.session.url("api/events"));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    // Browsers cannot set headers on a WebSocket; heedy reads the token from the query too (2.1).
    const token = this.session.bearerToken();
    if (token) url.searchParams.set("access_token", token);
    return url.toString();
  }

  private connect(): void {
    if (this.statusValue === "closed") return;
    if (!this.ctor) {
      this.setStatus("unavailable", "This runtime has no WebSocket");
      return;
    }
    let opened = false;
    let socket: WebSocketLike;
    try {
      socket = new this.ctor(this.url());
    } catch (e) {
      this.setStatus("unavailable", (e as Error).message);
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.delay = this.options.retryMs ?? 1000;
      this.pending = [];
      this.setStatus("open");
      for (const [key, { filter }] of this.subs) this.sendSubscribe(key, filter);
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== "string") return;
      let e: HeedyEvent;
      try {
        e = JSON.parse(ev.data) as HeedyEvent;
      } catch {
        return;
      }
      if (e.event === "pong") {
        this.pending.shift();
        return;
      }
      // A listener on several matching subscriptions hears the event once.
      const heard = new Set<Listener>();
      for (const { filter, listeners } of this.subs.values()) {
        if (eventMatches(filter, e)) for (const l of listeners) heard.add(l);
      }
      for (const l of heard) l(e);
    };
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const refused = ev.code === 1011 ? this.pending[0] : undefined;
      if (refused !== undefined) {
        this.subs.delete(refused);
        this.options.onRefused?.(ev.reason);
      }
      this.pending = [];
      const why =
        ev.reason || (opened ? "The events socket closed" : "The events socket could not be opened");
      this.setStatus("unavailable", why);
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.statusValue === "closed") return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.setStatus("connecting");
      this.connect();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 30_000);
  }
}
