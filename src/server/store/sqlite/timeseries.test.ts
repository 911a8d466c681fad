import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERR_CONFLICT, isIdenticalFinalPoint, overlaps, type Point } from "../../../core/datapoint.js";
import { CHANGES_PER_COLUMN, downsampleM4 } from "../../../core/downsample.js";
import type { Datapoint } from "../../../core/resources.js";
import { type InsertMethod, resolveIndexRange, type TimeseriesSelection } from "../timeseries.js";
import { SqliteTimeseriesStore, TIMESERIES_MIGRATIONS } from "./timeseries.js";

let dir: string;
let db: Database.Database;
let objectCounter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ts-store-"));
  db = new Database(join(dir, "test.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // Minimal stand-in for the lead's objects table (only the referenced key matters here).
  db.exec("CREATE TABLE objects (id TEXT PRIMARY KEY NOT NULL)");
  for (const step of TIMESERIES_MIGRATIONS) db.exec(step);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function newObject(): string {
  const id = `obj-${++objectCounter}`;
  db.prepare("INSERT INTO objects (id) VALUES (?)").run(id);
  return id;
}

async function readAll(
  store: SqliteTimeseriesStore,
  id: string,
  sel: TimeseriesSelection = {},
): Promise<Point[]> {
  const out: Point[] = [];
  for await (const b of store.read(id, sel)) {
    for (let i = 0; i < b.n; i++) out.push({ t: b.t[i]!, dt: b.dt ? b.dt[i]! : 0, d: b.d[i] });
  }
  return out;
}

const P = (t: number, d: unknown = t, dt = 0): Point => ({ t, dt, d });

async function conflictOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

/** Every chunk row with its content, so a test can tell which rows a write replaced. */
function chunkRows(objectId?: string): Map<string, { t0: number; tend: number }> {
  const rows = db
    .prepare<
      [{ id: string | null }],
      { id: number; t0: number; t1: number; tend: number; n: number; data: string }
    >(
      `SELECT id, t0, t1, tend, n, hex(data) AS data FROM timeseries_chunks
       WHERE @id IS NULL OR sid = (SELECT sid FROM timeseries WHERE object_id = @id)`,
    )
    .all({ id: objectId ?? null });
  return new Map(rows.map((r) => [`${r.id}|${r.t0}|${r.t1}|${r.tend}|${r.n}|${r.data}`, r]));
}

/** Rows present before and gone after (deleted, or rewritten with other content). */
function rewrittenSince(before: Map<string, { t0: number; tend: number }>, objectId?: string) {
  const after = chunkRows(objectId);
  return [...before].filter(([k]) => !after.has(k)).map(([, r]) => r);
}

const toWire = (p: Point): Datapoint => (p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d });

/** The plot a selection should give: the model's selected points through the shared reducers. */
function modelPlot(points: readonly Point[], sel: TimeseriesSelection, columns: number) {
  const wire = points.map(toWire);
  const t1 = sel.t === undefined ? sel.t1 : undefined;
  const t2 = sel.t === undefined ? sel.t2 : undefined;
  return { count: wire.length, ...downsampleM4(wire, columns, t1, t2) };
}

/** The contract's rules, written as directly as possible over a plain array. */
class ReferenceModel {
  points: Point[] = [];
  insert(batch: readonly Point[], method: InsertMethod): void {
    if (method === "update") {
      this.points = this.points.filter((q) => !batch.some((p) => overlaps(p, q)));
    } else {
      const last = this.points[this.points.length - 1];
      batch = batch.filter((p) => !isIdenticalFinalPoint(p, last));
      for (const p of batch) {
        if (method === "insert" && this.points.some((q) => overlaps(p, q))) throw new Error(ERR_CONFLICT);
        if (method === "append" && last && !(p.t > last.t && p.t >= last.t + last.dt)) {
          throw new Error(ERR_CONFLICT);
        }
      }
    }
    this.points = [...this.points, ...batch].sort((a, b) => a.t - b.t);
  }
  select(sel: TimeseriesSelection): Point[] {
    const r =
      sel.i !== undefined || sel.i1 !== undefined || sel.i2 !== undefined
        ? resolveIndexRange(this.points.length, sel)
        : { start: 0, end: this.points.length };
    if (!r) return [];
    return this.points.filter(
      (p, k) =>
        k >= r.start &&
        k < r.end &&
        (sel.t1 === undefined || p.t >= sel.t1) &&
        (sel.t2 === undefined || p.t < sel.t2) &&
        (sel.t === undefined || p.t === sel.t),
    );
  }
  remove(sel: TimeseriesSelection): number {
    const gone = new Set(this.select(sel));
    this.points = this.points.filter((p) => !gone.has(p));
    return gone.size;
  }
}

describe("SqliteTimeseriesStore: contract examples (8.7)", () => {
  const store = () => new SqliteTimeseriesStore(db, { chunkSize: 3 });

  it("update replaces an overlapped point", async () => {
    const s = store();
    const id = newObject();
    await s.insert(id, [P(1), P(2), P(3)], "update");
    await s.insert(id, [P(3, "x")], "update");
    expect(await readAll(s, id)).toEqual([P(1), P(2), P(3, "x")]);
  });
  it("update with durations: [1,2),[2,3),[3,4),[4,5) + 2.5(dt 1), 3.5 -> 1, 2.5, 3.5, 4", async () => {
    const s = store();
    const id = newObject();
    await s.insert(id, [P(1, 1, 1), P(2, 2, 1), P(3, 3, 1), P(4, 4, 1)], "update");
    await s.insert(id, [P(2.5, "a", 1), P(3.5, "b")], "update");
    expect((await readAll(s, id)).map((p) => p.t)).toEqual([1, 2.5, 3.5, 4]);
  });
  it("update: 1..12 + 1(dt 5), 10(dt 5) -> 1(dt5), 6, 7, 8, 9, 10(dt5)", async () => {
    const s = store();
    const id = newObject();
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
    const id = newObject();
    await s.insert(id, [P(1), P(5), P(9)], "insert");
    await s.insert(id, [P(0), P(3), P(7), P(10)], "insert");
    const before = db.prepare("SELECT * FROM timeseries_chunks ORDER BY id").all();
    expect(await conflictOf(() => s.insert(id, [P(4), P(5, "other")], "insert"))).toBe(ERR_CONFLICT);
    expect(db.prepare("SELECT * FROM timeseries_chunks ORDER BY id").all()).toEqual(before);
    expect((await readAll(s, id)).map((p) => p.t)).toEqual([0, 1, 3, 5, 7, 9, 10]);
  });
  it("insert/append accept an identical final dt=0 point as a no-op, nothing else", async () => {
    const s = store();
    const id = newObject();
    await s.insert(id, [P(1, { a: 1 }), P(2, { b: [] })], "append");
    await s.insert(id, [P(2, { b: [] })], "append");
    await s.insert(id, [P(2, { b: [] }), P(3, {})], "insert");
    expect(await readAll(s, id)).toEqual([P(1, { a: 1 }), P(2, { b: [] }), P(3, {})]);
    expect(await conflictOf(() => s.insert(id, [P(1, { a: 1 })], "insert"))).toBe(ERR_CONFLICT);
    expect(await conflictOf(() => s.insert(id, [P(3, { x: 1 })], "append"))).toBe(ERR_CONFLICT);
    const id2 = newObject();
    await s.insert(id2, [P(1, 1, 2)], "append");
    expect(await conflictOf(() => s.insert(id2, [P(1, 1, 2)], "append"))).toBe(ERR_CONFLICT);
    expect(await conflictOf(() => s.insert(id2, [P(2.5)], "append"))).toBe(ERR_CONFLICT);
    await s.insert(id2, [P(3)], "append");
    expect(await s.length(id2)).toBe(2);
  });
  it("reads index and time selections, including i1=-1&i2=0", async () => {
    const s = store();
    const id = newObject();
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
    const s = new SqliteTimeseriesStore(db, { chunkSize: 3 });
    const id = newObject();
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
    const id = newObject();
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
    const id = newObject();
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
    const before = db.prepare("SELECT * FROM timeseries_chunks ORDER BY id").all();
    const count = db.prepare("SELECT n FROM timeseries WHERE object_id = ?").get(id);
    // The selection goes, then the insert meets t=8: the whole replace is undone.
    expect(await conflictOf(() => s.replace(id, { i: 0 }, [P(8, "z")], "insert"))).toBe(ERR_CONFLICT);
    expect(db.prepare("SELECT * FROM timeseries_chunks ORDER BY id").all()).toEqual(before);
    expect(db.prepare("SELECT n FROM timeseries WHERE object_id = ?").get(id)).toEqual(count);
    // Nothing to insert is a remove; nothing selected is an insert (creating the series if needed).
    expect(await s.replace(id, { t: 20 }, [], "update")).toEqual({ removed: 1, written: 0 });
    const fresh = newObject();
    expect(await s.replace(fresh, { t: 1 }, [P(1)], "update")).toEqual({ removed: 0, written: 1 });
    expect(await readAll(s, fresh)).toEqual([P(1)]);
  });
  it("drops an object's data, also through the ON DELETE CASCADE", async () => {
    const s = store();
    const id = newObject();
    await s.insert(id, [P(1), P(2), P(3), P(4)], "update");
    await s.dropObject(id);
    expect(await s.length(id)).toBe(0);
    const id2 = newObject();
    await s.insert(id2, [P(1), P(2), P(3), P(4)], "update");
    db.prepare("DELETE FROM objects WHERE id = ?").run(id2);
    expect(
      db
        .prepare("SELECT count(*) AS c FROM timeseries_chunks WHERE sid NOT IN (SELECT sid FROM timeseries)")
        .get(),
    ).toEqual({ c: 0 });
  });
  it("plots dense numeric series with M4 and sparse or non-numeric ones raw", async () => {
    const s = new SqliteTimeseriesStore(db, { chunkSize: 64 });
    const id = newObject();
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
    const id2 = newObject();
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

describe("SqliteTimeseriesStore: bounded writes and plot reads", () => {
  it("a wide sparse update rewrites only the chunks its points land in", async () => {
    const s = new SqliteTimeseriesStore(db, { chunkSize: 64 });
    const id = newObject();
    const n = 200_000;
    const t = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = i;
      d[i] = i % 13;
    }
    await s.insert(id, { n, t, dt: new Float64Array(n), d }, "update");
    const total = chunkRows().size;
    const before = chunkRows();
    // One point between two stored ones, one replacing a stored point, far apart.
    await s.insert(id, [P(1000.5, "x"), P(190_000, "y")], "update");
    const rewritten = rewrittenSince(before);
    expect(rewritten.length).toBe(2);
    expect(rewritten.map((r) => r.t0).sort((a, b) => a - b)).toEqual([960, 189_952]);
    expect(await s.length(id)).toBe(n + 1);
    expect(await readAll(s, id, { t1: 1000, t2: 1002 })).toEqual([P(1000, 12), P(1000.5, "x"), P(1001, 0)]);
    expect(await readAll(s, id, { t: 190_000 })).toEqual([P(190_000, "y")]);
    // A point whose duration spans several chunks: only those (and the one it starts in) go.
    const before2 = chunkRows();
    await s.insert(id, [P(5000.5, "long", 300), P(150_000.25, "z")], "update");
    const rewritten2 = rewrittenSince(before2);
    expect(rewritten2.length).toBeLessThanOrEqual(7);
    expect(rewritten2.every((r) => (r.t0 >= 4992 && r.t0 <= 5301) || r.t0 === 149_952)).toBe(true);
    expect(await s.length(id)).toBe(n + 1 + 2 - 300);
    expect(chunkRows().size).toBeLessThan(total + 4);
    // insert refuses the same way, still reading only the touched chunks.
    const before3 = chunkRows();
    expect(await conflictOf(() => s.insert(id, [P(7.5), P(100_000)], "insert"))).toBe(ERR_CONFLICT);
    expect(rewrittenSince(before3)).toEqual([]);
  });

  it("plots an index selection that ends on a chunk start as M4 of the selected points", async () => {
    const s = new SqliteTimeseriesStore(db, { chunkSize: 64 });
    const id = newObject();
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
    const s = new SqliteTimeseriesStore(db, { chunkSize: 256 });
    const id = newObject();
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

// ---- property test: random operation sequences against the reference model --------------------

const pointArb = fc.record({
  t: fc.integer({ min: 0, max: 40 }),
  dt: fc.constantFrom(0, 0, 0, 1, 2, 3, 12),
  d: fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
      .map((x) => (Object.is(x, -0) ? 0 : x)),
    fc.constantFrom("a", null, {}, [], { k: [1] }),
  ),
});

/** A valid batch (8.7 step 4): sorted, unique, durations not intersecting. */
const batchArb = fc.array(pointArb, { minLength: 1, maxLength: 8 }).map((raw) => {
  const out: Point[] = [];
  for (const p of [...raw].sort((a, b) => a.t - b.t)) {
    const prev = out[out.length - 1];
    if (prev && (p.t <= prev.t || p.t < prev.t + prev.dt)) continue;
    out.push(p);
  }
  return out;
});

const selArb: fc.Arbitrary<TimeseriesSelection> = fc.oneof(
  fc.record(
    { t1: fc.integer({ min: -2, max: 45 }), t2: fc.integer({ min: -2, max: 45 }) },
    { requiredKeys: [] },
  ),
  fc.record(
    { i1: fc.integer({ min: -12, max: 12 }), i2: fc.integer({ min: -12, max: 12 }) },
    { requiredKeys: [] },
  ),
  fc.record({ i: fc.integer({ min: -12, max: 12 }) }),
  fc.record({ t: fc.integer({ min: 0, max: 40 }) }),
  fc.record(
    {
      t1: fc.integer({ min: -2, max: 45 }),
      i1: fc.integer({ min: -12, max: 12 }),
      i2: fc.integer({ min: -12, max: 12 }),
    },
    { requiredKeys: [] },
  ),
);

/** Plot selections: time and index bounds, alone and combined. */
const plotSelArb: fc.Arbitrary<TimeseriesSelection> = fc.oneof(
  selArb,
  fc.record(
    {
      t1: fc.integer({ min: -2, max: 45 }),
      t2: fc.integer({ min: -2, max: 45 }),
      i1: fc.integer({ min: -12, max: 12 }),
      i2: fc.integer({ min: -12, max: 12 }),
    },
    { requiredKeys: [] },
  ),
);

const opArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      batch: batchArb,
      method: fc.constantFrom<InsertMethod>("update", "insert", "append"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), sel: selArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("read" as const), sel: selArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("plot" as const),
      sel: plotSelArb,
      columns: fc.integer({ min: 1, max: 9 }),
    }),
  },
);

/** The store's plot of a selection matches the shared reducers over the model's selected points. */
async function expectModelPlot(
  s: SqliteTimeseriesStore,
  id: string,
  model: ReferenceModel,
  sel: TimeseriesSelection,
  columns: number,
): Promise<void> {
  const selected = model.select(sel);
  const plot = await s.plot(id, sel, columns);
  const expected = modelPlot(selected, sel, columns);
  expect(plot.data).toEqual(expected.data);
  expect(plot.count).toBe(expected.count);
  expect(plot.raw).toBe(expected.raw);
  const sampled = !expected.raw && selected.some((p) => typeof p.d !== "number") ? "changes" : undefined;
  expect(plot.sampled).toBe(sampled);
}

describe("SqliteTimeseriesStore against a reference model (fast-check)", () => {
  it("agrees on every insert, remove and read", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 25 }),
        fc.constantFrom(2, 3, 5, 64),
        async (ops, chunkSize) => {
          const s = new SqliteTimeseriesStore(db, { chunkSize });
          const id = newObject();
          const model = new ReferenceModel();
          for (const op of ops) {
            if (op.kind === "insert") {
              let expected = "ok";
              try {
                model.insert(op.batch, op.method);
              } catch (e) {
                expected = (e as Error).message;
              }
              const got = await conflictOf(() => s.insert(id, op.batch, op.method));
              expect(got === "no error" ? "ok" : got).toBe(expected);
            } else if (op.kind === "remove") {
              expect(await s.remove(id, op.sel)).toBe(model.remove(op.sel));
            } else if (op.kind === "plot") {
              await expectModelPlot(s, id, model, op.sel, op.columns);
            } else {
              expect(await readAll(s, id, op.sel)).toEqual(model.select(op.sel));
            }
            expect(await s.length(id)).toBe(model.points.length);
          }
          expect(await readAll(s, id)).toEqual(model.points);
          const numeric = model.points.filter((p) => typeof p.d === "number");
          if (numeric.length === model.points.length && numeric.length > 0) {
            const plot = await s.plot(id, {}, 7);
            const wire: Datapoint[] = model.points.map((p) =>
              p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d },
            );
            expect(plot.data).toEqual(downsampleM4(wire, 7).data);
            expect(plot.count).toBe(model.points.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ---- wide sparse writes: a long series, a few far-apart points per write ----------------------

const sparseBatchArb = fc
  .array(
    fc.record({
      // Stored points sit on multiples of 5: these hit some and land between others.
      t: fc.integer({ min: -20, max: 4200 }).map((x) => x / 2),
      dt: fc.constantFrom(0, 0, 0, 2.5, 7, 40),
      d: fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom("on", "off")),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((raw) => {
    const out: Point[] = [];
    for (const p of [...raw].sort((a, b) => a.t - b.t)) {
      const prev = out[out.length - 1];
      if (prev && (p.t <= prev.t || p.t < prev.t + prev.dt)) continue;
      out.push(p);
    }
    return out;
  });

describe("SqliteTimeseriesStore: wide sparse writes against the reference model", () => {
  it("agrees with the model and rewrites only the chunks new points reach", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            batch: sparseBatchArb,
            method: fc.constantFrom<InsertMethod>("update", "update", "insert", "append"),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(3, 8, 16),
        plotSelArb.map((sel) => ({ ...sel, ...(sel.t1 !== undefined ? { t1: sel.t1 * 50 } : {}) })),
        async (ops, chunkSize, plotSel) => {
          const s = new SqliteTimeseriesStore(db, { chunkSize });
          const id = newObject();
          const model = new ReferenceModel();
          const base = Array.from({ length: 400 }, (_, k) => P(k * 5, k % 9));
          await s.insert(id, base, "update");
          model.insert(base, "update");
          for (const { batch, method } of ops) {
            const before = chunkRows(id);
            let expected = "ok";
            try {
              model.insert(batch, method);
            } catch (e) {
              expected = (e as Error).message;
            }
            const got = await conflictOf(() => s.insert(id, batch, method));
            expect(got === "no error" ? "ok" : got).toBe(expected);
            // Rewritten: chunks a new point's closed interval meets, plus at most one partly
            // filled neighbour per new point (merged so small writes do not leave tiny chunks).
            const reached = [...before.values()].filter((c) =>
              batch.some((p) => p.t <= c.tend && p.t + p.dt >= c.t0),
            ).length;
            expect(rewrittenSince(before, id).length).toBeLessThanOrEqual(reached + batch.length);
            expect(await s.length(id)).toBe(model.points.length);
          }
          expect(await readAll(s, id)).toEqual(model.points);
          await expectModelPlot(s, id, model, plotSel, 5);
          await expectModelPlot(s, id, model, {}, 40);
        },
      ),
      { numRuns: 60 },
    );
  });
});
