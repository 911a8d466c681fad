/**
 * The chunk engine against the timeseries contract's examples (8.7) and its bounds on work: a
 * sparse write rewrites only the chunks it reaches, a plot read reduces what it selects. Runs on
 * both stores through the shared harness.
 */
import { describe, expect, it } from "vitest";
import { ERR_CONFLICT } from "../../core/datapoint.js";
import { CHANGES_PER_COLUMN, downsampleM4 } from "../../core/downsample.js";
import { TEST_STORE } from "../testing.js";
import { modelPlot, ReferenceModel } from "./test-reference-model.js";
import { type ChunkRowSnapshot, conflictOf, P, readAll, suiteStoreHarness } from "./test-store-harness.js";
import type { TimeseriesSelection } from "./timeseries.js";

const h = suiteStoreHarness();

const newObject = () => h.newObject();

/** Chunk rows keyed by their content, so a test can tell which rows a write replaced. */
async function chunkRows(objectId?: string): Promise<Map<string, ChunkRowSnapshot>> {
  const rows = await h.chunkRows(objectId);
  return new Map(rows.map((r) => [`${r.id}|${r.t0}|${r.t1}|${r.tend}|${r.n}|${r.data}`, r]));
}

/** Rows present before and gone after (deleted, or rewritten with other content). */
async function rewrittenSince(before: Map<string, ChunkRowSnapshot>, objectId?: string) {
  const after = await chunkRows(objectId);
  return [...before].filter(([k]) => !after.has(k)).map(([, r]) => r);
}

describe(`contract examples (8.7, ${TEST_STORE})`, () => {
  const store = () => h.engine(3);

  it("update replaces an overlapped point", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(id, [P(1), P(2), P(3)], "update");
    await s.insert(id, [P(3, "x")], "update");
    expect(await readAll(s, id)).toEqual([P(1), P(2), P(3, "x")]);
  });
  it("update with durations: [1,2),[2,3),[3,4),[4,5) + 2.5(dt 1), 3.5 -> 1, 2.5, 3.5, 4", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(id, [P(1, 1, 1), P(2, 2, 1), P(3, 3, 1), P(4, 4, 1)], "update");
    await s.insert(id, [P(2.5, "a", 1), P(3.5, "b")], "update");
    expect((await readAll(s, id)).map((p) => p.t)).toEqual([1, 2.5, 3.5, 4]);
  });
  it("update: 1..12 + 1(dt 5), 10(dt 5) -> 1(dt5), 6, 7, 8, 9, 10(dt5)", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 12 }, (_, i) => P(i + 1)),
      "update",
    );
    await s.insert(id, [P(1, "a", 5), P(10, "b", 5)], "update");
    expect(await readAll(s, id)).toEqual([P(1, "a", 5), P(6), P(7), P(8), P(9), P(10, "b", 5)]);
    expect(await s.length(id)).toBe(6);
  });
  it("insert refuses overlaps, accepts gaps, and is atomic", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(id, [P(1), P(5), P(9)], "insert");
    await s.insert(id, [P(0), P(3), P(7), P(10)], "insert");
    const before = await h.chunkRows();
    expect(await conflictOf(() => s.insert(id, [P(4), P(5, "other")], "insert"))).toBe(ERR_CONFLICT);
    expect(await h.chunkRows()).toEqual(before);
    expect((await readAll(s, id)).map((p) => p.t)).toEqual([0, 1, 3, 5, 7, 9, 10]);
  });
  it("insert/append accept an identical final dt=0 point as a no-op, nothing else", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(id, [P(1, { a: 1 }), P(2, { b: [] })], "append");
    await s.insert(id, [P(2, { b: [] })], "append");
    await s.insert(id, [P(2, { b: [] }), P(3, {})], "insert");
    expect(await readAll(s, id)).toEqual([P(1, { a: 1 }), P(2, { b: [] }), P(3, {})]);
    expect(await conflictOf(() => s.insert(id, [P(1, { a: 1 })], "insert"))).toBe(ERR_CONFLICT);
    expect(await conflictOf(() => s.insert(id, [P(3, { x: 1 })], "append"))).toBe(ERR_CONFLICT);
    const id2 = await newObject();
    await s.insert(id2, [P(1, 1, 2)], "append");
    expect(await conflictOf(() => s.insert(id2, [P(1, 1, 2)], "append"))).toBe(ERR_CONFLICT);
    expect(await conflictOf(() => s.insert(id2, [P(2.5)], "append"))).toBe(ERR_CONFLICT);
    await s.insert(id2, [P(3)], "append");
    expect(await s.length(id2)).toBe(2);
  });
  it("reads index and time selections, including i1=-1&i2=0", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 8 }, (_, i) => P(i * 10)),
      "update",
    );
    const ts = async (sel: TimeseriesSelection) => (await readAll(s, id, sel)).map((p) => p.t);
    expect(await ts({ i1: -1, i2: 0 })).toEqual([]);
    expect(await ts({ i1: -5 })).toEqual([30, 40, 50, 60, 70]);
    expect(await ts({ i2: 80 })).toHaveLength(8);
    expect(await ts({ i: -1 })).toEqual([70]);
    expect(await ts({ i: 8 })).toEqual([]);
    expect(await ts({ t1: 15, t2: 45 })).toEqual([20, 30, 40]);
    expect(await ts({ t1: 15, i2: 3 })).toEqual([20]);
    expect(await ts({ t: 30 })).toEqual([30]);
    expect(await ts({ t: 31 })).toEqual([]);
    // t2 is exclusive and points at the end are kept up to it (heedy's t2 truncation bug).
    expect(await ts({ t1: 0, t2: 70 })).toHaveLength(7);
    expect(await ts({ t1: 0, t2: 70.000001 })).toHaveLength(8);
  });
  it("keeps a streaming read strictly increasing while writes re-cut chunks", async () => {
    const s = h.engine(3);
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 200 }, (_, i) => P(i)),
      "update",
    );
    const seen: number[] = [];
    let step = 0;
    for await (const b of s.read(id, {})) {
      for (let i = 0; i < b.n; i++) seen.push(b.t[i]!);
      step++;
      if (step === 3) await s.insert(id, [P(2.5), P(40.5, 0, 20), P(150.5)], "update");
      if (step === 10) await s.remove(id, { t1: 100, t2: 120 });
      if (step === 20)
        await s.insert(
          id,
          Array.from({ length: 50 }, (_, i) => P(300 + i)),
          "append",
        );
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen[seen.length - 1]).toBe(349);
  });
  it("removes by range, index and single time", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 10 }, (_, i) => P(i)),
      "update",
    );
    expect(await s.remove(id, { t1: 2, t2: 5 })).toBe(3);
    expect(await s.remove(id, { i: -1 })).toBe(1);
    expect(await s.remove(id, { t: 0 })).toBe(1);
    expect((await readAll(s, id)).map((p) => p.t)).toEqual([1, 5, 6, 7, 8]);
    expect(await s.remove(id, { i1: 0 })).toBe(5);
    expect(await s.length(id)).toBe(0);
    expect(await readAll(s, id)).toEqual([]);
  });
  it("replace removes and inserts as one write; a refused insert leaves every chunk as it was", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(
      id,
      Array.from({ length: 10 }, (_, i) => P(i)),
      "update",
    );
    // The removed range spans chunks; the new points land in the hole and past the end.
    expect(await s.replace(id, { t1: 2, t2: 7 }, [P(3, "x", 2), P(20, "y")], "insert")).toEqual({
      removed: 5,
      written: 2,
    });
    expect(await readAll(s, id)).toEqual([P(0), P(1), P(3, "x", 2), P(7), P(8), P(9), P(20, "y")]);
    expect(await s.length(id)).toBe(7);
    const before = await h.chunkRows();
    const count = await h.seriesCount(id);
    // The selection goes, then the insert meets t=8: the whole replace is undone.
    expect(await conflictOf(() => s.replace(id, { i: 0 }, [P(8, "z")], "insert"))).toBe(ERR_CONFLICT);
    expect(await h.chunkRows()).toEqual(before);
    expect(await h.seriesCount(id)).toEqual(count);
    // Nothing to insert is a remove; nothing selected is an insert (creating the series if needed).
    expect(await s.replace(id, { t: 20 }, [], "update")).toEqual({ removed: 1, written: 0 });
    const fresh = await newObject();
    expect(await s.replace(fresh, { t: 1 }, [P(1)], "update")).toEqual({ removed: 0, written: 1 });
    expect(await readAll(s, fresh)).toEqual([P(1)]);
  });
  it("drops an object's data, also through the ON DELETE CASCADE", async () => {
    const s = store();
    const id = await newObject();
    await s.insert(id, [P(1), P(2), P(3), P(4)], "update");
    await s.dropObject(id);
    expect(await s.length(id)).toBe(0);
    const id2 = await newObject();
    await s.insert(id2, [P(1), P(2), P(3), P(4)], "update");
    expect(await h.store.objects.delete(id2)).toBe(true);
    expect(await h.orphanChunks()).toBe(0);
    expect(await h.chunkRows(id2)).toEqual([]);
  });
  it("plots dense numeric series with M4 and sparse or non-numeric ones raw", async () => {
    const s = h.engine(64);
    const id = await newObject();
    const pts = Array.from({ length: 2000 }, (_, i) => P(i, Math.sin(i / 30) * 10));
    await s.insert(id, pts, "update");
    const r = await s.plot(id, {}, 50);
    expect(r.count).toBe(2000);
    expect(r.raw).toBe(false);
    expect(r.data).toEqual(
      downsampleM4(
        pts.map((p) => ({ t: p.t, d: p.d })),
        50,
      ).data,
    );
    const sparse = await s.plot(id, { t1: 100, t2: 110 }, 50);
    expect(sparse).toMatchObject({ count: 10, raw: true });
    const id2 = await newObject();
    await s.insert(id2, [P(1, "a"), P(2, "b")], "update");
    expect(await s.plot(id2, {}, 10)).toEqual({
      count: 2,
      columns: 10,
      raw: true,
      data: [
        { t: 1, d: "a" },
        { t: 2, d: "b" },
      ],
    });
  });
});

describe(`bounded writes and plot reads (${TEST_STORE})`, () => {
  it("a wide sparse update rewrites only the chunks its points land in", async () => {
    const s = h.engine(64);
    const id = await newObject();
    const n = 200_000;
    const t = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = i;
      d[i] = i % 13;
    }
    await s.insert(id, { n, t, dt: new Float64Array(n), d }, "update");
    const total = (await chunkRows()).size;
    const before = await chunkRows();
    // One point between two stored ones, one replacing a stored point, far apart.
    await s.insert(id, [P(1000.5, "x"), P(190_000, "y")], "update");
    const rewritten = await rewrittenSince(before);
    expect(rewritten.length).toBe(2);
    expect(rewritten.map((r) => r.t0).sort((a, b) => a - b)).toEqual([960, 189_952]);
    expect(await s.length(id)).toBe(n + 1);
    expect(await readAll(s, id, { t1: 1000, t2: 1002 })).toEqual([P(1000, 12), P(1000.5, "x"), P(1001, 0)]);
    expect(await readAll(s, id, { t: 190_000 })).toEqual([P(190_000, "y")]);
    // A point whose duration spans several chunks: only those (and the one it starts in) go.
    const before2 = await chunkRows();
    await s.insert(id, [P(5000.5, "long", 300), P(150_000.25, "z")], "update");
    const rewritten2 = await rewrittenSince(before2);
    expect(rewritten2.length).toBeLessThanOrEqual(7);
    expect(rewritten2.every((r) => (r.t0 >= 4992 && r.t0 <= 5301) || r.t0 === 149_952)).toBe(true);
    expect(await s.length(id)).toBe(n + 1 + 2 - 300);
    expect((await chunkRows()).size).toBeLessThan(total + 4);
    // insert refuses the same way, still reading only the touched chunks.
    const before3 = await chunkRows();
    expect(await conflictOf(() => s.insert(id, [P(7.5), P(100_000)], "insert"))).toBe(ERR_CONFLICT);
    expect(await rewrittenSince(before3)).toEqual([]);
  });

  it("plots an index selection that ends on a chunk start as M4 of the selected points", async () => {
    const s = h.engine(64);
    const id = await newObject();
    const pts = Array.from({ length: 1000 }, (_, i) => P(i, Math.sin(i / 7) * 10));
    await s.insert(id, pts, "update");
    const model = new ReferenceModel();
    model.points = pts;
    const sels: TimeseriesSelection[] = [
      { i2: 640 },
      { i1: 64, i2: 128 },
      { t1: 10, i2: 192 },
      { i1: -320, i2: -256 },
    ];
    for (const sel of sels) {
      const plot = await s.plot(id, sel, 2);
      const expected = modelPlot(model.select(sel), sel, 2);
      expect(plot.data).toEqual(expected.data);
      expect(plot.count).toBe(expected.count);
      // Two columns of at least 32 points each: first, last, min and max in each.
      expect(plot.data.length).toBeGreaterThan(4);
    }
  });

  it("plots a non-numeric series by sampling state changes per column", async () => {
    const s = h.engine(256);
    const id = await newObject();
    const n = 100_000;
    // A state that flips every 7 points, and a rare state once.
    const state = (i: number) => (i === 50_003 ? "rare" : Math.floor(i / 7) % 2 === 0 ? "idle" : "busy");
    const t = Float64Array.from({ length: n }, (_, i) => i);
    const d = Array.from({ length: n }, (_, i) => state(i));
    await s.insert(id, { n, t, dt: new Float64Array(n), d }, "update");
    const plot = await s.plot(id, {}, 100);
    expect(plot).toMatchObject({ count: n, columns: 100, raw: false, sampled: "changes" });
    expect(plot.data.length).toBeLessThanOrEqual(100 * (CHANGES_PER_COLUMN + 2));
    expect(plot.data.length).toBeGreaterThanOrEqual(200);
    for (const p of plot.data) expect(p.d).toBe(state(p.t));
    expect(plot.data[0]).toEqual({ t: 0, d: "idle" });
    expect(plot.data.at(-1)).toEqual({ t: n - 1, d: state(n - 1) });
    expect(plot.data.map((p) => p.t)).toEqual(plot.data.map((p) => p.t).sort((a, b) => a - b));
    // Same answer as the shared sampler over every point (the browser's fallback).
    const all = await readAll(s, id);
    expect(plot.data).toEqual(modelPlot(all, {}, 100).data);
    // A range with fewer changes than the budget keeps every change (idle until 50,000, busy from
    // 50,001, rare at 50,003, idle again from 50,008) and its last point.
    const narrow = await s.plot(id, { t1: 50_000, t2: 50_010 }, 1);
    expect(narrow.data.map((p) => p.t)).toEqual([50_000, 50_001, 50_003, 50_004, 50_008, 50_009]);
    const steps = await s.plot(id, { t1: 0, t2: 1000 }, 10);
    expect(steps.count).toBe(1000);
    expect(steps.data.length).toBeLessThanOrEqual(10 * (CHANGES_PER_COLUMN + 2));
  });
});
