/**
 * The chunk engine against a reference model of the contract (fast-check): random sequences of
 * inserts, removes, reads and plots, and wide sparse writes into a long series, on both stores.
 * Each operation is a few round trips on PostgreSQL, so its runs are fewer there (see NUM_RUNS);
 * the SQLite runs keep the full count.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Point } from "../../core/datapoint.js";
import { downsampleM4 } from "../../core/downsample.js";
import type { Datapoint } from "../../core/resources.js";
import { TEST_STORE } from "../testing.js";
import type { ChunkEngine } from "./chunk-engine.js";
import { modelPlot, ReferenceModel } from "./test-reference-model.js";
import { type ChunkRowSnapshot, conflictOf, P, readAll, suiteStoreHarness } from "./test-store-harness.js";
import type { InsertMethod, TimeseriesSelection } from "./timeseries.js";

/** Runs per property: the SQLite counts, and a third of them over PostgreSQL's round trips. */
const NUM_RUNS = (sqlite: number) => (TEST_STORE === "postgres" ? Math.ceil(sqlite / 3) : sqlite);

const h = suiteStoreHarness();

const newObject = () => h.newObject();

/** Chunk rows of one object keyed by their content, to tell which rows a write replaced. */
async function chunkRows(objectId: string): Promise<Map<string, ChunkRowSnapshot>> {
  const rows = await h.chunkRows(objectId);
  return new Map(rows.map((r) => [`${r.id}|${r.t0}|${r.t1}|${r.tend}|${r.n}|${r.data}`, r]));
}

/** Rows present before and gone after (deleted, or rewritten with other content). */
async function rewrittenSince(before: Map<string, ChunkRowSnapshot>, objectId: string) {
  const after = await chunkRows(objectId);
  return [...before].filter(([k]) => !after.has(k)).map(([, r]) => r);
}

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

/** A valid batch (8.7 step 4) of the raw points: sorted, unique, durations not intersecting. */
function validBatch(raw: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of [...raw].sort((a, b) => a.t - b.t)) {
    const prev = out[out.length - 1];
    if (prev && (p.t <= prev.t || p.t < prev.t + prev.dt)) continue;
    out.push(p);
  }
  return out;
}

const batchArb = fc.array(pointArb, { minLength: 1, maxLength: 8 }).map(validBatch);

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
  s: ChunkEngine,
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

describe(`against a reference model (fast-check, ${TEST_STORE})`, () => {
  it("agrees on every insert, remove and read", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 25 }),
        fc.constantFrom(2, 3, 5, 64),
        async (ops, chunkSize) => {
          const s = h.engine(chunkSize);
          const id = await newObject();
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
      { numRuns: NUM_RUNS(150) },
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
  .map(validBatch);

describe(`wide sparse writes against the reference model (${TEST_STORE})`, () => {
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
          const s = h.engine(chunkSize);
          const id = await newObject();
          const model = new ReferenceModel();
          const base = Array.from({ length: 400 }, (_, k) => P(k * 5, k % 9));
          await s.insert(id, base, "update");
          model.insert(base, "update");
          for (const { batch, method } of ops) {
            const before = await chunkRows(id);
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
            expect((await rewrittenSince(before, id)).length).toBeLessThanOrEqual(reached + batch.length);
            expect(await s.length(id)).toBe(model.points.length);
          }
          expect(await readAll(s, id)).toEqual(model.points);
          await expectModelPlot(s, id, model, plotSel, 5);
          await expectModelPlot(s, id, model, {}, 40);
        },
      ),
      { numRuns: NUM_RUNS(60) },
    );
  });
});
