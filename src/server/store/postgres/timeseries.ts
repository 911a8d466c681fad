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
  dropObject: statement("drop_object", "DELETE FROM timeseries WHERE object_id = $1"),
};

/** The writes of a write's steps not sent yet (PgChunkRepo): at most one of each kind. */
interface Pending {
  sid: string | number | undefined;
  deleteIds: number[];
  chunks: NewChunk[];
  /** Sum of the addCount deltas, or undefined when addCount was not called. */
  count: number | undefined;
  touch: { objectId: string; lastModified: string; modifiedAt: number } | undefined;
}

const INSERT_COLUMNS =
  "t0, t1, tend, n, first_d, last_d, min_t, min_d, max_t, max_d, data, agg_sum, agg_min, agg_max, agg_dt";
const INSERT_TYPES = [
  "float8",
  "float8",
  "float8",
  "int",
  "float8",
  "float8",
  "float8",
  "float8",
  "float8",
  "float8",
  "bytea",
  "float8",
  "float8",
  "float8",
  "float8",
];

/** The insert's column arrays, in INSERT_COLUMNS order. */
function chunkColumns(chunks: readonly NewChunk[]): unknown[] {
  const col = <T>(f: (c: NewChunk) => T) => chunks.map(f);
  return [
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
  ];
}

/**
 * One statement for every pending write: each a data-modifying CTE of the next. They touch
 * different rows (old chunks deleted, new ones inserted, the series row, the object row), so
 * the order PostgreSQL runs them in does not matter, and the statement is as atomic as the
 * transaction around it.
 */
function writeStatement(p: Pending): { name: string; text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const ops: string[] = [];
  let name = "timeseries_write";
  let sid: string | undefined;
  const sidParam = () => {
    sid ??= param(p.sid);
    return sid;
  };
  if (p.deleteIds.length > 0) {
    name += "_d";
    ops.push(
      `DELETE FROM timeseries_chunks WHERE object_id = ${sidParam()} AND id = ANY(${param(p.deleteIds)}::bigint[])`,
    );
  }
  if (p.chunks.length > 0) {
    name += "_i";
    const s = sidParam();
    const arrays = chunkColumns(p.chunks).map((c, i) => `${param(c)}::${INSERT_TYPES[i]}[]`);
    ops.push(
      `INSERT INTO timeseries_chunks (object_id, ${INSERT_COLUMNS}) SELECT ${s}, * FROM unnest(${arrays.join(", ")})`,
    );
  }
  if (p.count !== undefined) {
    name += "_c";
    ops.push(`UPDATE timeseries SET n = n + ${param(p.count)} WHERE object_id = ${sidParam()}`);
  }
  if (p.touch) {
    name += "_t";
    const { objectId, lastModified, modifiedAt } = p.touch;
    ops.push(
      `UPDATE objects SET last_modified = ${param(lastModified)}, modified_at = ${param(modifiedAt)} WHERE id = ${param(objectId)}`,
    );
  }
  const last = ops.pop()!;
  const text = ops.length === 0 ? last : `WITH ${ops.map((op, i) => `w${i} AS (${op})`).join(", ")} ${last}`;
  return { name, text, values };
}

/**
 * The repository over one connection (or the pool, for reads). Writes are held back and sent
 * together as one statement (writeStatement) just before the next read, or by `flush` when the
 * steps are done: a read still sees every write before it, and an append costs one round trip
 * for its chunks, its count and its object's last_modified instead of four.
 */
export class PgChunkRepo implements AsyncChunkRepo {
  private pending: Pending | undefined;
  constructor(private readonly q: Querier) {}

  private held(sid: string | number | undefined): Pending {
    if (this.pending && sid !== undefined && this.pending.sid !== undefined && this.pending.sid !== sid) {
      throw new Error("one write holds writes of one series");
    }
    this.pending ??= { sid, deleteIds: [], chunks: [], count: undefined, touch: undefined };
    this.pending.sid ??= sid;
    return this.pending;
  }

  /** Sends the held writes, if any. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    await this.q.query(writeStatement(p));
  }

  async series(objectId: string, lock: boolean) {
    await this.flush();
    const r = await this.q.query<{ sid: string; n: number }>(
      (lock ? SQL.seriesLocked : SQL.series)([objectId]),
    );
    return r.rows[0];
  }
  async createSeries(objectId: string) {
    await this.flush();
    await this.q.query(SQL.createSeries([objectId]));
  }
  async addCount(sid: string | number, delta: number) {
    const p = this.held(sid);
    p.count = (p.count ?? 0) + delta;
  }
  async chunkData(sid: string | number, id: number) {
    await this.flush();
    const r = await this.q.query<{ data: Buffer }>(SQL.chunkData([sid, id]));
    return r.rows[0]!.data;
  }
  async chunksData(sid: string | number, ids: readonly number[]) {
    await this.flush();
    const r = await this.q.query<{ id: number; data: Buffer }>(SQL.chunksData([sid, ids]));
    const byId = new Map(r.rows.map((row) => [row.id, row.data]));
    return ids.map((id) => {
      const data = byId.get(id);
      if (!data) throw new Error(`chunk ${id} of series ${sid} is gone`);
      return data;
    });
  }
  async startT0(sid: string | number, v: number) {
    await this.flush();
    const r = await this.q.query<{ t0: number }>(SQL.startT0([sid, v]));
    return r.rows[0]?.t0 ?? null;
  }
  async prevChunk(sid: string | number, t0: number) {
    await this.flush();
    const r = await this.q.query<ChunkMeta>(SQL.prevChunk([sid, t0]));
    return r.rows[0];
  }
  async nextChunk(sid: string | number, t0: number) {
    await this.flush();
    const r = await this.q.query<ChunkMeta>(SQL.nextChunk([sid, t0]));
    return r.rows[0];
  }
  async page(sid: string | number, from: number, to: number, limit: number) {
    await this.flush();
    const r = await this.q.query<ChunkRow>(SQL.page([sid, from, to, limit]));
    return r.rows;
  }
  async metaRange(sid: string | number, from: number, to: number) {
    await this.flush();
    const r = await this.q.query<ChunkMeta>(SQL.metaRange([sid, from, to]));
    return r.rows;
  }
  async plotRange(sid: string | number, from: number, to: number) {
    await this.flush();
    const r = await this.q.query<PlotRow>(SQL.plotRange([sid, from, to]));
    return r.rows;
  }
  async aggRange(sid: string | number, from: number, to: number) {
    await this.flush();
    const r = await this.q.query<AggRow>(SQL.aggRange([sid, from, to]));
    return r.rows;
  }
  async counts(sid: string | number, descending: boolean) {
    await this.flush();
    const r = await this.q.query<{ id: number; n: number }>(
      (descending ? SQL.countsDesc : SQL.counts)([sid]),
    );
    return r.rows;
  }
  async deleteChunks(sid: string | number, ids: readonly number[]) {
    // Concatenated, not spread: a big remove can delete more chunks than a call takes arguments.
    if (ids.length > 0) {
      const p = this.held(sid);
      p.deleteIds = p.deleteIds.concat(ids);
    }
  }
  async insertChunks(sid: string | number, chunks: readonly NewChunk[]) {
    if (chunks.length > 0) {
      const p = this.held(sid);
      p.chunks = p.chunks.concat(chunks);
    }
  }
  async touchObject(objectId: string, lastModified: string, modifiedAt: number) {
    this.held(undefined).touch = { objectId, lastModified, modifiedAt };
  }
  async dropObject(objectId: string) {
    await this.flush();
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
        write: <T>(steps: Steps<T>) =>
          writes(async (q) => {
            const repo = new PgChunkRepo(q);
            const out = await runAsync(repo, steps);
            await repo.flush();
            return out;
          }),
      },
      options,
    );
  }
}
