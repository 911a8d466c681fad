/**
 * The PostgreSQL event bus on the run's test cluster: two buses on one database stand for two
 * server processes. Runs in the postgres project only.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HeedyEvent } from "../../core/events.js";
import { testDatabase } from "../testing.js";
import { RESYNC } from "./bus.js";
import { PgEventBus, splitPayload } from "./pg-bus.js";

let db: { url: string; drop(): Promise<void> };
const buses: PgEventBus[] = [];

async function bus(): Promise<PgEventBus> {
  const b = await PgEventBus.open(db.url, { retryMs: 50, maxRetryMs: 200 });
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

  it("ignores notifications that are not its format", async () => {
    const a = await bus();
    const onA = heard(a);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("SELECT pg_notify('heedy_events', 'not an event')");
      await other.query(`SELECT pg_notify('heedy_events', $1)`, ['x 1 1/1\n{"event": 5}']);
      await other.query(`SELECT pg_notify('heedy_events', $1)`, ['x 2 1/1\n{"event":"ok"}']);
    } finally {
      await other.end();
    }
    await until(() => onA.length > 0);
    expect(onA).toEqual([{ event: "ok" }]);
  });
});
