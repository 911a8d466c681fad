/**
 * What the chunk engine (./chunk-engine.ts) needs from a database: rows of chunk summaries and
 * blobs, per series. One implementation per database; nothing here knows SQL.
 *
 * The engine is written as generators that yield these calls (`Steps`), so one engine runs
 * synchronously inside a better-sqlite3 transaction and asynchronously over a PostgreSQL
 * connection, without duplicating a line of chunk logic.
 */
import type { ChunkStats } from "./timeseries-codec.js";

/** A series' key in its database: SQLite numbers series, PostgreSQL keys them by object id. */
export type SeriesKey = number | string;

export interface ChunkMeta {
  id: number;
  t0: number;
  t1: number;
  tend: number;
  n: number;
}

export interface ChunkRow extends ChunkMeta {
  data: Uint8Array;
}

/** A chunk's summary row: [id, t0, t1, tend, n, first_d, last_d], then four nullable numbers. */
type SummaryRow = [
  number,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

/** The summary row with the M4 extremes: [..., min_t, min_d, max_t, max_d]. */
export type PlotRow = SummaryRow;

/** The summary row with the stored sums: [..., agg_sum, agg_min, agg_max, agg_dt]. */
export type AggRow = SummaryRow;

/** Sum, minimum, maximum and total duration of a numeric chunk (the aggregate's stored sums). */
export interface ChunkSums {
  sum: number;
  min: number;
  max: number;
  dt: number;
}

export interface NewChunk {
  stats: ChunkStats;
  firstD: number | null;
  lastD: number | null;
  /** Null for chunks holding other values than numbers. */
  sums: ChunkSums | null;
  data: Uint8Array;
}

export interface ChunkRepo {
  /** The series of an object; `lock` holds it against other writers until the transaction ends. */
  series(objectId: string, lock: boolean): { sid: SeriesKey; n: number } | undefined;
  /** Creates the object's (empty) series when missing. */
  createSeries(objectId: string): void;
  addCount(sid: SeriesKey, delta: number): void;
  chunkData(sid: SeriesKey, id: number): Uint8Array;
  /**
   * The blobs of several chunks, in the order of `ids`, in one statement: a plot or an aggregate
   * that decodes thousands of chunks pays one round trip per page of them on a networked
   * database, not one per chunk.
   */
  chunksData(sid: SeriesKey, ids: readonly number[]): Uint8Array[];
  /** Largest t0 <= v, or null. */
  startT0(sid: SeriesKey, v: number): number | null;
  /** The chunk with the largest t0 < t0. */
  prevChunk(sid: SeriesKey, t0: number): ChunkMeta | undefined;
  /** The chunk with the smallest t0 > t0. */
  nextChunk(sid: SeriesKey, t0: number): ChunkMeta | undefined;
  /**
   * Up to `limit` chunks, in time order, from the one that can hold time `from` (largest
   * t0 <= from, else the first) to the last with t0 <= to. One statement, so a write that re-cuts
   * chunks cannot land between finding the start and reading from it.
   */
  page(sid: SeriesKey, from: number, to: number, limit: number): ChunkRow[];
  metaRange(sid: SeriesKey, from: number, to: number): ChunkMeta[];
  plotRange(sid: SeriesKey, from: number, to: number): PlotRow[];
  /** As plotRange, with the stored sums (null in chunks written before they were kept). */
  aggRange(sid: SeriesKey, from: number, to: number): AggRow[];
  /** Every chunk's id and count, in time order or reversed. */
  counts(sid: SeriesKey, descending: boolean): { id: number; n: number }[];
  deleteChunks(sid: SeriesKey, ids: readonly number[]): void;
  insertChunks(sid: SeriesKey, chunks: readonly NewChunk[]): void;
  dropObject(objectId: string): void;
  /**
   * Marks the object modified (`last_modified`, the UTC day, and `modified_at`, in seconds) in
   * the same write as its data, as ObjectStore.touch does.
   */
  touchObject(objectId: string, lastModified: string, modifiedAt: number): void;
}

export type AsyncChunkRepo = {
  [K in keyof ChunkRepo]: (...a: Parameters<ChunkRepo[K]>) => Promise<ReturnType<ChunkRepo[K]>>;
};

export type RepoCall = { [K in keyof ChunkRepo]: { m: K; a: Parameters<ChunkRepo[K]> } }[keyof ChunkRepo];

/** Engine code: a generator that yields repository calls and receives their results. */
export type Steps<T> = Generator<RepoCall, T, unknown>;

/** One repository call, as a step: `const last = yield* call("lastChunk", sid)`. */
export function* call<K extends keyof ChunkRepo>(
  m: K,
  ...a: Parameters<ChunkRepo[K]>
): Steps<ReturnType<ChunkRepo[K]>> {
  return (yield { m, a } as RepoCall) as ReturnType<ChunkRepo[K]>;
}

type AnyMethod = (...a: unknown[]) => unknown;

/** Runs steps against a synchronous repository (call it inside the database's transaction). */
export function runSync<T>(repo: ChunkRepo, steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) {
    const c = r.value;
    r = steps.next((repo[c.m] as AnyMethod).apply(repo, c.a));
  }
  return r.value;
}

/** Runs steps against an asynchronous repository, one call at a time. */
export async function runAsync<T>(repo: AsyncChunkRepo, steps: Steps<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    const c = r.value;
    r = steps.next(await (repo[c.m] as AnyMethod).apply(repo, c.a));
  }
  return r.value;
}

/** How an engine runs its steps on one database. */
export interface ChunkBackend {
  /** Reads; each call may see its own snapshot (the engine tolerates writes between calls). */
  read<T>(steps: Steps<T>): Promise<T>;
  /** A write: atomic, and serialised with other writers of the series by `series(id, true)`. */
  write<T>(steps: Steps<T>): Promise<T>;
}
