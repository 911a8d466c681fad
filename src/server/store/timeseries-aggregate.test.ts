/**
 * The chunk engine's windowed aggregate against a plain oracle, on both stores: the same windows
 * and statistics whether whole chunks come from their stored summaries or are decoded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WindowAccumulator, type WindowStats } from "../../core/aggregate.js";
import type { Point } from "../../core/datapoint.js";
import { TEST_STORE } from "../testing.js";
import { suiteStoreHarness } from "./test-store-harness.js";

const h = suiteStoreHarness();

const newObject = () => h.newObject();

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

describe(`windowed aggregate (${TEST_STORE})`, () => {
  it("matches a point-by-point oracle, whole chunks from stored sums and cut ones decoded", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.constantFrom(8, 16),
        fc.constantFrom(4, 10),
        async (values, window, skip, withDt, chunkSize, scale) => {
          const s = h.engine(chunkSize);
          const id = await newObject();
          const points = values.map((v, i) => ({ t: i * 2, dt: withDt ? 1 : 0, d: v / scale }));
          await s.insert(id, points, "append");
          const t1 = skip;
          const t2 = values.length * 2 - skip / 2;
          const got = await s.aggregate(id, { t1, t2 }, window, 0);
          const want = oracle(points, window, 0, t1, t2);
          expect(got.count).toBe(want.count);
          expect(got.data.map((p) => p.t)).toEqual(want.data.map((p) => p.t));
          for (const [i, p] of got.data.entries()) close(p.d as WindowStats, want.data[i]!.d as WindowStats);
        },
      ),
      // One insert and one read a run: cheap on both, a little fewer over PostgreSQL's round trips.
      { numRuns: TEST_STORE === "postgres" ? 30 : 60 },
    );
  });

  it("counts strings and keeps their first and last values", async () => {
    const s = h.engine(4);
    const id = await newObject();
    const states = ["on", "off", "idle"];
    await s.insert(
      id,
      Array.from({ length: 40 }, (_, i) => ({ t: i * 10, dt: 0, d: states[i % 3] })),
      "append",
    );
    const got = await s.aggregate(id, {}, 100, undefined);
    expect(got.origin).toBe(0);
    expect(got.data).toHaveLength(4);
    const first = got.data[0]!.d as WindowStats;
    expect(first).toMatchObject({ n: 10, first: "on", last: "on", sum: null, min: null });
  });

  it("starts windows at the first selected point when no origin is given", async () => {
    const s = h.engine(8);
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 100 }, (_, i) => ({ t: 1000 + i, dt: 0, d: i })),
      "append",
    );
    const got = await s.aggregate(id, { t1: 1050 }, 25, undefined);
    expect(got.origin).toBe(1050);
    expect(got.data.map((p) => (p.d as WindowStats).n)).toEqual([25, 25]);
    expect((got.data[0]!.d as WindowStats).sum).toBe(
      Array.from({ length: 25 }, (_, i) => 50 + i).reduce((a, b) => a + b),
    );
  });

  it("stores each numeric chunk's sums and adds a whole chunk from them", async () => {
    const s = h.engine(4);
    const id = await newObject();
    const points = Array.from({ length: 8 }, (_, i) => ({ t: i, dt: 0.5, d: i + 1 }));
    await s.insert(id, points, "append");
    expect(await h.chunkSums(id)).toEqual([
      { sum: 10, min: 1, max: 4, dt: 2 },
      { sum: 26, min: 5, max: 8, dt: 2 },
    ]);
    const got = await s.aggregate(id, {}, 4, 0);
    expect(got.data.map((p) => (p.d as WindowStats).sum)).toEqual([10, 26]);
    expect((got.data[1]!.d as WindowStats).duration).toBe(2);
  });

  it("decodes chunks written before the sums were kept (NULL), with the same answer", async () => {
    const s = h.engine(4);
    const id = await newObject();
    const points = Array.from({ length: 10 }, (_, i) => ({ t: i, dt: 0, d: i * 3 }));
    await s.insert(id, points, "append");
    const before = await s.aggregate(id, {}, 5, 0);
    await h.clearSums(id);
    expect((await h.chunkSums(id)).every((x) => x === null)).toBe(true);
    expect(await s.aggregate(id, {}, 5, 0)).toEqual(before);
    expect(before.data.map((p) => (p.d as WindowStats).n)).toEqual([5, 5]);
  });

  it("plots and aggregates alike when the chunks to decode span several fetched pages", async () => {
    // 750 chunks of 4 against one chunk of 3,000: a page fetches 256 blobs, so the small chunks
    // are decoded from three pages, interleaved with chunks added whole from their summaries.
    const paged = h.engine(4);
    const whole = h.engine(4096);
    const numbers = Array.from({ length: 3000 }, (_, i) => ({
      t: i,
      dt: 0,
      d: Math.round(Math.sin(i) * 100),
    }));
    const words = numbers.map((p) => ({ ...p, d: p.d > 0 ? "up" : "down" }));
    for (const points of [numbers, words]) {
      const a = await newObject();
      const b = await newObject();
      await paged.insert(a, points, "append");
      await whole.insert(b, points, "append");
      expect((await h.chunkSizes(a)).length).toBe(750);
      for (const columns of [1500, 700, 10]) {
        for (const sel of [{}, { t1: 5.5, t2: 2990 }]) {
          expect(await paged.plot(a, sel, columns)).toEqual(await whole.plot(b, sel, columns));
        }
      }
      if (points === numbers) {
        for (const window of [3, 50]) {
          expect(await paged.aggregate(a, {}, window, 0)).toEqual(await whole.aggregate(b, {}, window, 0));
        }
      }
    }
  });

  it("answers counts per column on a reduced plot read", async () => {
    const s = h.engine(16);
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 200 }, (_, i) => ({ t: i, dt: 0, d: Math.sin(i) })),
      "append",
    );
    const plot = await s.plot(id, {}, 10, { counts: true });
    expect(plot.raw).toBe(false);
    expect(plot.counts?.reduce((a, b) => a + b, 0)).toBe(200);
    expect(plot.span?.[0]).toBe(0);
    const plain = await s.plot(id, {}, 10);
    expect(plain.counts).toBeUndefined();
  });
});
