/**
 * Chunk engine paths that matter on both databases (decision 12): the sliced write of big
 * batches, `count` from chunk summaries and sparse updates that read only nearby summaries. Runs
 * in both vitest projects: over SQLite, and over PostgreSQL in the run's throwaway cluster.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WindowAccumulator, type WindowStats } from "../../core/aggregate.js";
import { createTransform, ERR_CONFLICT, type Point, pointColumns } from "../../core/datapoint.js";
import { TEST_STORE, testDatabase } from "../testing.js";
import type { ChunkEngine } from "./chunk-engine.js";
import type { ChunkSums } from "./chunk-repo.js";
import type { Store } from "./index.js";
import { openPostgresStore } from "./postgres/open.js";
import type { Querier } from "./postgres/records.js";
import { PgTimeseriesStore } from "./postgres/timeseries.js";
import { openSqliteStore } from "./sqlite/open.js";
import { SqliteTimeseriesStore } from "./sqlite/timeseries.js";
import type { TimeseriesSelection } from "./timeseries.js";

interface Harness {
  /** A chunk engine with small chunks over the store's database. */
  engine(chunkSize: number): ChunkEngine;
  /** Chunk sizes of an object's series, in time order. */
  chunkSizes(objectId: string): Promise<number[]>;
  /** Stored sums of an object's chunks, in time order (null where none are kept). */
  chunkSums(objectId: string): Promise<(ChunkSums | null)[]>;
  /** Empties the stored sums, as in chunks written before they were kept. */
  clearSums(objectId: string): Promise<void>;
  close(): Promise<void>;
}

type SumsRow = { sum: number | null; min: number | null; max: number | null; dt: number | null };

function sumsOf(r: SumsRow): ChunkSums | null {
  return r.sum === null ? null : { sum: r.sum, min: r.min!, max: r.max!, dt: r.dt! };
}

/** The full store (migrations, objects) plus a second connection for small-chunk engines. */
async function openHarness(): Promise<{ store: Store; h: Harness }> {
  const pgdb = await testDatabase();
  if (pgdb) {
    const store = await openPostgresStore(pgdb.url);
    // BIGINT chunk ids as numbers, as the store's own pool reads them.
    const types = {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: pgdb.url, max: 4, types });
    const begin = async <T>(fn: (q: Querier) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn(client);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      } finally {
        client.release();
      }
    };
    return {
      store,
      h: {
        engine: (chunkSize) => new PgTimeseriesStore(pool, begin, { chunkSize }),
        async chunkSizes(objectId) {
          const r = await pool.query<{ n: number }>(
            "SELECT n FROM timeseries_chunks WHERE object_id = $1 ORDER BY t0",
            [objectId],
          );
          return r.rows.map((row) => row.n);
        },
        async chunkSums(objectId) {
          const r = await pool.query<SumsRow>(
            `SELECT agg_sum AS sum, agg_min AS min, agg_max AS max, agg_dt AS dt FROM timeseries_chunks
             WHERE object_id = $1 ORDER BY t0`,
            [objectId],
          );
          return r.rows.map(sumsOf);
        },
        async clearSums(objectId) {
          await pool.query(
            "UPDATE timeseries_chunks SET agg_sum = NULL, agg_min = NULL, agg_max = NULL, agg_dt = NULL WHERE object_id = $1",
            [objectId],
          );
        },
        async close() {
          await pool.end();
          await store.close();
          await pgdb.drop();
        },
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "chunk-engine-"));
  const file = join(dir, "test.db");
  const store = openSqliteStore(file);
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  return {
    store,
    h: {
      engine: (chunkSize) => new SqliteTimeseriesStore(db, { chunkSize }),
      async chunkSizes(objectId) {
        return db
          .prepare<[string], { n: number }>(
            "SELECT c.n FROM timeseries_chunks c JOIN timeseries s USING (sid) WHERE s.object_id = ? ORDER BY c.t0",
          )
          .all(objectId)
          .map((r) => r.n);
      },
      async chunkSums(objectId) {
        return db
          .prepare<[string], SumsRow>(
            `SELECT agg_sum AS sum, agg_min AS min, agg_max AS max, agg_dt AS dt
             FROM timeseries_chunks c JOIN timeseries s USING (sid) WHERE s.object_id = ? ORDER BY c.t0`,
          )
          .all(objectId)
          .map(sumsOf);
      },
      async clearSums(objectId) {
        db.prepare(
          `UPDATE timeseries_chunks SET agg_sum = NULL, agg_min = NULL, agg_max = NULL, agg_dt = NULL
           WHERE sid = (SELECT sid FROM timeseries WHERE object_id = ?)`,
        ).run(objectId);
      },
      async close() {
        db.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

let store: Store;
let h: Harness;
let objectCounter = 0;

beforeAll(async () => {
  ({ store, h } = await openHarness());
  await store.users.create({
    username: "u",
    name: "",
    description: "",
    icon: "",
    public_read: false,
    users_read: false,
    password_hash: "-",
  });
});
afterAll(async () => {
  await h?.close();
});

async function newObject(): Promise<string> {
  const id = `obj-${++objectCounter}`;
  await store.objects.create({
    id,
    name: id,
    description: "",
    icon: "",
    owner: "u",
    app: null,
    tags: "",
    key: null,
    type: "timeseries",
    meta: {},
    created_date: "2024-01-01",
    last_modified: null,
    owner_scope: "*",
  });
  return id;
}

async function readAll(s: ChunkEngine, id: string, sel: TimeseriesSelection = {}): Promise<Point[]> {
  const out: Point[] = [];
  for await (const b of s.read(id, sel)) {
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
    expect(await store.timeseries.insert(id, batch, "append")).toEqual({ written: BIG });
    expect(await store.timeseries.length(id)).toBe(BIG);
    expect(await readAll(h.engine(1024), id, { i: -1 })).toEqual([P(BIG - 1)]);
  });
});

describe(`prepared inserts (${TEST_STORE})`, () => {
  const big = (from: number, n: number) => Array.from({ length: n }, (_, i) => P(from + i, i));
  const cols = (pts: Point[]) => pointColumns(pts);

  it("are encoded outside a transaction and written inside it, as the insert service does", async () => {
    const id = await newObject();
    await store.timeseries.insert(id, big(0, 10), "update");
    const batch = cols(big(10, 20_000));
    const prepared = await store.timeseries.prepareInsert!(id, batch, "append");
    expect(prepared).toBeDefined();
    await store.transaction(async (tx) => {
      expect(await tx.timeseries.insert(id, batch, "append", prepared)).toEqual({ written: 20_000 });
    });
    expect(await store.timeseries.length(id)).toBe(20_010);
    expect(await readAll(h.engine(1024), id, { i1: 8, i2: 12 })).toEqual([P(8), P(9), P(10, 0), P(11, 1)]);
  });

  it("see a write made after the preparation, and keep it", async () => {
    const id = await newObject();
    await store.timeseries.insert(id, big(0, 10), "update");
    const batch = cols(big(100, 20_000));
    const prepared = await store.timeseries.prepareInsert!(id, batch, "update");
    await store.timeseries.insert(id, [P(50, "between")], "update");
    await store.transaction((tx) => tx.timeseries.insert(id, batch, "update", prepared));
    const all = await readAll(h.engine(1024), id);
    expect(all.length).toBe(20_011);
    expect(all[10]).toEqual(P(50, "between"));
    expect(all[11]).toEqual(P(100, 0));
  });

  it("are not made for a batch reaching into stored data; null writes the ordinary way", async () => {
    const id = await newObject();
    await store.timeseries.insert(id, big(0, 100), "update");
    const batch = cols(big(50, 20_000));
    expect(await store.timeseries.prepareInsert!(id, batch, "insert")).toBeUndefined();
    expect(await conflictOf(() => store.timeseries.insert(id, batch, "insert", null))).toBe(ERR_CONFLICT);
    expect(await store.timeseries.length(id)).toBe(100);
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

describe(`windowed aggregate (${TEST_STORE})`, () => {
  function oracle(points: Point[], window: number, origin: number, t1: number, t2: number) {
    const acc = new WindowAccumulator(origin, window);
    for (const p of points) if (p.t >= t1 && p.t < t2) acc.add(p.t, p.dt, p.d);
    return acc.result();
  }

  it("matches a point-by-point oracle, whole chunks from stored sums and cut ones decoded", async () => {
    const s = h.engine(8);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        async (values, window, skip, withDt) => {
          const id = await newObject();
          const points = values.map((v, i) => ({ t: i * 2, dt: withDt ? 1 : 0, d: v / 4 }));
          await s.insert(id, points, "append");
          const t1 = skip;
          const t2 = values.length * 2 - skip / 2;
          const got = await s.aggregate(id, { t1, t2 }, window, 0);
          const want = oracle(points, window, 0, t1, t2);
          expect(got.count).toBe(want.count);
          expect(got.data.map((p) => p.t)).toEqual(want.data.map((p) => p.t));
          for (const [i, p] of got.data.entries()) {
            const a = p.d as WindowStats;
            const b = want.data[i]!.d as WindowStats;
            expect([a.n, a.min, a.max, a.first, a.last]).toEqual([b.n, b.min, b.max, b.first, b.last]);
            expect(a.sum ?? 0).toBeCloseTo(b.sum ?? 0, 6);
            expect(a.duration).toBeCloseTo(b.duration, 6);
          }
        },
      ),
      { numRuns: 15 },
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
