/**
 * The event bus of a server on PostgreSQL: every process's sockets hear every process's events.
 * Each process LISTENs on one dedicated connection (a pg.Client of its own, never one of the
 * store's pooled connections, which are handed to whichever request comes next) and sends its
 * own events with NOTIFY, after the write that fired them committed (services publish after their
 * transaction). A process delivers its own events to its sockets at once and skips their echo.
 *
 * NOTIFY carries at most 8000 bytes. Events are small (no data points, only spans and ids), but
 * tags and keys are the caller's text, so a longer event is cut into numbered parts that the
 * listeners put back together. What is lost: NOTIFY is not durable, so while this process's
 * listening connection is down it hears nothing from the others (its own sockets keep hearing its
 * own events), and what it sends while the database is unreachable reaches no other process.
 * When the listener is back, sockets that may have missed events are told (`RESYNC`).
 *
 * NOTIFY needs no privilege: any role that can connect to the database can send on the channel.
 * So every part carries an HMAC under a key derived from the data folder's plugin key, which all
 * processes of one folder share (they must, for X-Heedy-Key to mean the same on each), and a
 * part without a valid one is dropped. Reassembly is bounded in parts, bytes and time.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import pg from "pg";
import type { HeedyEvent } from "../../core/events.js";
import { type EventBus, type EventListener, LocalEventBus, RESYNC } from "./bus.js";

export const EVENTS_CHANNEL = "heedy_events";

/** NOTIFY's limit is 8000 bytes; the rest is room for the part header. */
const PART_BYTES = 7800;
/** A JS character is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2), so this many fit. */
const PART_CHARS = Math.floor(PART_BYTES / 3);
/** Events sent per statement: one round trip for a burst, in order. */
const BATCH = 500;
/**
 * Parts waiting to be sent while the database does not answer; beyond this the oldest are
 * dropped (the other processes miss them, as they would miss anything sent during the outage).
 */
const MAX_QUEUED = 10_000;
/** How long to wait for a connection before giving up on it (and retrying, for the listener). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Events held while waiting for the rest of their parts; a sender that died mid-event is forgotten. */
const MAX_PARTIAL = 64;
/** The most parts one event may have (about 170 KB of text): far above any real event. */
const MAX_PARTS = 64;
/** A part-assembled event not complete within this long is dropped. */
const PARTIAL_TTL_MS = 10_000;
/** How long close() waits for queued notifications before dropping them. */
const CLOSE_WAIT_MS = 2_000;

export interface PgEventBusOptions {
  /** Shared by every process of the folder (the plugin key); authenticates notifications. */
  secret: string;
  /** First wait before reconnecting the listener; doubles up to `maxRetryMs`. Default 250 ms. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Where trouble with the database connection is reported. */
  log?: (message: string, err?: unknown) => void;
}

/** The HMAC key of a folder's notifications, derived so the plugin key itself never signs. */
function macKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("heedy-explorer events v1").digest();
}

function macOf(key: Buffer, signed: string): Buffer {
  return createHmac("sha256", key).update(signed).digest().subarray(0, 16);
}

/** One notification: `mac origin seq part/parts`, a newline, the text of that part. */
export function formatPart(
  key: Buffer,
  origin: string,
  seq: number,
  part: number,
  parts: number,
  text: string,
): string {
  const signed = `${origin} ${seq} ${part}/${parts}\n${text}`;
  return `${macOf(key, signed).toString("base64url")} ${signed}`;
}

/** The MAC key for `secret`, for tests that forge or sign notifications. */
export const notificationKey = macKey;

/** Cuts `text` into NOTIFY-sized pieces, never between the two halves of a surrogate pair. */
export function splitPayload(text: string): string[] {
  if (Buffer.byteLength(text) <= PART_BYTES) return [text];
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + PART_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

export class PgEventBus implements EventBus {
  private readonly local = new LocalEventBus();
  /** Tells this process's notifications from the others' (its own were delivered already). */
  readonly origin = randomUUID();
  private seq = 0;
  /** Sends NOTIFY even while the listener reconnects; one connection keeps the events in order. */
  private readonly sender: pg.Pool;
  private queue: string[] = [];
  private sending: Promise<void> | undefined;
  private listener: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs: number;
  private closed = false;
  private everConnected = false;
  private readonly partial = new Map<string, { texts: string[]; got: number; since: number }>();
  private readonly key: Buffer;
  private lastRejectLog = 0;
  private dropped = 0;
  private readonly log: (message: string, err?: unknown) => void;

  private constructor(
    private readonly url: string,
    private readonly opts: PgEventBusOptions,
  ) {
    this.retryMs = opts.retryMs ?? 250;
    this.key = macKey(opts.secret);
    this.log = opts.log ?? (() => {});
    this.sender = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A half-open connection must not hold the queue (and shutdown) until TCP gives up.
      query_timeout: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    this.sender.on("error", (err) => this.log("event sender connection lost", err));
  }

  /** Starts listening; fails if the database cannot be reached at all, as the store would. */
  static async open(url: string, opts: PgEventBusOptions): Promise<PgEventBus> {
    const bus = new PgEventBus(url, opts);
    try {
      await bus.connect();
    } catch (e) {
      await bus.sender.end().catch(() => {});
      throw e;
    }
    return bus;
  }

  /** The listener's `application_name`. */
  get listenerName(): string {
    return `heedy-explorer events ${this.origin.slice(0, 8)}`;
  }

  /** Whether the listening connection is up (for tests and status). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  publish(e: HeedyEvent): void {
    this.local.publish(e);
    if (this.closed) return;
    const seq = ++this.seq;
    const parts = splitPayload(JSON.stringify(e));
    for (const [i, text] of parts.entries()) {
      this.queue.push(formatPart(this.key, this.origin, seq, i + 1, parts.length, text));
    }
    if (this.queue.length > MAX_QUEUED)
      this.dropped += this.queue.splice(0, this.queue.length - MAX_QUEUED).length;
    this.sending ??= this.flush();
  }

  listen(listener: EventListener): () => void {
    return this.local.listen(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    // Queued notifications get a short while to go out; a database that does not answer must
    // not hold the process's shutdown.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.sending, new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.queue = [];
    const l = this.listener;
    this.listener = undefined;
    await Promise.allSettled([l?.end(), this.sender.end()]);
  }

  /** Waits until everything published so far went out (or failed to). */
  async flushed(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      try {
        // One statement, one transaction: its notifications arrive together and in this order.
        // Each carries its own sequence number, so PostgreSQL never folds two equal ones together.
        await this.sender.query(
          "SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i",
          [EVENTS_CHANNEL, batch],
        );
      } catch (err) {
        this.log(`${batch.length} event notification(s) could not be sent to the other processes`, err);
      }
      if (this.dropped > 0) {
        this.log(`${this.dropped} event notification(s) were dropped while the database did not answer`);
        this.dropped = 0;
      }
    }
    this.sending = undefined;
  }

  private async connect(): Promise<void> {
    // Named, so an operator (or a test) can find each process's listener in pg_stat_activity.
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.listenerName,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A listener cut off without a reset (a dead network path) would otherwise wait forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on("notification", (m) => {
      if (m.channel === EVENTS_CHANNEL && m.payload !== undefined) this.received(m.payload);
    });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client));
    await client.connect();
    try {
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.retryMs = this.opts.retryMs ?? 250;
    if (this.everConnected) {
      // Whatever the others sent while this process was deaf is gone; sockets are told to catch up.
      this.local.publish({ event: RESYNC });
    }
    this.everConnected = true;
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    client.end().catch(() => {});
    if (this.closed) return;
    this.log("the events listener lost its database connection; reconnecting", err);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const max = this.opts.maxRetryMs ?? 30_000;
    // Jitter, so many processes cut off together do not all come back in the same instant.
    const wait = this.retryMs * (0.5 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, max);
    this.retry = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.log("the events listener could not reconnect", err);
        this.scheduleReconnect();
      });
    }, wait);
    this.retry.unref();
  }

  private received(payload: string): void {
    const sp = payload.indexOf(" ");
    const nl = payload.indexOf("\n");
    if (sp < 0 || nl < sp) return;
    const signed = payload.slice(sp + 1);
    const mac = Buffer.from(payload.slice(0, sp), "base64url");
    const want = macOf(this.key, signed);
    if (mac.length !== want.length || !timingSafeEqual(mac, want)) {
      this.rejected();
      return;
    }
    const m = /^(\S+) (\d+) (\d+)\/(\d+)$/.exec(payload.slice(sp + 1, nl));
    if (!m) return;
    const [, origin, seq, partText, partsText] = m as unknown as [string, string, string, string, string];
    if (origin === this.origin) return;
    const text = payload.slice(nl + 1);
    const part = Number(partText);
    const parts = Number(partsText);
    if (!(part >= 1 && part <= parts && parts <= MAX_PARTS)) return;
    const whole = parts === 1 ? text : this.assemble(`${origin} ${seq}`, part, parts, text);
    if (whole === undefined) return;
    let e: unknown;
    try {
      e = JSON.parse(whole);
    } catch {
      return;
    }
    if (typeof e === "object" && e !== null && typeof (e as HeedyEvent).event === "string") {
      this.local.publish(e as HeedyEvent);
    }
  }

  /** Keeps a part; answers the whole text once every part of its event is in. */
  private assemble(key: string, part: number, parts: number, text: string): string | undefined {
    const now = Date.now();
    for (const [k, p] of this.partial) {
      if (now - p.since <= PARTIAL_TTL_MS) break;
      this.partial.delete(k);
    }
    let p = this.partial.get(key);
    if (!p) {
      if (this.partial.size >= MAX_PARTIAL) {
        const oldest = this.partial.keys().next().value;
        if (oldest !== undefined) this.partial.delete(oldest);
      }
      p = { texts: new Array<string>(parts), got: 0, since: now };
      this.partial.set(key, p);
    }
    if (p.texts.length !== parts || p.texts[part - 1] !== undefined) return undefined;
    p.texts[part - 1] = text;
    if (++p.got < parts) return undefined;
    this.partial.delete(key);
    return p.texts.join("");
  }

  /** A notification that is not ours: forged, or from a process with another plugin key. */
  private rejected(): void {
    const now = Date.now();
    if (now - this.lastRejectLog < 60_000) return;
    this.lastRejectLog = now;
    this.log(
      "a notification on the events channel failed authentication and was dropped (do all processes share the data folder's plugin.key?)",
    );
  }
}
