/**
 * The windowed aggregate of the SQLite engine against a plain oracle: the same windows and
 * statistics whether whole chunks come from their stored summaries or are decoded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WindowAccumulator, type WindowStats } from "../../../core/aggregate.js";
import type { Point } from "../../../core/datapoint.js";
import { SqliteTimeseriesStore, TIMESERIES_MIGRATIONS } from "./timeseries.js";

let dir: string;
let db: Database.Database;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ts-agg-"));
  db = new Database(join(dir, "test.db"));
  db.exec("CREATE TABLE objects (id TEXT PRIMARY KEY NOT NULL)");
  for (const step of TIMESERIES_MIGRATIONS) db.exec(step);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function newObject(): string {
  const id = `agg-${++counter}`;
  db.prepare("INSERT INTO objects (id) VALUES (?)").run(id);
  return id;
}

function oracle(points: Point[], window: number, origin: number, t1: number, t2: number) {
  const acc = new WindowAccumulator(origin, window);
  for (const p of points) if (p.t >= t1 && p.t < t2) acc.add(p.t, p.dt, p.d);
  return acc.result();
}

function close(a: WindowStats, b: WindowStats): void {
  expect(a.n).toBe(b.n);
  expect(a.first).toEqual(b.first);
  expect(a.last).toEqual(b.last);
  expect(a.min).toBe(b.min);
  expect(a.max).toBe(b.max);
  expect(a.sum ?? 0).toBeCloseTo(b.sum ?? 0, 6);
  expect(a.duration).toBeCloseTo(b.duration, 6);
}

describe("windowed aggregate", () => {
  it("matches a point-by-point oracle for numeric data, with and without durations", async () => {
    const store = new SqliteTimeseriesStore(db, { chunkSize: 16 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        async (values, window, skip, withDt) => {
          const id = newObject();
          const points = values.map((v, i) => ({ t: i * 2, dt: withDt ? 1 : 0, d: v / 10 }));
          await store.insert(id, points, "append");
          const t1 = skip;
          const t2 = values.length * 2 - skip / 2;
          const got = await store.aggregate(id, { t1, t2 }, window, 0);
          const want = oracle(points, window, 0, t1, t2);
          expect(got.count).toBe(want.count);
          expect(got.data.map((p) => p.t)).toEqual(want.data.map((p) => p.t));
          for (const [i, p] of got.data.entries()) close(p.d as WindowStats, want.data[i]!.d as WindowStats);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("counts strings and keeps their first and last values", async () => {
    const store = new SqliteTimeseriesStore(db, { chunkSize: 4 });
    const id = newObject();
    const states = ["on", "off", "idle"];
    await store.insert(
      id,
      Array.from({ length: 40 }, (_, i) => ({ t: i * 10, dt: 0, d: states[i % 3] })),
      "append",
    );
    const got = await store.aggregate(id, {}, 100, undefined);
    expect(got.origin).toBe(0);
    expect(got.data).toHaveLength(4);
    const first = got.data[0]!.d as WindowStats;
    expect(first).toMatchObject({ n: 10, first: "on", last: "on", sum: null, min: null });
  });

  it("starts windows at the first selected point when no origin is given", async () => {
    const store = new SqliteTimeseriesStore(db, { chunkSize: 8 });
    const id = newObject();
    await store.insert(
      id,
      Array.from({ length: 100 }, (_, i) => ({ t: 1000 + i, dt: 0, d: i })),
      "append",
    );
    const got = await store.aggregate(id, { t1: 1050 }, 25, undefined);
    expect(got.origin).toBe(1050);
    expect(got.data.map((p) => (p.d as WindowStats).n)).toEqual([25, 25]);
    expect((got.data[0]!.d as WindowStats).sum).toBe(
      Array.from({ length: 25 }, (_, i) => 50 + i).reduce((a, b) => a + b),
    );
  });
});
