/**
 * The chunk engine: points live in compressed chunks (see ./timeseries-codec.ts) of up to
 * `chunkSize` points, one row per chunk, with the chunk's time span and M4 summary beside the blob.
 * It knows no SQL: it runs over a ChunkRepo (./chunk-repo.ts), one per database.
 *
 * Why chunks and not one row per point (measured by src/bench/timeseries-storage.ts on this
 * 2-core machine, 1M points of a 1 Hz sensor): a (sid, t) WITHOUT ROWID row per point costs 22.8
 * bytes/point and inserts at ~0.65x the raw better-sqlite3 rate; chunks cost 1.4 bytes/point,
 * insert 3-4x faster than raw rows, answer a last-hour query on 10M points by decoding four chunks,
 * and let plots use the per-chunk summaries.
 */
import { type AggregateResult, addPoint, emptyStats, WindowAccumulator } from "../../core/aggregate.js";
import {
  columnPoints,
  DatapointError,
  ERR_CONFLICT,
  isIdenticalFinalPoint,
  overlaps,
  type Point,
  type PointColumns,
  pointColumns,
} from "../../core/datapoint.js";
import { ChangeSampler, M4Accumulator } from "../../core/downsample.js";
import type { Datapoint, PlotResult } from "../../core/resources.js";
import { todayUTC } from "../dates.js";
import { LoopSlicer } from "../loop-slicer.js";
import {
  type AggRow,
  type ChunkBackend,
  type ChunkMeta,
  type ChunkRow,
  type ChunkSums,
  call,
  type NewChunk,
  type PlotRow,
  type SeriesKey,
  type Steps,
} from "./chunk-repo.js";
import {
  hasIndex,
  type InsertMethod,
  type InsertResult,
  type PointBatch,
  type PreparedInsert,
  resolveIndexRange,
  type SelectionCount,
  type TimeseriesSelection,
  type TimeseriesStore,
} from "./timeseries.js";
import {
  type ChunkColumns,
  chunkStats,
  createDecodeScratch,
  decodeChunk,
  decodeChunkTimes,
  encodeChunk,
} from "./timeseries-codec.js";

/**
 * 1024 points per chunk: measured on a 10M-point series, plots to 2,000 columns took ~65 ms with
 * 1024-point chunks against ~130 ms with 4096 (more chunks fit inside one pixel column and are
 * summarised without decoding); disk and ingest barely change.
 */
export const DEFAULT_CHUNK_SIZE = 1024;
/** Chunks fetched per page while streaming a read. */
const READ_PAGE = 16;
/**
 * Chunk blobs fetched per statement when a plot or aggregate decodes many chunks (about 400 KB of
 * a numeric series): on PostgreSQL, a 1M-point plot to 2,000 columns decoded ~1,000 chunks one
 * round trip each, ~300 ms; a page of them costs one.
 */
const DATA_PAGE = 256;
/** Batches of at least this many points take the sliced insert path (16 chunks). */
const SLICED_INSERT_POINTS = 16 * 1024;

/** A time window: `lo <= t < hi`, or `lo <= t <= hi` when `inclusive`. */
interface Window {
  lo: number;
  hi: number;
  inclusive: boolean;
}

function lowerBound(t: Float64Array, n: number, v: number): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m]! < v) a = m + 1;
    else b = m;
  }
  return a;
}

function upperBound(t: Float64Array, n: number, v: number): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (t[m]! <= v) a = m + 1;
    else b = m;
  }
  return a;
}

/** Index range [from, to) of a chunk's points that fall inside the window. */
function windowSlice(c: ChunkColumns, w: Window): [number, number] {
  const from = lowerBound(c.t, c.n, w.lo);
  const to = w.inclusive ? upperBound(c.t, c.n, w.hi) : lowerBound(c.t, c.n, w.hi);
  return [from, Math.max(from, to)];
}

function pointsOf(c: ChunkColumns, from = 0, to = c.n): Point[] {
  const out: Point[] = new Array(to - from);
  const { t, dt, d } = c;
  for (let i = from; i < to; i++) out[i - from] = { t: t[i]!, dt: dt ? dt[i]! : 0, d: d[i] };
  return out;
}

type Slice = [ChunkColumns, number, number];

export class ChunkEngine implements TimeseriesStore {
  private readonly chunkSize: number;

  constructor(
    private readonly backend: ChunkBackend,
    options: { chunkSize?: number } = {},
  ) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  // ---- steps ----------------------------------------------------------------------------------

  private *decode(sid: SeriesKey, id: number): Steps<ChunkColumns> {
    return decodeChunk(yield* call("chunkData", sid, id));
  }

  /** Points (time-ordered, valid) as chunks of at most chunkSize, written in one call. */
  private *writeColumns(sid: SeriesKey, cols: PointColumns): Steps<void> {
    const size = this.chunkSize;
    const chunks: NewChunk[] = [];
    for (let start = 0; start < cols.n; start += size) {
      chunks.push(newChunk(sliceColumns(cols, start, Math.min(cols.n, start + size))));
    }
    if (chunks.length > 0) yield* call("insertChunks", sid, chunks);
  }

  private *writeChunks(sid: SeriesKey, points: readonly Point[]): Steps<void> {
    yield* this.writeColumns(sid, pointColumns(points));
  }

  /** Timestamp of the point at index k (0 <= k < n), walking chunk counts from the nearer end. */
  private *timeAt(sid: SeriesKey, n: number, k: number): Steps<number> {
    const fromEnd = k >= n / 2;
    let offset = fromEnd ? n : 0;
    for (const row of yield* call("counts", sid, fromEnd)) {
      if (fromEnd) {
        offset -= row.n;
        if (k >= offset) return decodeChunkTimes(yield* call("chunkData", sid, row.id))[k - offset]!;
      } else {
        if (k < offset + row.n) return decodeChunkTimes(yield* call("chunkData", sid, row.id))[k - offset]!;
        offset += row.n;
      }
    }
    throw new Error(`timeseries count out of sync for series ${sid}`);
  }

  /** The time window a selection denotes (indices converted to times), or null if empty. */
  private *window(sid: SeriesKey, n: number, sel: TimeseriesSelection): Steps<Window | null> {
    let lo = sel.t1 ?? Number.NEGATIVE_INFINITY;
    let hi = sel.t2 ?? Number.POSITIVE_INFINITY;
    let inclusive = false;
    if (sel.t !== undefined) {
      lo = sel.t;
      hi = sel.t;
      inclusive = true;
    }
    if (hasIndex(sel)) {
      const r = resolveIndexRange(n, sel);
      if (!r) return null;
      if (r.start > 0) lo = Math.max(lo, yield* this.timeAt(sid, n, r.start));
      if (r.end < n) {
        const tEnd = yield* this.timeAt(sid, n, r.end);
        if (!inclusive || tEnd <= hi) {
          hi = Math.min(hi, tEnd);
          inclusive = false;
        }
      }
    }
    if (!(lo <= hi) || (!inclusive && lo === hi)) return null;
    return { lo, hi, inclusive };
  }

  /** t0 from which chunks can hold points at or after lo. */
  private *startT0(sid: SeriesKey, lo: number): Steps<number> {
    return (yield* call("startT0", sid, lo)) ?? Number.NEGATIVE_INFINITY;
  }

  private *openRead(objectId: string, sel: TimeseriesSelection): Steps<{ sid: SeriesKey; w: Window } | null> {
    const s = yield* call("series", objectId, false);
    if (!s || s.n === 0) return null;
    const w = yield* this.window(s.sid, s.n, sel);
    return w && { sid: s.sid, w };
  }

  // ---- interface ------------------------------------------------------------------------------

  async length(objectId: string): Promise<number> {
    return (await this.backend.read(call("series", objectId, false)))?.n ?? 0;
  }

  async *read(objectId: string, sel: TimeseriesSelection): AsyncGenerator<PointBatch> {
    const open = await this.backend.read(this.openRead(objectId, sel));
    if (!open) return;
    const { sid, w } = open;
    // One set of decode arrays per read: each batch is a view that the consumer uses up before
    // asking for the next, so a read of any length allocates a chunk's worth of arrays.
    const scratch = createDecodeScratch(this.chunkSize);
    // Pages are found from the last point sent, not from chunk ids, so writes landing between
    // pages (which may re-cut chunks) can neither repeat nor reorder points: the output stays
    // strictly increasing in t.
    let after = Number.NEGATIVE_INFINITY;
    let cursor = w.lo;
    for (;;) {
      const rows = await this.backend.read(call("page", sid, cursor, w.hi, READ_PAGE));
      let sent = false;
      for (const row of rows) {
        if (row.t1 < w.lo || row.t1 <= after) continue;
        const c = decodeChunk(row.data, scratch);
        let [from, to] = windowSlice(c, w);
        if (after > Number.NEGATIVE_INFINITY) from = Math.max(from, upperBound(c.t, c.n, after));
        if (to <= from) continue;
        after = c.t[to - 1]!;
        sent = true;
        yield sliceBatch(c, from, to);
      }
      if (rows.length < READ_PAGE || !sent) return;
      cursor = after;
    }
  }

  async insert(
    objectId: string,
    points: readonly Point[] | PointColumns,
    method: InsertMethod,
    prepared?: PreparedInsert | null,
    touch?: Date,
  ): Promise<InsertResult> {
    const cols = Array.isArray(points) ? pointColumns(points) : (points as PointColumns);
    if (cols.n === 0) return { written: 0 };
    const plan = prepared === undefined ? await this.prepareInsert(objectId, cols, method) : prepared;
    const steps =
      plan instanceof EncodedAppend &&
      plan.objectId === objectId &&
      plan.points === cols &&
      plan.method === method &&
      plan.chunkSize === this.chunkSize
        ? this.slicedSteps(plan)
        : this.insertSteps(objectId, cols, method);
    return this.backend.write(touch ? this.touching(objectId, touch, steps) : steps);
  }

  /**
   * An insert that also marks its object modified, as the last call of the same write: on
   * PostgreSQL it joins the chunk writes' one statement instead of costing a round trip.
   */
  private *touching(objectId: string, at: Date, steps: Steps<InsertResult>): Steps<InsertResult> {
    const result = yield* steps;
    yield* call("touchObject", objectId, todayUTC(at), at.getTime() / 1000);
    return result;
  }

  /**
   * A big batch that lands after the series' last point (the ingest case) is encoded in slices,
   * yielding the loop between them, before one short write stores the ready chunks: the series
   * is never half-written, the loop is never held for the whole encode, and (PostgreSQL) the
   * series' row lock is held only for the INSERTs (decision 12). The insert services call this
   * before opening their transaction, so the encode holds neither the SQLite gate nor a
   * PostgreSQL connection. The write first checks that the last chunk is still the one the
   * chunks were built on; if a write came in between it takes the ordinary steps, as does a
   * batch reaching into stored data (undefined here).
   */
  async prepareInsert(
    objectId: string,
    cols: PointColumns,
    method: InsertMethod,
  ): Promise<PreparedInsert | undefined> {
    if (cols.n < SLICED_INSERT_POINTS) return undefined;
    const seen = await this.backend.read(this.tailSteps(objectId));
    const last = seen.last;
    const lo = cols.t[0]!;
    if (last && !(lo > last.t1 && lo >= last.tend)) return undefined;
    const slicer = new LoopSlicer();
    const size = this.chunkSize;
    // The last chunk, when it has room, is filled first, as the ordinary path's merge does.
    const refill = last && last.n < size ? last.data : undefined;
    const chunks: NewChunk[] = [];
    let from = 0;
    if (refill) {
      from = Math.min(cols.n, size - last!.n);
      chunks.push(newChunk(concatColumns(chunkToColumns(decodeChunk(refill)), sliceColumns(cols, 0, from))));
    }
    for (let start = from; start < cols.n; start += size) {
      chunks.push(newChunk(sliceColumns(cols, start, Math.min(cols.n, start + size))));
      await slicer.maybeYield();
    }
    const sid = seen.sid;
    const lastMeta = last && { id: last.id, t0: last.t0, t1: last.t1, tend: last.tend, n: last.n };
    return new EncodedAppend(objectId, cols, method, size, sid, lastMeta, refill, chunks);
  }

  /**
   * The series and its last chunk with its blob. The blob comes from the same statement as the
   * chunk (`page` from +Infinity), so a read between writers cannot pair one chunk's summary with
   * another's data.
   */
  private *tailSteps(objectId: string): Steps<{ sid: SeriesKey | undefined; last: ChunkRow | undefined }> {
    const s = yield* call("series", objectId, false);
    if (!s) return { sid: undefined, last: undefined };
    const rows = yield* call("page", s.sid, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1);
    return { sid: s.sid, last: rows[0] };
  }

  private *slicedSteps(plan: EncodedAppend): Steps<InsertResult> {
    const { objectId, points: cols, method, refill } = plan;
    let s = yield* call("series", objectId, true);
    if (!s) {
      yield* call("createSeries", objectId);
      s = (yield* call("series", objectId, true))!;
    }
    const { sid } = s;
    const now = yield* this.tail(sid);
    let unchanged = (plan.sid === undefined || plan.sid === sid) && sameChunk(now, plan.last);
    // Row ids can be reused (SQLite hands a deleted last rowid out again): the refilled chunk's
    // content is compared too.
    if (unchanged && refill) unchanged = sameBytes(now!.data, refill);
    if (!unchanged) return yield* this.insertSteps(objectId, cols, method);
    if (refill) yield* call("deleteChunks", sid, [now!.id]);
    yield* call("insertChunks", sid, plan.chunks);
    yield* call("addCount", sid, cols.n);
    return { written: cols.n };
  }

  /**
   * The last chunk with its blob, in one statement: an append needs both (to merge into a
   * part-full last chunk), and on PostgreSQL a second statement is a second round trip.
   */
  private *tail(sid: SeriesKey): Steps<ChunkRow | undefined> {
    return (yield* call("page", sid, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1))[0];
  }

  private *insertSteps(objectId: string, input: PointColumns, method: InsertMethod): Steps<InsertResult> {
    let s = yield* call("series", objectId, true);
    if (!s) {
      yield* call("createSeries", objectId);
      s = (yield* call("series", objectId, true))!;
    }
    const { sid } = s;
    const last = yield* this.tail(sid);
    let cols = input;
    if (method !== "update" && last) {
      // The identical-final-point no-op of contract 8.7 (12.12): only a new point at the stored
      // last timestamp can qualify, and batches are strictly increasing, so there is at most one.
      const j = lowerBound(cols.t, cols.n, last.t1);
      if (j < cols.n && cols.t[j] === last.t1) {
        const c = decodeChunk(last.data);
        const lastPoint = pointsOf(c, c.n - 1, c.n)[0];
        if (isIdenticalFinalPoint({ t: cols.t[j]!, dt: cols.dt[j]!, d: cols.d[j] }, lastPoint)) {
          cols = withoutIndex(cols, j);
          if (cols.n === 0) return { written: 0 };
        }
      }
    }
    const n = cols.n;
    const lo = cols.t[0]!;
    if (method === "append" && last && !(lo > last.t1 && lo >= last.tend)) {
      throw new DatapointError(ERR_CONFLICT);
    }
    // A batch wholly after the stored points (the ingest case) can touch only the last chunk,
    // merged in when it has room: what the general path below does for it, without that path's
    // summary lookups (on PostgreSQL, four round trips fewer per insert).
    if (!last || (lo > last.t1 && lo >= last.tend)) {
      let merged = cols;
      if (last && last.n < this.chunkSize) {
        merged = concatColumns(chunkToColumns(decodeChunk(last.data)), cols);
        yield* call("deleteChunks", sid, [last.id]);
      }
      yield* this.writeColumns(sid, merged);
      yield* call("addCount", sid, n);
      return { written: n };
    }
    // Only the summaries of chunks near new points are read; data only for the chunks a new point
    // overlaps or lands inside, so a sparse update over a long series stays cheap.
    const metas = method === "append" ? [] : yield* this.reachableMetas(sid, cols);
    let removed = 0;
    for (const seg of planSegments(metas, cols)) removed += yield* this.writeSegment(sid, cols, seg, method);
    yield* call("addCount", sid, n - removed);
    return { written: n };
  }

  /**
   * Summaries of the chunks a batch can touch, in time order, each run of them followed by the
   * first chunk after it (untouched, it separates segments for planSegments). Fetched per run of
   * new points rather than across the batch's whole span, so two points at the ends of a 10M-point
   * series read a few summaries, not ten thousand.
   */
  private *reachableMetas(sid: SeriesKey, cols: PointColumns): Steps<ChunkMeta[]> {
    const { t, dt, n } = cols;
    const out: ChunkMeta[] = [];
    let lastT0 = Number.NEGATIVE_INFINITY;
    let j = 0;
    while (j < n) {
      const rows = yield* call("metaRange", sid, yield* this.startT0(sid, t[j]!), t[j]! + dt[j]!);
      const next = yield* call("nextChunk", sid, rows.at(-1)?.t0 ?? t[j]! + dt[j]!);
      for (const r of next ? [...rows, next] : rows) {
        if (r.t0 > lastT0) {
          out.push(r);
          lastT0 = r.t0;
        }
      }
      if (!next) break;
      // Points that neither start at nor reach the separator touch only chunks already fetched.
      while (j < n && t[j]! < next.t0 && t[j]! + dt[j]! <= next.t0) j++;
      // A point reaching past the separator's start is fetched for again, from its own chunk.
    }
    return out;
  }

  /**
   * Writes new points [seg.from, seg.to) together with the stored chunks they touch; returns how
   * many stored points they replaced.
   */
  private *writeSegment(
    sid: SeriesKey,
    cols: PointColumns,
    seg: Segment,
    method: InsertMethod,
  ): Steps<number> {
    // A chunk just before the segment that still has room is merged in, so one-point appends do
    // not leave a trail of tiny chunks. Being untouched, it ends at or before the segment starts.
    const start = Math.min(seg.chunks[0]?.t0 ?? Number.POSITIVE_INFINITY, cols.t[seg.from]!);
    const before = yield* call("prevChunk", sid, start);
    const mergeBefore = before !== undefined && before.n < this.chunkSize;

    if (seg.chunks.length === 0) {
      // Nothing stored overlaps: write columns without per-point objects (the ingest path).
      let merged = sliceColumns(cols, seg.from, seg.to);
      if (mergeBefore) {
        merged = concatColumns(chunkToColumns(yield* this.decode(sid, before.id)), merged);
        yield* call("deleteChunks", sid, [before.id]);
      }
      yield* this.writeColumns(sid, merged);
      return 0;
    }

    let stored: Point[] = [];
    let covered = 0;
    const gone: number[] = [];
    for (const row of seg.chunks) {
      // A chunk lying wholly inside one new point's duration overlaps it everywhere: update drops
      // it without decoding (a long new interval over a big series stays cheap), insert refuses.
      const j = upperBound(cols.t, cols.n, row.t0) - 1;
      if (j >= 0 && cols.t[j]! < row.t0 && row.t1 < cols.t[j]! + cols.dt[j]!) {
        if (method === "insert") throw new DatapointError(ERR_CONFLICT);
        covered += row.n;
        gone.push(row.id);
        continue;
      }
      for (const q of pointsOf(yield* this.decode(sid, row.id))) stored.push(q);
      gone.push(row.id);
    }
    const fresh = columnPoints(cols, seg.from, seg.to);
    const kept = sweepOverlaps(stored, fresh, method === "insert");
    const removed = covered + stored.length - kept.length;
    stored = kept;
    if (mergeBefore) {
      stored = pointsOf(yield* this.decode(sid, before.id)).concat(stored);
      gone.push(before.id);
    }
    yield* call("deleteChunks", sid, gone);
    yield* this.writeChunks(sid, mergeSorted(stored, fresh));
    return removed;
  }

  async remove(objectId: string, sel: TimeseriesSelection): Promise<number> {
    return this.backend.write(this.removeSteps(objectId, sel));
  }

  private *removeSteps(objectId: string, sel: TimeseriesSelection): Steps<number> {
    const s = yield* call("series", objectId, true);
    if (!s || s.n === 0) return 0;
    const w = yield* this.window(s.sid, s.n, sel);
    if (!w) return 0;
    let removed = 0;
    for (const row of yield* call("metaRange", s.sid, yield* this.startT0(s.sid, w.lo), w.hi)) {
      if (row.t1 < w.lo || (!w.inclusive && row.t0 >= w.hi)) continue;
      const inside = row.t0 >= w.lo && (w.inclusive ? row.t1 <= w.hi : row.t1 < w.hi);
      if (inside) {
        yield* call("deleteChunks", s.sid, [row.id]);
        removed += row.n;
        continue;
      }
      const c = yield* this.decode(s.sid, row.id);
      const [from, to] = windowSlice(c, w);
      if (to === from) continue;
      const keep = pointsOf(c, 0, from).concat(pointsOf(c, to, c.n));
      yield* call("deleteChunks", s.sid, [row.id]);
      yield* this.writeChunks(s.sid, keep);
      removed += to - from;
    }
    if (removed > 0) yield* call("addCount", s.sid, -removed);
    return removed;
  }

  /** Counts from chunk summaries: only the (at most two) chunks cut by the window are decoded. */
  async count(objectId: string, sel: TimeseriesSelection): Promise<SelectionCount> {
    return this.backend.read(this.countSteps(objectId, sel));
  }

  private *countSteps(objectId: string, sel: TimeseriesSelection): Steps<SelectionCount> {
    const none: SelectionCount = { n: 0, first: 0, end: 0 };
    const open = yield* this.openRead(objectId, sel);
    if (!open) return none;
    const { sid, w } = open;
    let n = 0;
    let first = Number.NaN;
    let end = 0;
    for (const row of yield* call("metaRange", sid, yield* this.startT0(sid, w.lo), w.hi)) {
      if (row.t1 < w.lo || (!w.inclusive && row.t0 >= w.hi)) continue;
      const inside = row.t0 >= w.lo && (w.inclusive ? row.t1 <= w.hi : row.t1 < w.hi);
      if (inside) {
        n += row.n;
        if (Number.isNaN(first)) first = row.t0;
        end = row.tend;
        continue;
      }
      const c = yield* this.decode(sid, row.id);
      const [from, to] = windowSlice(c, w);
      if (to === from) continue;
      n += to - from;
      if (Number.isNaN(first)) first = c.t[from]!;
      end = c.t[to - 1]! + (c.dt ? c.dt[to - 1]! : 0);
    }
    return n === 0 ? none : { n, first, end };
  }

  async replace(
    objectId: string,
    sel: TimeseriesSelection,
    points: readonly Point[] | PointColumns,
    method: InsertMethod,
  ): Promise<{ removed: number; written: number }> {
    const cols = Array.isArray(points) ? pointColumns(points) : (points as PointColumns);
    // One write: a refused insert throws inside it and rolls the remove back, so an edited point
    // is never lost halfway. removeSteps locks the series row first, insertSteps then holds it.
    return this.backend.write(this.replaceSteps(objectId, sel, cols, method));
  }

  private *replaceSteps(
    objectId: string,
    sel: TimeseriesSelection,
    cols: PointColumns,
    method: InsertMethod,
  ): Steps<{ removed: number; written: number }> {
    const removed = yield* this.removeSteps(objectId, sel);
    const { written } = cols.n === 0 ? { written: 0 } : yield* this.insertSteps(objectId, cols, method);
    return { removed, written };
  }

  async plot(
    objectId: string,
    sel: TimeseriesSelection,
    columns: number,
    options: { counts?: boolean } = {},
  ): Promise<PlotResult> {
    return this.backend.read(this.plotSteps(objectId, sel, columns, options.counts ?? false));
  }

  async aggregate(
    objectId: string,
    sel: TimeseriesSelection,
    window: number,
    origin: number | undefined,
  ): Promise<AggregateResult> {
    return this.backend.read(this.aggregateSteps(objectId, sel, window, origin));
  }

  /**
   * The windowed aggregate (`timeseries.aggregate`): a chunk inside the selection and inside one
   * window adds its stored sums without decoding; others are decoded and added run by run.
   */
  private *aggregateSteps(
    objectId: string,
    sel: TimeseriesSelection,
    window: number,
    origin: number | undefined,
  ): Steps<AggregateResult> {
    const empty: AggregateResult = { count: 0, window, origin: origin ?? sel.t1 ?? 0, data: [] };
    const s = yield* call("series", objectId, false);
    if (!s || s.n === 0) return empty;
    const sid = s.sid;
    const w = yield* this.window(sid, s.n, sel);
    if (!w) return empty;
    const rows = yield* call("aggRange", sid, yield* this.startT0(sid, w.lo), w.hi);
    // As in plotSteps: only the first row can end before the window, only the last start at its end.
    if (rows.length > 0 && rows[0]![2] < w.lo) rows.shift();
    const tail = rows[rows.length - 1];
    if (tail && (w.inclusive ? tail[1] > w.hi : tail[1] >= w.hi)) rows.pop();
    if (rows.length === 0) return empty;
    const inside = (r: AggRow) => r[1] >= w.lo && (w.inclusive ? r[2] <= w.hi : r[2] < w.hi);
    const scratch = createDecodeScratch(this.chunkSize);
    const slice = function* (r: AggRow, blob?: Uint8Array): Steps<Slice> {
      const c = decodeChunk(blob ?? (yield* call("chunkData", sid, r[0])), scratch);
      return [c, ...(inside(r) ? [0, c.n] : windowSlice(c, w))] as Slice;
    };
    let start = origin;
    if (start === undefined) {
      const first = rows[0]!;
      start = inside(first) ? first[1] : firstT(yield* slice(first));
      if (Number.isNaN(start)) start = w.lo;
    }
    const acc = new WindowAccumulator(start, window);
    const summed = (r: AggRow) => r[7] !== null && inside(r) && acc.index(r[1]) === acc.index(r[2]);
    const pages = new BlobPages(sid, rows, (r) => !summed(r));
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (summed(r)) {
        acc.addStats({
          n: r[4],
          sum: r[7],
          min: r[8],
          max: r[9],
          numeric: r[4],
          first: r[5],
          last: r[6],
          firstT: r[1],
          lastT: r[2],
          duration: r[10] ?? 0,
        });
        continue;
      }
      const [c, from, to] = yield* slice(r, yield* pages.blob(i));
      addSliceByWindow(acc, c, from, to);
    }
    return acc.result();
  }

  private *plotSteps(
    objectId: string,
    sel: TimeseriesSelection,
    columns: number,
    counts: boolean,
  ): Steps<PlotResult> {
    const empty: PlotResult = { count: 0, columns, raw: true, data: [] };
    const s = yield* call("series", objectId, false);
    if (!s || s.n === 0) return empty;
    const sid = s.sid;
    const w = yield* this.window(sid, s.n, sel);
    if (!w) return empty;
    const rows = yield* call("plotRange", sid, yield* this.startT0(sid, w.lo), w.hi);
    // Only the first row can end before the window and only the last can start at its open end
    // (an index selection ending on a chunk start): neither holds a selected point.
    if (rows.length > 0 && rows[0]![2] < w.lo) rows.shift();
    const tail = rows[rows.length - 1];
    if (tail && (w.inclusive ? tail[1] > w.hi : tail[1] >= w.hi)) rows.pop();
    if (rows.length === 0) return empty;
    const inside = (r: PlotRow) => r[1] >= w.lo && (w.inclusive ? r[2] <= w.hi : r[2] < w.hi);
    // The first and last chunks may be partly outside the window: decoded once, kept. Chunks in
    // between decode into one scratch set, used up before the next decode.
    const scratch = createDecodeScratch(this.chunkSize);
    const firstRow = rows[0]!;
    const lastRow = rows[rows.length - 1]!;
    const kept = new Map<PlotRow, Slice>();
    const slice = function* (r: PlotRow, blob?: Uint8Array): Steps<Slice> {
      const hit = kept.get(r);
      if (hit) return hit;
      const edge = r === firstRow || r === lastRow;
      const c = decodeChunk(blob ?? (yield* call("chunkData", sid, r[0])), edge ? undefined : scratch);
      const out = [c, ...(inside(r) ? [0, c.n] : windowSlice(c, w))] as Slice;
      if (edge) kept.set(r, out);
      return out;
    };
    // Column mapping spans the asked range when given, else the data's extent.
    const extentStart = inside(firstRow) ? firstRow[1] : firstT(yield* slice(firstRow));
    const extentEnd = inside(lastRow) ? lastRow[2] : lastT(yield* slice(lastRow));
    const c1 = Number.isFinite(sel.t1 ?? Number.NaN) && sel.t === undefined ? sel.t1! : extentStart;
    const c2 = Number.isFinite(sel.t2 ?? Number.NaN) && sel.t === undefined ? sel.t2! : extentEnd;
    // Numeric means every selected value is a number: an edge chunk may hold other values
    // outside the window.
    let numeric = true;
    for (const r of rows) {
      if (r[5] !== null) continue;
      if ((r === firstRow || r === lastRow) && !inside(r) && allNumbers(yield* slice(r))) continue;
      numeric = false;
      break;
    }
    if (!numeric) {
      // No minimum or maximum to keep: sample where the value changes, per column (decision 6).
      const sampler = new ChangeSampler(c1, c2, columns);
      const pages = new BlobPages(sid, rows, (r) => !kept.has(r));
      for (let i = 0; i < rows.length; i++) {
        const [c, from, to] = yield* slice(rows[i]!, yield* pages.blob(i));
        addChanges(sampler, c, from, to);
      }
      const data = sampler.result().map(toWire);
      const raw = data.length === sampler.count;
      return raw
        ? { count: sampler.count, columns: sampler.columns, raw, data }
        : { count: sampler.count, columns: sampler.columns, raw, data, sampled: "changes" };
    }
    const acc = new M4Accumulator(c1, c2, columns);
    const summarised = (r: PlotRow) =>
      r[4] > 4 && r[7] !== null && inside(r) && acc.column(r[1]) === acc.column(r[2]);
    const pages = new BlobPages(sid, rows, (r) => !summarised(r) && !kept.has(r));
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (summarised(r)) {
        acc.addRun(
          r[4],
          { t: r[1], dt: 0, d: r[5] },
          { t: r[2], dt: 0, d: r[6] },
          { t: r[7]!, dt: 0, d: r[8] },
          { t: r[9]!, dt: 0, d: r[10] },
        );
        continue;
      }
      const [c, from, to] = yield* slice(r, yield* pages.blob(i));
      addColumns(acc, c, from, to);
    }
    const data = acc.result().map(toWire);
    const raw = data.length === acc.count;
    if (!counts || raw) return { count: acc.count, columns: acc.columns, raw, data };
    return { count: acc.count, columns: acc.columns, raw, data, ...acc.columnCounts() };
  }

  async dropObject(objectId: string): Promise<void> {
    await this.backend.write(call("dropObject", objectId));
  }
}

/**
 * The blobs of the rows a summary walk must decode, fetched DATA_PAGE at a time just before the
 * first of them is used: one statement per page instead of one per chunk.
 */
class BlobPages<R extends PlotRow | AggRow> {
  private blobs = new Map<number, Uint8Array>();
  private until = 0;

  constructor(
    private readonly sid: SeriesKey,
    private readonly rows: readonly R[],
    private readonly needs: (r: R) => boolean,
  ) {}

  /** The blob of rows[i] when it needs one, else undefined (the caller fetches it if it must). */
  *blob(i: number): Steps<Uint8Array | undefined> {
    const r = this.rows[i]!;
    if (!this.needs(r)) return undefined;
    if (i >= this.until) {
      const ids: number[] = [];
      let j = i;
      for (; j < this.rows.length && ids.length < DATA_PAGE; j++) {
        if (this.needs(this.rows[j]!)) ids.push(this.rows[j]![0]);
      }
      const data = yield* call("chunksData", this.sid, ids);
      this.blobs = new Map(ids.map((id, k) => [id, data[k]!]));
      this.until = j;
    }
    return this.blobs.get(r[0]);
  }
}

/**
 * A batch after the series' last point, encoded into ready chunks (the last chunk refilled when
 * it had room), with what it was built on, for slicedSteps to check.
 */
class EncodedAppend implements PreparedInsert {
  constructor(
    readonly objectId: string,
    readonly points: PointColumns,
    readonly method: InsertMethod,
    readonly chunkSize: number,
    readonly sid: SeriesKey | undefined,
    readonly last: ChunkMeta | undefined,
    readonly refill: Uint8Array | undefined,
    readonly chunks: readonly NewChunk[],
  ) {}
}

/** One chunk's points (time-ordered, at most chunkSize), encoded with its summary. */
function newChunk(cols: PointColumns): NewChunk {
  const piece = numericIfPossible(cols);
  const stats = chunkStats(piece);
  const numeric = piece.d instanceof Float64Array;
  const d = piece.d as Float64Array;
  return {
    stats,
    firstD: numeric ? d[0]! : null,
    lastD: numeric ? d[stats.n - 1]! : null,
    sums: numeric ? numericSums(d, piece.dt, stats.n) : null,
    data: encodeChunk(piece),
  };
}

/** Sum, minimum, maximum and total duration of a numeric chunk. */
function numericSums(d: Float64Array, dt: Float64Array, n: number): ChunkSums {
  let sum = 0;
  let min = d[0]!;
  let max = min;
  let dts = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    sum += v;
    if (v < min) min = v;
    else if (v > max) max = v;
    dts += dt[i]!;
  }
  return { sum, min, max, dt: dts };
}

/**
 * Adds decoded points window by window: runs of points in one window are summed locally and
 * handed over once, so a chunk cut by window edges costs a loop, not a map lookup per point.
 */
function addSliceByWindow(acc: WindowAccumulator, c: ChunkColumns, from: number, to: number): void {
  const { t, dt, d } = c;
  const numericD = d instanceof Float64Array ? d : null;
  let i = from;
  while (i < to) {
    const k = acc.index(t[i]!);
    const run = emptyStats();
    run.first = d[i];
    run.firstT = t[i]!;
    let j = i;
    if (numericD) {
      let sum = 0;
      let min = numericD[i]!;
      let max = min;
      let dts = 0;
      for (; j < to && acc.index(t[j]!) === k; j++) {
        const v = numericD[j]!;
        sum += v;
        if (v < min) min = v;
        else if (v > max) max = v;
        if (dt) dts += dt[j]!;
      }
      run.n = j - i;
      run.numeric = run.n;
      run.sum = sum;
      run.min = min;
      run.max = max;
      run.duration = dts;
      run.last = numericD[j - 1];
      run.lastT = t[j - 1]!;
    } else {
      for (; j < to && acc.index(t[j]!) === k; j++) addPoint(run, t[j]!, dt ? dt[j]! : 0, d[j]);
    }
    acc.addStats(run);
    i = j;
  }
}

function sameChunk(a: ChunkMeta | undefined, b: ChunkMeta | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.id === b.id && a.t0 === b.t0 && a.t1 === b.t1 && a.tend === b.tend && a.n === b.n;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function firstT([c, from, to]: Slice): number {
  return to > from ? c.t[from]! : Number.NaN;
}

function lastT([c, from, to]: Slice): number {
  return to > from ? c.t[to - 1]! : Number.NaN;
}

function sliceColumns(c: PointColumns, from: number, to: number): PointColumns {
  if (from === 0 && to === c.n) return c;
  return {
    n: to - from,
    t: c.t.subarray(from, to),
    dt: c.dt.subarray(from, to),
    d: c.d instanceof Float64Array ? c.d.subarray(from, to) : c.d.slice(from, to),
  };
}

function chunkToColumns(c: ChunkColumns): PointColumns {
  return { n: c.n, t: c.t, dt: c.dt ?? new Float64Array(c.n), d: c.d };
}

function concatColumns(a: PointColumns, b: PointColumns): PointColumns {
  const n = a.n + b.n;
  const t = new Float64Array(n);
  t.set(a.t);
  t.set(b.t, a.n);
  const dt = new Float64Array(n);
  dt.set(a.dt);
  dt.set(b.dt, a.n);
  let d: Float64Array | unknown[];
  if (a.d instanceof Float64Array && b.d instanceof Float64Array) {
    d = new Float64Array(n);
    d.set(a.d);
    d.set(b.d, a.n);
  } else {
    d = [...a.d, ...b.d];
  }
  return { n, t, dt, d };
}

function withoutIndex(c: PointColumns, j: number): PointColumns {
  const head = sliceColumns(c, 0, j);
  const tail = sliceColumns(c, j + 1, c.n);
  return concatColumns(head, tail);
}

function toWire(p: Point): Datapoint {
  return p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d };
}

function sliceBatch(c: ChunkColumns, from: number, to: number): PointBatch {
  if (from === 0 && to === c.n) return c;
  const dec = (x: ChunkColumns["tDecimal"]) => (x ? { p: x.p, k: x.k.subarray(from, to) } : null);
  return {
    n: to - from,
    t: c.t.subarray(from, to),
    dt: c.dt ? c.dt.subarray(from, to) : null,
    d: c.d instanceof Float64Array ? c.d.subarray(from, to) : c.d.slice(from, to),
    tDecimal: dec(c.tDecimal),
    dDecimal: dec(c.dDecimal),
  };
}

/**
 * End of the run of points from i (i < to) that share pixel column `col`; columns are monotonic
 * in t, so this bisects rather than testing every point.
 */
function columnEnd(
  column: (t: number) => number,
  t: Float64Array,
  i: number,
  to: number,
  col: number,
): number {
  if (column(t[to - 1]!) === col) return to;
  let a = i + 1;
  let b = to - 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (column(t[m]!) === col) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * Feeds points [from, to) of a numeric chunk to the accumulator: runs that stay in one pixel
 * column go in as one summary, so only the four kept points become objects.
 */
function addColumns(acc: M4Accumulator, c: ChunkColumns, from: number, to: number): void {
  const { t, dt } = c;
  // Numbers, though an edge chunk holding other values outside the window keeps them in an array.
  const d = c.d as ArrayLike<number>;
  const point = (i: number): Point => ({ t: t[i]!, dt: dt ? dt[i]! : 0, d: d[i]! });
  const column = (x: number) => acc.column(x);
  let i = from;
  while (i < to) {
    const j = columnEnd(column, t, i, to, acc.column(t[i]!));
    if (j - i > 4) {
      let minI = i;
      let maxI = i;
      let min = d[i]!;
      let max = min;
      for (let k = i + 1; k < j; k++) {
        const v = d[k]!;
        if (v < min) {
          min = v;
          minI = k;
        } else if (v > max) {
          max = v;
          maxI = k;
        }
      }
      acc.addRun(j - i, point(i), point(j - 1), point(minI), point(maxI));
    } else {
      for (let k = i; k < j; k++) acc.add(point(k));
    }
    i = j;
  }
}

/**
 * Feeds points [from, to) of a chunk to the change sampler. Once a column has spent its change
 * budget the rest of that column is skipped to its last point, so long constant or busy stretches
 * cost a bisection, not a comparison per point.
 */
function addChanges(sampler: ChangeSampler, c: ChunkColumns, from: number, to: number): void {
  const { t, dt, d } = c;
  const column = (x: number) => sampler.column(x);
  let i = from;
  while (i < to) {
    const col = sampler.spentColumn;
    if (col >= 0 && sampler.column(t[i]!) === col) {
      const j = columnEnd(column, t, i, to, col);
      sampler.skip(j - i, t[j - 1]!, dt ? dt[j - 1]! : 0, d[j - 1]);
      i = j;
      continue;
    }
    sampler.add(t[i]!, dt ? dt[i]! : 0, d[i]);
    i++;
  }
}

function allNumbers([c, from, to]: Slice): boolean {
  if (c.d instanceof Float64Array) return true;
  for (let i = from; i < to; i++) if (typeof c.d[i] !== "number") return false;
  return true;
}

/**
 * Columns whose values are all numbers get a Float64Array `d`, so the chunk is stored in numeric
 * form with its M4 summary even when it was cut from a batch that also held other values.
 */
function numericIfPossible(c: PointColumns): PointColumns {
  if (c.d instanceof Float64Array) return c;
  for (let i = 0; i < c.n; i++) if (typeof c.d[i] !== "number") return c;
  return { ...c, d: Float64Array.from(c.d as number[]) };
}

/** New points [from, to) of a batch and the stored chunks they touch (in time order). */
interface Segment {
  chunks: ChunkMeta[];
  from: number;
  to: number;
}

/**
 * Cuts a write into segments (chunk summaries in time order, new points sorted and valid). A chunk
 * is touched when a new point could overlap one of its points or lands inside its time span;
 * only those are decoded and rewritten. Untouched chunks separate segments: no new point reaches
 * across them, so each segment's overlaps and ordering are settled on its own.
 */
function planSegments(metas: readonly ChunkMeta[], cols: PointColumns): Segment[] {
  const { t, dt, n } = cols;
  const out: Segment[] = [];
  let chunks: ChunkMeta[] = [];
  // j: the first new point that reaches the chunk's start (starts at or after it, or its
  // interval runs past it). New points do not overlap each other, so j only moves forward.
  let j = 0;
  let from = 0;
  for (const c of metas) {
    while (j < n && t[j]! < c.t0 && t[j]! + dt[j]! <= c.t0) j++;
    // Later new points start later: if the first one that reaches the chunk lies past its end
    // (past its last point and its last point's interval), none touches it.
    if (j < n && (t[j]! <= c.t1 || t[j]! < c.tend)) {
      chunks.push(c);
      continue;
    }
    const to = lowerBound(t, n, c.t0);
    if (to > from || chunks.length > 0) {
      out.push({ chunks, from, to });
      chunks = [];
      from = to;
    }
  }
  if (from < n || chunks.length > 0) out.push({ chunks, from, to: n });
  return out;
}

/**
 * Stored points that survive new points (contract 8.7 step 5). Both lists are time-ordered and
 * valid series. With `refuse` (method insert) any overlap is a conflict; otherwise (update) every
 * overlapped stored point is dropped.
 */
function sweepOverlaps(stored: readonly Point[], fresh: readonly Point[], refuse: boolean): Point[] {
  const kept: Point[] = [];
  let j = 0;
  for (const q of stored) {
    // New points that end before q starts cannot touch q or any later stored point.
    while (j < fresh.length && fresh[j]!.t < q.t && fresh[j]!.t + fresh[j]!.dt <= q.t) j++;
    let hit = false;
    for (let k = j; k < fresh.length; k++) {
      const p = fresh[k]!;
      if (p.t > q.t && p.t >= q.t + q.dt) break;
      if (overlaps(p, q)) {
        hit = true;
        break;
      }
    }
    if (hit) {
      if (refuse) throw new DatapointError(ERR_CONFLICT);
    } else {
      kept.push(q);
    }
  }
  return kept;
}

function mergeSorted(a: readonly Point[], b: readonly Point[]): Point[] {
  if (a.length === 0) return b as Point[];
  if (b.length === 0) return a as Point[];
  if (a[a.length - 1]!.t < b[0]!.t) return a.concat(b);
  if (b[b.length - 1]!.t < a[0]!.t) return b.concat(a);
  const out: Point[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.t < b[j]!.t ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
