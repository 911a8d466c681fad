/**
 * The timeseries storage interface (contract section 8). Nothing here names SQLite: a PostgreSQL
 * engine can implement the same interface with the same chunk codec.
 */

import type { AggregateResult } from "../../core/aggregate.js";
import type { Point, PointColumns } from "../../core/datapoint.js";
import type { PlotResult } from "../../core/resources.js";

export type InsertMethod = "update" | "insert" | "append";

/**
 * Point selection of reads and deletes (contract 8.3, 8.8), after time strings were parsed to unix
 * seconds. Indices are as sent (negative = from the end); the store applies the clamping rules.
 */
export interface TimeseriesSelection {
  t?: number;
  t1?: number;
  t2?: number;
  i?: number;
  i1?: number;
  i2?: number;
}

/** A run of consecutive points in time order, columnar (views, valid until the next batch). */
export interface PointBatch {
  n: number;
  t: Float64Array;
  /** null when every dt is 0. */
  dt: Float64Array | null;
  /** A Float64Array when every d is a number. */
  d: Float64Array | readonly unknown[];
  /**
   * When a column is stored as decimals: value[i] = k[i] / 10^p exactly, with |k| < 2^51. Lets the
   * JSON writer print integers instead of converting doubles.
   */
  tDecimal?: { p: number; k: Float64Array } | null;
  dDecimal?: { p: number; k: Float64Array } | null;
}

/** See TimeseriesStore.count; `first` and `end` are 0 when `n` is 0. */
export interface SelectionCount {
  n: number;
  first: number;
  end: number;
}

/**
 * Work a store did on a batch ahead of writing it (TimeseriesStore.prepareInsert); only the store
 * that made it reads what is inside.
 */
export interface PreparedInsert {
  readonly objectId: string;
  readonly points: PointColumns;
}

export interface InsertResult {
  /** Points written (an identical final point accepted as a no-op is not counted). */
  written: number;
}

export interface TimeseriesStore {
  /** Number of stored points (contract 8.5); 0 for an object without data. */
  length(objectId: string): Promise<number>;
  /**
   * The selected points, lazily, in time order. The iterable pulls storage in pages, so a read of
   * any size holds only a few chunks in memory, and other requests run between pages.
   */
  read(objectId: string, selection: TimeseriesSelection): AsyncIterable<PointBatch>;
  /**
   * Writes an already normalised, ordered batch (contract 8.7 step 5). Atomic: on a conflict it
   * throws `bad_query: conflict with existing datapoint` and nothing changes. `prepared` is
   * prepareInsert's answer for the same points: the write skips the work done there, or with
   * null (nothing to prepare) writes the ordinary way; left out, the store may prepare itself.
   * `touch` also marks the object modified at that instant (as ObjectStore.touch), in the same
   * write: on PostgreSQL in the same statement as the chunks.
   */
  insert(
    objectId: string,
    points: readonly Point[] | PointColumns,
    method: InsertMethod,
    prepared?: PreparedInsert | null,
    touch?: Date,
  ): Promise<InsertResult>;
  /**
   * Optional: the slow, database-free part of a big insert (encoding its chunks), done in slices
   * that yield the loop, outside any transaction (decision 12). The write re-checks what it was
   * built on, so anything may happen in between. Undefined when the batch gains nothing from it.
   */
  prepareInsert?(
    objectId: string,
    points: PointColumns,
    method: InsertMethod,
  ): Promise<PreparedInsert | undefined>;
  /** Removes the selected points (contract 8.8); returns how many were removed. */
  remove(objectId: string, selection: TimeseriesSelection): Promise<number>;
  /**
   * The selection's `transform=count` answer without reading its points: how many there are, the
   * first one's `t`, and the end (`t + dt`) of the last. Optional: without it, the read service
   * counts a full read.
   */
  count?(objectId: string, selection: TimeseriesSelection): Promise<SelectionCount>;
  /**
   * Removes the selection, then inserts `points`, as one atomic change (the `timeseries.replace`
   * extension): when the insert is refused, the removed points are back as they were.
   */
  replace(
    objectId: string,
    selection: TimeseriesSelection,
    points: readonly Point[] | PointColumns,
    method: InsertMethod,
  ): Promise<{ removed: number; written: number }>;
  /** M4-reduced read of the selection for `columns` pixel columns (decision 6). */
  plot(
    objectId: string,
    selection: TimeseriesSelection,
    columns: number,
    options?: { counts?: boolean },
  ): Promise<PlotResult>;
  /**
   * Windowed aggregate of the selection (decision 6, `timeseries.aggregate`), computed from stored
   * summaries where a chunk fits in one window. Optional: without it the service aggregates a
   * plain read, so another engine works before it has a fast path.
   */
  aggregate?(
    objectId: string,
    selection: TimeseriesSelection,
    window: number,
    origin: number | undefined,
  ): Promise<AggregateResult>;
  /** Removes every point of the object (also done by the object's ON DELETE CASCADE). */
  dropObject(objectId: string): Promise<void>;
}

/**
 * Index range `[start, end)` selected by `i`, `i1`, `i2` over `n` points (contract 8.3): negative
 * indices count from the end; i1 clamps up to 0, i2 clamps down to n; an i1 at or past the end, an
 * i2 before the start, or an `i` out of range select nothing. Returns null for an empty selection.
 */
export function resolveIndexRange(
  n: number,
  sel: Pick<TimeseriesSelection, "i" | "i1" | "i2">,
): { start: number; end: number } | null {
  if (sel.i !== undefined) {
    const k = sel.i < 0 ? n + sel.i : sel.i;
    return k >= 0 && k < n ? { start: k, end: k + 1 } : null;
  }
  let start = 0;
  let end = n;
  if (sel.i1 !== undefined) {
    start = sel.i1 < 0 ? n + sel.i1 : sel.i1;
    if (start < 0) start = 0;
    if (start >= n) return null;
  }
  if (sel.i2 !== undefined) {
    end = sel.i2 < 0 ? n + sel.i2 : sel.i2;
    if (end > n) end = n;
    if (end < 0) return null;
  }
  return start < end ? { start, end } : null;
}

export function hasIndex(sel: TimeseriesSelection): boolean {
  return sel.i !== undefined || sel.i1 !== undefined || sel.i2 !== undefined;
}
