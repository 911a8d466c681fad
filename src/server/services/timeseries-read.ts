/**
 * What a timeseries read gives (contract 8.3, 8.5, 8.6, decision 6): the selected points as JSON
 * byte pieces, with the transform applied and `limit` counted after it; the length; the M4 plot.
 */
import {
  type AggregateResult,
  checkWindow,
  mergeAll,
  WindowAccumulator,
  type WindowStats,
} from "../../core/aggregate.js";
import { createTransform, type Point, parseTransform, type TransformName } from "../../core/datapoint.js";
import type { PlotResult } from "../../core/resources.js";
import { HttpError } from "../http/errors.js";
import type { ObjectRecord, Store } from "../store/index.js";
import type { PointBatch, TimeseriesSelection } from "../store/timeseries.js";
import { JsonPieceWriter } from "./timeseries-json.js";
import { datapointErrorToHttp } from "./timeseries-write.js";

/** Size of the JSON pieces a read streams out. */
export const READ_PIECE_BYTES = 64 * 1024;
const PLOT_MAX_COLUMNS = 20_000;
const PLOT_DEFAULT_COLUMNS = 1000;

/** The `transform` query value (8.6, decision 5); unknown names are a 400 naming them. */
export function readTransform(text: string | undefined): TransformName | undefined {
  try {
    return parseTransform(text ?? "");
  } catch (e) {
    datapointErrorToHttp(e);
  }
}

function* batchPoints(b: PointBatch): Generator<Point> {
  for (let i = 0; i < b.n; i++) yield { t: b.t[i]!, dt: b.dt ? b.dt[i]! : 0, d: b.d[i] };
}

function limitBatch(b: PointBatch, n: number): PointBatch {
  const dec = (x: PointBatch["tDecimal"]) => (x ? { p: x.p, k: x.k.subarray(0, n) } : null);
  return {
    n,
    t: b.t.subarray(0, n),
    dt: b.dt ? b.dt.subarray(0, n) : null,
    d: b.d instanceof Float64Array ? b.d.subarray(0, n) : b.d.slice(0, n),
    tDecimal: dec(b.tDecimal),
    dDecimal: dec(b.dDecimal),
  };
}

/**
 * The JSON array of a read as byte pieces of about READ_PIECE_BYTES (8.3, 8.6). Lazy: storage is
 * pulled only as pieces are taken, so the caller's backpressure bounds memory. A transform that
 * fails on the data throws `TransformRuntimeError` from the piece where it fails.
 */
export async function* readTimeseriesJson(
  store: Store,
  obj: ObjectRecord,
  selection: TimeseriesSelection,
  opts: { transform: TransformName | undefined; limit: number },
): AsyncGenerator<Buffer> {
  const count = store.timeseries.count;
  if (opts.transform === "count" && count) {
    // Counted from chunk summaries: the same one point the transform gives, without the read.
    const c = await count.call(store.timeseries, obj.id, selection);
    const w = new JsonPieceWriter(READ_PIECE_BYTES);
    w.byte(91);
    w.point({ t: c.first, dt: c.end - c.first, d: c.n }, true);
    w.byte(93);
    w.flush();
    yield* w.take();
    return;
  }
  const batches = store.timeseries.read(obj.id, selection);
  const w = new JsonPieceWriter(READ_PIECE_BYTES);
  w.byte(91);
  let first = true;
  let left = opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
  if (opts.transform === undefined) {
    for await (const b of batches) {
      const take = b.n <= left ? b : limitBatch(b, left);
      w.batch(take, first);
      first = false;
      left -= take.n;
      yield* w.take();
      if (left <= 0) break;
    }
  } else {
    const tr = createTransform(opts.transform);
    const out: Point[] = [];
    const flush = () => {
      for (const p of out) {
        if (left <= 0) break;
        w.point(p, first);
        first = false;
        left--;
      }
      out.length = 0;
    };
    for await (const b of batches) {
      for (const p of batchPoints(b)) tr.step(p, out);
      flush();
      yield* w.take();
      if (left <= 0) break;
    }
    if (left > 0) {
      tr.end(out);
      flush();
    }
  }
  w.byte(93);
  w.flush();
  yield* w.take();
}

/** Number of stored points (8.5). */
export function timeseriesLength(store: Store, obj: ObjectRecord): Promise<number> {
  return store.timeseries.length(obj.id);
}

/** The M4-reduced read for `columns` pixel columns (decision 6); bounded so one request stays cheap. */
export async function plotTimeseries(
  store: Store,
  obj: ObjectRecord,
  selection: TimeseriesSelection,
  columns: number | undefined,
  counts = false,
  summary = false,
): Promise<PlotResult> {
  const n = columns ?? PLOT_DEFAULT_COLUMNS;
  if (n < 1 || n > PLOT_MAX_COLUMNS) {
    throw new HttpError(400, `bad_query: columns must be between 1 and ${PLOT_MAX_COLUMNS}`);
  }
  const plot = await store.timeseries.plot(obj.id, selection, n, { counts });
  if (!summary) return plot;
  // One window wider than any range: the summary of the whole selection.
  const whole = await aggregateTimeseries(store, obj, selection, "1e12", undefined);
  return { ...plot, summary: mergeAll(whole.data.map((p) => p.d as WindowStats)) };
}

/** Parses a number parameter of the aggregate read, or throws 400 naming it. */
function numberParam(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const v = Number(text);
  if (!Number.isFinite(v)) throw new HttpError(400, `bad_query: ${name} must be a number`);
  return v;
}

/**
 * The windowed aggregate (decision 6, `timeseries.aggregate`): `aggregate` is the window length in
 * seconds, `origin` where windows start (the first selected point when left out).
 */
export async function aggregateTimeseries(
  store: Store,
  obj: ObjectRecord,
  selection: TimeseriesSelection,
  windowText: string | undefined,
  originText: string | undefined,
): Promise<AggregateResult> {
  const window = numberParam("aggregate", windowText) ?? Number.NaN;
  const origin = numberParam("origin", originText);
  const problem = checkWindow(window, origin ?? 0, selection.t1 ?? Number.NaN, selection.t2 ?? Number.NaN);
  if (problem) throw new HttpError(400, `bad_query: ${problem}`);
  if (store.timeseries.aggregate) return store.timeseries.aggregate(obj.id, selection, window, origin);
  let acc: WindowAccumulator | undefined;
  for await (const b of store.timeseries.read(obj.id, selection)) {
    for (let i = 0; i < b.n; i++) {
      acc ??= new WindowAccumulator(origin ?? b.t[i]!, window);
      acc.add(b.t[i]!, b.dt ? b.dt[i]! : 0, b.d[i]);
    }
  }
  return acc?.result() ?? { count: 0, window, origin: origin ?? selection.t1 ?? 0, data: [] };
}
