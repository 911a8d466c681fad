/**
 * One harness for the store contract suites, so the same tests run on both databases: in the
 * `sqlite` vitest project over a file in a temp folder, in the `postgres` project over a fresh
 * database in the run's throwaway cluster (testing.ts, testDatabase). Besides the full store it
 * gives chunk engines with small chunks and a raw look at the chunk rows, which the model tests
 * need to tell which rows a write replaced.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { Point } from "../../core/datapoint.js";
import { TEST_STORE, testDatabase } from "../testing.js";
import type { ChunkEngine } from "./chunk-engine.js";
import type { ChunkSums } from "./chunk-repo.js";
import type { ObjectRecord, Store } from "./index.js";
import { beginOn, openPostgresStore, types } from "./postgres/open.js";
import { PgTimeseriesStore } from "./postgres/timeseries.js";
import { openSqliteStore } from "./sqlite/open.js";
import { SqliteTimeseriesStore } from "./sqlite/timeseries.js";
import type { TimeseriesSelection } from "./timeseries.js";

/** One stored chunk, every column, the encoded data as hex: equal rows hold equal content. */
export interface ChunkRowSnapshot {
  id: number;
  object_id: string;
  t0: number;
  t1: number;
  tend: number;
  n: number;
  first_d: number | null;
  last_d: number | null;
  min_t: number | null;
  min_d: number | null;
  max_t: number | null;
  max_d: number | null;
  agg_sum: number | null;
  agg_min: number | null;
  agg_max: number | null;
  agg_dt: number | null;
  data: string;
}

export interface StoreHarness {
  /** The full store (migrations, records, its own chunk engine). */
  store: Store;
  /** A chunk engine with `chunkSize`-point chunks over a second connection to the same database. */
  engine(chunkSize: number): ChunkEngine;
  /** Creates a timeseries object (owned by user `u`, made on first use) and returns its id. */
  newObject(): Promise<string>;
  /** Chunk sizes of an object's series, in time order. */
  chunkSizes(objectId: string): Promise<number[]>;
  /** Stored sums of an object's chunks, in time order (null where none are kept). */
  chunkSums(objectId: string): Promise<(ChunkSums | null)[]>;
  /** Empties the stored sums, as in chunks written before they were kept. */
  clearSums(objectId: string): Promise<void>;
  /** Every chunk row (of one object, or of all), by id. */
  chunkRows(objectId?: string): Promise<ChunkRowSnapshot[]>;
  /** The point count the series row records, undefined without a series row. */
  seriesCount(objectId: string): Promise<number | undefined>;
  /** Chunk rows whose series row is gone (the cascade leaves none). */
  orphanChunks(): Promise<number>;
  close(): Promise<void>;
}

type SumsRow = { sum: number | null; min: number | null; max: number | null; dt: number | null };

function sumsOf(r: SumsRow): ChunkSums | null {
  return r.sum === null ? null : { sum: r.sum, min: r.min!, max: r.max!, dt: r.dt! };
}

const CHUNK_COLUMNS =
  "c.id, s.object_id, c.t0, c.t1, c.tend, c.n, c.first_d, c.last_d, c.min_t, c.min_d, c.max_t, c.max_d, c.agg_sum, c.agg_min, c.agg_max, c.agg_dt";

/**
 * The suite's harness, opened before its tests and closed after them. Its members are read
 * from the open harness, so use them inside tests and hooks only.
 */
export function suiteStoreHarness(): StoreHarness {
  let opened: StoreHarness | undefined;
  beforeAll(async () => {
    opened = await openStoreHarness();
  });
  afterAll(async () => {
    await opened?.close();
  });
  return new Proxy({} as StoreHarness, {
    get(_target, key) {
      if (!opened) throw new Error("the store harness opens in beforeAll");
      return Reflect.get(opened, key);
    },
  });
}

/** A timeseries object record with every field at its default. */
export function objectRecord(id: string, owner: string, over: Partial<ObjectRecord> = {}): ObjectRecord {
  return {
    id,
    name: id,
    description: "",
    icon: "",
    owner,
    app: null,
    tags: "",
    key: null,
    type: "timeseries",
    meta: {},
    created_date: "2024-01-01",
    last_modified: null,
    owner_scope: "*",
    ...over,
  };
}

/** Opens the store the run's project names (TEST_STORE). */
export async function openStoreHarness(): Promise<StoreHarness> {
  const parts = TEST_STORE === "postgres" ? await openPostgres() : openSqlite();
  let objectCounter = 0;
  let owner: Promise<void> | undefined;
  return {
    ...parts,
    async newObject() {
      owner ??= parts.store.users.create({
        username: "u",
        name: "",
        description: "",
        icon: "",
        public_read: false,
        users_read: false,
        password_hash: "-",
      });
      await owner;
      const id = `obj-${++objectCounter}`;
      await parts.store.objects.create(objectRecord(id, "u"));
      return id;
    },
  };
}

async function openPostgres(): Promise<Omit<StoreHarness, "newObject">> {
  const pgdb = await testDatabase();
  if (!pgdb) throw new Error("HEEDY_TEST_STORE=postgres needs a test database");
  const store = await openPostgresStore(pgdb.url);
  // BIGINT as numbers, as the store's own pool reads them.
  const pool = new pg.Pool({ connectionString: pgdb.url, max: 4, types });
  return {
    store,
    engine: (chunkSize) => new PgTimeseriesStore(pool, beginOn(pool), { chunkSize }),
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
    async chunkRows(objectId) {
      const r = await pool.query<ChunkRowSnapshot>(
        `SELECT ${CHUNK_COLUMNS}, encode(c.data, 'hex') AS data FROM timeseries_chunks c
         JOIN timeseries s USING (object_id) WHERE $1::text IS NULL OR s.object_id = $1 ORDER BY c.id`,
        [objectId ?? null],
      );
      return r.rows;
    },
    async seriesCount(objectId) {
      const r = await pool.query<{ n: number }>("SELECT n FROM timeseries WHERE object_id = $1", [objectId]);
      return r.rows[0]?.n;
    },
    async orphanChunks() {
      const r = await pool.query<{ c: number }>(
        "SELECT count(*)::int AS c FROM timeseries_chunks WHERE object_id NOT IN (SELECT object_id FROM timeseries)",
      );
      return r.rows[0]!.c;
    },
    async close() {
      await pool.end();
      await store.close();
      await pgdb.drop();
    },
  };
}

function openSqlite(): Omit<StoreHarness, "newObject"> {
  const dir = mkdtempSync(join(tmpdir(), "store-harness-"));
  const file = join(dir, "test.db");
  const store = openSqliteStore(file);
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  return {
    store,
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
    async chunkRows(objectId) {
      return db
        .prepare<[{ id: string | null }], ChunkRowSnapshot>(
          `SELECT ${CHUNK_COLUMNS}, lower(hex(c.data)) AS data FROM timeseries_chunks c
           JOIN timeseries s USING (sid) WHERE @id IS NULL OR s.object_id = @id ORDER BY c.id`,
        )
        .all({ id: objectId ?? null });
    },
    async seriesCount(objectId) {
      return db.prepare<[string], { n: number }>("SELECT n FROM timeseries WHERE object_id = ?").get(objectId)
        ?.n;
    },
    async orphanChunks() {
      return db
        .prepare<[], { c: number }>(
          "SELECT count(*) AS c FROM timeseries_chunks WHERE sid NOT IN (SELECT sid FROM timeseries)",
        )
        .get()!.c;
    },
    async close() {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every selected point, batches flattened. */
export async function readAll(s: ChunkEngine, id: string, sel: TimeseriesSelection = {}): Promise<Point[]> {
  const out: Point[] = [];
  for await (const b of s.read(id, sel)) {
    for (let i = 0; i < b.n; i++) out.push({ t: b.t[i]!, dt: b.dt ? b.dt[i]! : 0, d: b.d[i] });
  }
  return out;
}

/** A point: `d` defaults to `t`. */
export const P = (t: number, d: unknown = t, dt = 0): Point => ({ t, dt, d });

/** The message `f` fails with, or "no error". */
export async function conflictOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}
