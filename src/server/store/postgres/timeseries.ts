/**
 * PostgreSQL side of the chunk engine (../chunk-engine.ts). Series are keyed by object id, the
 * distribution column under Citus. Writers lock the series row (SELECT … FOR UPDATE) for the
 * length of their transaction, so writers of one series queue in the database, whichever server
 * process they come from, while other series write in parallel.
 */
import { ChunkEngine } from "../chunk-engine.js";
import {
  type AggRow,
  type AsyncChunkRepo,
  type ChunkMeta,
  type ChunkRow,
  type NewChunk,
  type PlotRow,
  runAsync,
  type Steps,
} from "../chunk-repo.js";
import type { Querier } from "./records.js";

const META = "id, t0, t1, tend, n";

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Named statements: each connection parses and plans them once, not on every call. Every one
 * filters on the series' object id, so a cached generic plan is the (object_id, t0) index scan
 * a custom plan would pick.
 */
function statement(name: string, text: string, rowMode?: "array") {
  return (values: unknown[]) => ({
    name: `timeseries_${name}`,
    text,
    values,
    ...(rowMode ? { rowMode } : {}),
  });
}

const SQL = {
  series: statement("series", "SELECT object_id AS sid, n FROM timeseries WHERE object_id = $1"),
  seriesLocked: statement(
    "series_locked",
    "SELECT object_id AS sid, n FROM timeseries WHERE object_id = $1 FOR UPDATE",
  ),
  createSeries: statement(
    "create_series",
    "INSERT INTO timeseries (object_id) VALUES ($1) ON CONFLICT DO NOTHING",
  ),
  addCount: statement("add_count", "UPDATE timeseries SET n = n + $1 WHERE object_id = $2"),
  lastChunk: statement(
    "last_chunk",
    `SELECT ${META} FROM timeseries_chunks WHERE object_id = $1 ORDER BY t0 DESC LIMIT 1`,
  ),
  chunkData: statement("chunk_data", "SELECT data FROM timeseries_chunks WHERE object_id = $1 AND id = $2"),
  chunksData: statement(
    "chunks_data",
    "SELECT id, data FROM timeseries_chunks WHERE object_id = $1 AND id = ANY($2::bigint[])",
  ),
  // ORDER BY … LIMIT 1 walks the index backwards; max() would too, but this reads plainer.
  startT0: statement(
    "start_t0",
    "SELECT t0 FROM timeseries_chunks WHERE object_id = $1 AND t0 <= $2 ORDER BY t0 DESC LIMIT 1",
  ),
  prevChunk: statement(
    "prev_chunk",
    `SELECT ${META} FROM timeseries_chunks WHERE object_id = $1 AND t0 < $2 ORDER BY t0 DESC LIMIT 1`,
  ),
  nextChunk: statement(
    "next_chunk",
    `SELECT ${META} FROM timeseries_chunks WHERE object_id = $1 AND t0 > $2 ORDER BY t0 LIMIT 1`,
  ),
  page: statement(
    "page",
    `SELECT ${META}, data FROM timeseries_chunks
     WHERE object_id = $1 AND t0 <= $3 AND t0 >= coalesce((SELECT t0 FROM timeseries_chunks
       WHERE object_id = $1 AND t0 <= $2 ORDER BY t0 DESC LIMIT 1), '-Infinity')
     ORDER BY t0 LIMIT $4`,
  ),
  metaRange: statement(
    "meta_range",
    `SELECT ${META} FROM timeseries_chunks WHERE object_id = $1 AND t0 >= $2 AND t0 <= $3 ORDER BY t0`,
  ),
  plotRange: statement(
    "plot_range",
    `SELECT ${META}, first_d, last_d, min_t, min_d, max_t, max_d FROM timeseries_chunks
     WHERE object_id = $1 AND t0 >= $2 AND t0 <= $3 ORDER BY t0`,
    "array",
  ),
  aggRange: statement(
    "agg_range",
    `SELECT ${META}, first_d, last_d, agg_sum, agg_min, agg_max, agg_dt FROM timeseries_chunks
     WHERE object_id = $1 AND t0 >= $2 AND t0 <= $3 ORDER BY t0`,
    "array",
  ),
  counts: statement("counts", "SELECT id, n FROM timeseries_chunks WHERE object_id = $1 ORDER BY t0"),
  countsDesc: statement(
    "counts_desc",
    "SELECT id, n FROM timeseries_chunks WHERE object_id = $1 ORDER BY t0 DESC",
  ),
  deleteChunks: statement(
    "delete_chunks",
    "DELETE FROM timeseries_chunks WHERE object_id = $1 AND id = ANY($2::bigint[])",
  ),
  // One statement for the whole write: columns as arrays, unnested into rows.
  insertChunks: statement(
    "insert_chunks",
    `INSERT INTO timeseries_chunks (object_id, t0, t1, tend, n, first_d, last_d, min_t, min_d, max_t, max_d, data,
       agg_sum, agg_min, agg_max, agg_dt)
     SELECT $1, * FROM unnest($2::float8[], $3::float8[], $4::float8[], $5::int[], $6::float8[], $7::float8[],
       $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::bytea[],
       $13::float8[], $14::float8[], $15::float8[], $16::float8[])`,
  ),
  dropObject: statement("drop_object", "DELETE FROM timeseries WHERE object_id = $1"),
};

export class PgChunkRepo implements AsyncChunkRepo {
  constructor(private readonly q: Querier) {}

  async series(objectId: string, lock: boolean) {
    const r = await this.q.query<{ sid: string; n: number }>(
      (lock ? SQL.seriesLocked : SQL.series)([objectId]),
    );
    return r.rows[0];
  }
  async createSeries(objectId: string) {
    await this.q.query(SQL.createSeries([objectId]));
  }
  async addCount(sid: string | number, delta: number) {
    await this.q.query(SQL.addCount([delta, sid]));
  }
  async lastChunk(sid: string | number) {
    const r = await this.q.query<ChunkMeta>(SQL.lastChunk([sid]));
    return r.rows[0];
  }
  async chunkData(sid: string | number, id: number) {
    const r = await this.q.query<{ data: Buffer }>(SQL.chunkData([sid, id]));
    return r.rows[0]!.data;
  }
  async chunksData(sid: string | number, ids: readonly number[]) {
    const r = await this.q.query<{ id: number; data: Buffer }>(SQL.chunksData([sid, ids]));
    const byId = new Map(r.rows.map((row) => [row.id, row.data]));
    return ids.map((id) => {
      const data = byId.get(id);
      if (!data) throw new Error(`chunk ${id} of series ${sid} is gone`);
      return data;
    });
  }
  async startT0(sid: string | number, v: number) {
    const r = await this.q.query<{ t0: number }>(SQL.startT0([sid, v]));
    return r.rows[0]?.t0 ?? null;
  }
  async prevChunk(sid: string | number, t0: number) {
    const r = await this.q.query<ChunkMeta>(SQL.prevChunk([sid, t0]));
    return r.rows[0];
  }
  async nextChunk(sid: string | number, t0: number) {
    const r = await this.q.query<ChunkMeta>(SQL.nextChunk([sid, t0]));
    return r.rows[0];
  }
  async page(sid: string | number, from: number, to: number, limit: number) {
    const r = await this.q.query<ChunkRow>(SQL.page([sid, from, to, limit]));
    return r.rows;
  }
  async metaRange(sid: string | number, from: number, to: number) {
    const r = await this.q.query<ChunkMeta>(SQL.metaRange([sid, from, to]));
    return r.rows;
  }
  async plotRange(sid: string | number, from: number, to: number) {
    const r = await this.q.query<PlotRow>(SQL.plotRange([sid, from, to]));
    return r.rows;
  }
  async aggRange(sid: string | number, from: number, to: number) {
    const r = await this.q.query<AggRow>(SQL.aggRange([sid, from, to]));
    return r.rows;
  }
  async counts(sid: string | number, descending: boolean) {
    const r = await this.q.query<{ id: number; n: number }>(
      (descending ? SQL.countsDesc : SQL.counts)([sid]),
    );
    return r.rows;
  }
  async deleteChunks(sid: string | number, ids: readonly number[]) {
    if (ids.length === 0) return;
    await this.q.query(SQL.deleteChunks([sid, ids]));
  }
  async insertChunks(sid: string | number, chunks: readonly NewChunk[]) {
    const col = <T>(f: (c: NewChunk) => T) => chunks.map(f);
    await this.q.query(
      SQL.insertChunks([
        sid,
        col((c) => c.stats.t0),
        col((c) => c.stats.t1),
        col((c) => c.stats.tend),
        col((c) => c.stats.n),
        col((c) => c.firstD),
        col((c) => c.lastD),
        col((c) => c.stats.m4?.minT ?? null),
        col((c) => c.stats.m4?.minD ?? null),
        col((c) => c.stats.m4?.maxT ?? null),
        col((c) => c.stats.m4?.maxD ?? null),
        col((c) => bytes(c.data)),
        col((c) => c.sums?.sum ?? null),
        col((c) => c.sums?.min ?? null),
        col((c) => c.sums?.max ?? null),
        col((c) => c.sums?.dt ?? null),
      ]),
    );
  }
  async dropObject(objectId: string) {
    await this.q.query(SQL.dropObject([objectId]));
  }
}

/** Where a write runs: a transaction of its own (`begin`), or the caller's open one. */
export type WriteScope = <T>(fn: (q: Querier) => Promise<T>) => Promise<T>;

export class PgTimeseriesStore extends ChunkEngine {
  constructor(reads: Querier, writes: WriteScope, options: { chunkSize?: number } = {}) {
    const readRepo = new PgChunkRepo(reads);
    super(
      {
        read: <T>(steps: Steps<T>) => runAsync(readRepo, steps),
        write: <T>(steps: Steps<T>) => writes((q) => runAsync(new PgChunkRepo(q), steps)),
      },
      options,
    );
  }
}
