/**
 * The PostgreSQL event bus on the run's test cluster: two buses on one database stand for two
 * server processes. Runs in the postgres project only.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HeedyEvent } from "../../core/events.js";
import { testDatabase } from "../testing.js";
import { RESYNC } from "./bus.js";
import { formatPart, notificationKey, PgEventBus, splitPayload } from "./pg-bus.js";

let db: { url: string; drop(): Promise<void> };
const buses: PgEventBus[] = [];
/** The folder's plugin key, shared by the "processes" of one folder. */
const SECRET = "a-plugin-key-shared-by-every-process";
const KEY = notificationKey(SECRET);

async function bus(secret = SECRET): Promise<PgEventBus> {
  const b = await PgEventBus.open(db.url, { retryMs: 50, maxRetryMs: 200, secret });
  buses.push(b);
  return b;
}

function heard(b: PgEventBus): HeedyEvent[] {
  const got: HeedyEvent[] = [];
  b.listen((e) => got.push(e));
  return got;
}

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  const made = await testDatabase();
  if (!made) throw new Error("this suite runs in the postgres project (HEEDY_TEST_STORE=postgres)");
  db = made;
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await db?.drop();
});

describe("PgEventBus", () => {
  it("carries an event to the other process once, and to its own listeners once", async () => {
    const [a, b] = [await bus(), await bus()];
    const onA = heard(a);
    const onB = heard(b);
    const e: HeedyEvent = { event: "object_update", user: "test", object: "o1", type: "timeseries" };
    b.publish(e);
    // The publisher's own listeners hear it at once, before any round trip.
    expect(onB).toEqual([e]);
    await until(() => onA.length > 0);
    await b.flushed();
    // Time for an echo to come back, had the publisher not skipped it.
    a.publish({ event: "marker", user: "test" });
    await until(() => onB.length > 1);
    expect(onA).toEqual([e, { event: "marker", user: "test" }]);
    expect(onB).toEqual([e, { event: "marker", user: "test" }]);
  });

  it("keeps the order of a burst, and sends equal events as many times as they were published", async () => {
    const [a, b] = [await bus(), await bus()];
    const onA = heard(a);
    for (let i = 0; i < 1200; i++)
      b.publish({ event: "timeseries_data_write", object: "o", data: { count: i % 3 } });
    await until(() => onA.length === 1200);
    expect(onA.map((e) => (e.data as { count: number }).count)).toEqual(
      Array.from({ length: 1200 }, (_, i) => i % 3),
    );
  });

  it("carries an event larger than NOTIFY's 8000 bytes in parts", async () => {
    const [a, b] = [await bus(), await bus()];
    const onA = heard(a);
    // Multi-byte text, so a cut by characters alone would overflow the byte limit.
    const tags = Array.from({ length: 4000 }, (_, i) => `tag${i}é😀`).join(" ");
    const big: HeedyEvent = { event: "object_update", user: "test", object: "o2", tags };
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(40_000);
    b.publish(big);
    b.publish({ event: "after", user: "test" });
    await until(() => onA.length === 2);
    expect(onA).toEqual([big, { event: "after", user: "test" }]);
  });

  it("splits without cutting a surrogate pair and within the byte limit", () => {
    const text = "😀".repeat(5000);
    const parts = splitPayload(text);
    expect(parts.join("")).toBe(text);
    for (const p of parts) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(7800);
      expect(p.length % 2).toBe(0);
    }
  });

  it("reconnects a dropped listener with backoff, delivering locally meanwhile, then tells sockets to catch up", async () => {
    const [a, b] = [await bus(), await bus()];
    const onA = heard(a);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const killed = await admin.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1",
        [a.listenerName],
      );
      expect(killed.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await until(() => !a.listening);
    // Its own events still reach its own sockets while it is deaf to the others.
    a.publish({ event: "local", user: "test" });
    expect(onA).toContainEqual({ event: "local", user: "test" });
    await until(() => a.listening);
    expect(onA).toContainEqual({ event: RESYNC });
    b.publish({ event: "after reconnect", user: "test" });
    await until(() => onA.some((e) => e.event === "after reconnect"));
  });

  /** Sends raw notifications from a plain connection, as any role on the database could. */
  async function notify(...payloads: string[]): Promise<void> {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      for (const p of payloads) await other.query("SELECT pg_notify('heedy_events', $1)", [p]);
    } finally {
      await other.end();
    }
  }

  it("ignores notifications that are not its format", async () => {
    const a = await bus();
    const onA = heard(a);
    await notify(
      "not an event",
      formatPart(KEY, "x", 1, 1, 1, '{"event": 5}'),
      formatPart(KEY, "x", 2, 1, 1, '{"event":"ok"}'),
    );
    await until(() => onA.length > 0);
    expect(onA).toEqual([{ event: "ok" }]);
  });

  it("drops notifications without the folder's MAC: forged, or from a process with another key", async () => {
    const [a, stranger] = [await bus(), await bus("some-other-folder-plugin-key")];
    const onA = heard(a);
    const forged = formatPart(notificationKey("guess"), "x", 1, 1, 1, '{"event":"forged"}');
    const unsigned = forged.slice(forged.indexOf(" ") + 1);
    await notify(forged, unsigned, `AAAAAAAAAAAAAAAAAAAAAA ${unsigned}`);
    stranger.publish({ event: "stranger", user: "test" });
    await stranger.flushed();
    await notify(formatPart(KEY, "x", 3, 1, 1, '{"event":"ok"}'));
    await until(() => onA.length > 0);
    expect(onA).toEqual([{ event: "ok" }]);
  });

  it("refuses parts out of range and bounds what it holds for unfinished events", async () => {
    const a = await bus();
    const onA = heard(a);
    // Parts 1 and 3 "of 2" must not make an event with a hole; nor may a billion-part event be kept.
    await notify(
      formatPart(KEY, "x", 1, 1, 2, '{"event":'),
      formatPart(KEY, "x", 1, 3, 2, '"hole"}'),
      formatPart(KEY, "x", 2, 1, 1_000_000_000, '{"event":"huge"'),
      formatPart(KEY, "x", 3, 0, 1, '{"event":"zero"}'),
    );
    // Many unfinished events: only the most recent few are kept.
    await notify(...Array.from({ length: 200 }, (_, i) => formatPart(KEY, "y", i, 1, 2, "{")));
    await notify(formatPart(KEY, "x", 4, 1, 2, '{"event":'), formatPart(KEY, "x", 4, 2, 2, '"whole"}'));
    await until(() => onA.length > 0);
    expect(onA).toEqual([{ event: "whole" }]);
    const held = (a as unknown as { partial: Map<string, unknown> }).partial;
    expect(held.size).toBeLessThanOrEqual(64);
  });
});
