/**
 * Chunk engine paths that matter on both databases (decision 12): the sliced write of big
 * batches, `count` from chunk summaries and sparse updates that read only nearby summaries. Runs
 * in both vitest projects: over SQLite, and over PostgreSQL in the run's throwaway cluster.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTransform, ERR_CONFLICT, type Point, pointColumns } from "../../core/datapoint.js";
import { TEST_STORE } from "../testing.js";
import { conflictOf, P, readAll, suiteStoreHarness } from "./test-store-harness.js";

const h = suiteStoreHarness();

const newObject = () => h.newObject();

describe(`big batches (sliced insert, ${TEST_STORE})`, () => {
  const BIG = 20_000;
  const big = (from: number, n: number, d: (i: number) => unknown = (i) => i) =>
    Array.from({ length: n }, (_, i) => P(from + i, d(i)));

  it("append after the last point, filling a part-full last chunk, as the ordinary path does", async () => {
    const s = h.engine(64);
    const id = await newObject();
    await s.insert(id, big(0, 10), "update");
    const batch = big(10, BIG, (i) => (i % 3 === 0 ? { v: i } : i));
    expect(await s.insert(id, batch, "append")).toEqual({ written: BIG });
    expect(await s.length(id)).toBe(BIG + 10);
    expect(await readAll(s, id)).toEqual([...big(0, 10), ...batch]);
    // The part-full chunk was merged: no chunk beyond the first is short.
    const sizes = await h.chunkSizes(id);
    expect(sizes.slice(0, -1).every((n) => n === 64)).toBe(true);
  });

  it("a batch reaching into stored data takes the ordinary path, with its conflicts", async () => {
    const s = h.engine(64);
    const id = await newObject();
    await s.insert(id, big(0, 100), "update");
    expect(await conflictOf(() => s.insert(id, big(50, BIG), "insert"))).toBe(ERR_CONFLICT);
    expect(await readAll(s, id)).toEqual(big(0, 100));
    await s.insert(
      id,
      big(50, BIG, (i) => -i),
      "update",
    );
    expect(await readAll(s, id)).toEqual([...big(0, 50), ...big(50, BIG, (i) => -i)]);
    expect(await conflictOf(() => s.insert(id, big(60, BIG), "append"))).toBe(ERR_CONFLICT);
  });

  it("a write that lands while the batch is being encoded is kept, and so is the whole batch", async () => {
    const s = h.engine(64);
    const id = await newObject();
    await s.insert(id, big(0, 10), "update");
    const pending = s.insert(id, big(1000, 200_000), "update");
    // Runs while the big batch yields: it rewrites the part-full last chunk the batch was built on.
    await new Promise((r) => setImmediate(r));
    await s.insert(id, [P(5, "changed")], "update");
    await pending;
    const all = await readAll(s, id);
    expect(all.length).toBe(200_010);
    expect(all[5]).toEqual(P(5, "changed"));
    expect(all[10]).toEqual(P(1000, 0));
    expect(all.at(-1)).toEqual(P(200_999, 199_999));
  });

  it("a first batch creates the series, and the store's own engine takes it too", async () => {
    const id = await newObject();
    const batch = big(0, BIG);
    expect(await h.store.timeseries.insert(id, batch, "append")).toEqual({ written: BIG });
    expect(await h.store.timeseries.length(id)).toBe(BIG);
    expect(await readAll(h.engine(1024), id, { i: -1 })).toEqual([P(BIG - 1)]);
  });
});

describe(`prepared inserts (${TEST_STORE})`, () => {
  const big = (from: number, n: number) => Array.from({ length: n }, (_, i) => P(from + i, i));
  const cols = (pts: Point[]) => pointColumns(pts);

  it("are encoded outside a transaction and written inside it, as the insert service does", async () => {
    const id = await newObject();
    await h.store.timeseries.insert(id, big(0, 10), "update");
    const batch = cols(big(10, 20_000));
    const prepared = await h.store.timeseries.prepareInsert!(id, batch, "append");
    expect(prepared).toBeDefined();
    await h.store.transaction(async (tx) => {
      expect(await tx.timeseries.insert(id, batch, "append", prepared)).toEqual({ written: 20_000 });
    });
    expect(await h.store.timeseries.length(id)).toBe(20_010);
    expect(await readAll(h.engine(1024), id, { i1: 8, i2: 12 })).toEqual([P(8), P(9), P(10, 0), P(11, 1)]);
  });

  it("see a write made after the preparation, and keep it", async () => {
    const id = await newObject();
    await h.store.timeseries.insert(id, big(0, 10), "update");
    const batch = cols(big(100, 20_000));
    const prepared = await h.store.timeseries.prepareInsert!(id, batch, "update");
    await h.store.timeseries.insert(id, [P(50, "between")], "update");
    await h.store.transaction((tx) => tx.timeseries.insert(id, batch, "update", prepared));
    const all = await readAll(h.engine(1024), id);
    expect(all.length).toBe(20_011);
    expect(all[10]).toEqual(P(50, "between"));
    expect(all[11]).toEqual(P(100, 0));
  });

  it("are not made for a batch reaching into stored data; null writes the ordinary way", async () => {
    const id = await newObject();
    await h.store.timeseries.insert(id, big(0, 100), "update");
    const batch = cols(big(50, 20_000));
    expect(await h.store.timeseries.prepareInsert!(id, batch, "insert")).toBeUndefined();
    expect(await conflictOf(() => h.store.timeseries.insert(id, batch, "insert", null))).toBe(ERR_CONFLICT);
    expect(await h.store.timeseries.length(id)).toBe(100);
  });
});

describe(`count (${TEST_STORE})`, () => {
  it("gives the count transform's point for every selection", async () => {
    const s = h.engine(8);
    const id = await newObject();
    const pts = Array.from({ length: 100 }, (_, i) =>
      P(i * 2, i % 3 === 0 ? { v: i } : i, i % 5 === 0 ? 1 : 0),
    );
    await s.insert(id, pts, "update");
    const sel = fc.record(
      {
        t: fc.integer({ min: -5, max: 205 }),
        t1: fc.integer({ min: -5, max: 205 }),
        t2: fc.integer({ min: -5, max: 205 }),
        i: fc.integer({ min: -110, max: 110 }),
        i1: fc.integer({ min: -110, max: 110 }),
        i2: fc.integer({ min: -110, max: 110 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(sel, async (q) => {
        const tr = createTransform("count");
        const out: Point[] = [];
        for (const p of await readAll(s, id, q)) tr.step(p, out);
        tr.end(out);
        const c = await s.count(id, q);
        expect({ t: c.first, dt: c.end - c.first, d: c.n }).toEqual(out[0]);
      }),
      { numRuns: TEST_STORE === "postgres" ? 100 : 300 },
    );
    expect(await s.count(await newObject(), {})).toEqual({ n: 0, first: 0, end: 0 });
  });
});

describe(`sparse updates (${TEST_STORE})`, () => {
  it("points far apart, one reaching across a chunk boundary, land where a full rewrite puts them", async () => {
    const s = h.engine(16);
    const id = await newObject();
    const base = Array.from({ length: 2000 }, (_, k) => P(k * 5, k % 9));
    await s.insert(id, base, "update");
    // A point before the series, one between stored points, one whose duration covers the
    // stored points from t=5000 to t=5100 (crossing chunk starts), one on a stored point and one
    // past the end.
    const batch = [P(-3, "a"), P(2502, "b"), P(5000, "c", 100), P(7500, "d"), P(20_000, "e")];
    await s.insert(id, batch, "update");
    const covered = (p: Point) => p.t >= 5000 && p.t < 5100;
    const expected = [...base.filter((p) => !covered(p) && p.t !== 7500), ...batch].sort((a, b) => a.t - b.t);
    expect(await readAll(s, id)).toEqual(expected);
    expect(await s.length(id)).toBe(expected.length);
    expect(await conflictOf(() => s.insert(id, [P(5050, "x")], "insert"))).toBe(ERR_CONFLICT);
  });
});
