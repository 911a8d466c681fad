import { AGGREGATE_EXTENSION, type AggregateResult, WindowAccumulator } from "../core/aggregate.js";
import { downsampleM4 } from "../core/downsample.js";
import type { Datapoint, JsonSchema, OkResult, PlotResult, ReplaceResult } from "../core/resources.js";
import { parseTime } from "../core/time.js";
import { DatapointArray } from "./datapoints.js";
import { ObjectHandle } from "./object-handle.js";
import { type Connection, PLOT_EXTENSION, REPLACE_EXTENSION } from "./server.js";
import { type Query, type RequestOptions, segment } from "./session.js";
import { nowSeconds, queryTime, type TimeInput, unixSeconds } from "./times.js";

/** Which points to address: by time (`t`, or the range `t1 <= t < t2`) and/or by index. */
export interface TimeseriesSelection {
  /** Exactly this timestamp. */
  t?: TimeInput;
  /** From this time on (inclusive). */
  t1?: TimeInput;
  /** Up to this time (exclusive). */
  t2?: TimeInput;
  /** One index; negative counts from the end (-1 is the last point). */
  i?: number;
  /** From this index on (inclusive); negative counts from the end. */
  i1?: number;
  /** Up to this index (exclusive); negative counts from the end. */
  i2?: number;
}

/** A timeseries read (contract 8.3). */
export interface TimeseriesQuery extends TimeseriesSelection {
  /** At most this many output points (applied after the transform). */
  limit?: number;
  /** A PipeScript transform; this project supports `sum count mean min max first last d`. */
  transform?: string;
}

export interface AppendOptions extends RequestOptions {
  /** Duration of the point in seconds (`dt`). */
  duration?: number;
}

export interface InsertOptions extends RequestOptions {
  /** Timestamp (unix seconds or a Date); the current time when left out. */
  t?: number | Date;
  /** Duration in seconds. */
  dt?: number;
}

/**
 * How new points meet stored ones (contract 8.7): `update` (the server's default) replaces
 * overlapping points, `insert` refuses overlaps, `append` only accepts points after the last one.
 */
export type InsertMethod = "update" | "insert" | "append";

export interface InsertArrayOptions extends RequestOptions {
  method?: InsertMethod;
  /** `false` skips schema validation; our server honours it for the plugin key only (decision 3). */
  validate?: boolean;
}

/** What `replace()` did: `atomic` is false when the server lacks the extension (see there). */
export interface ReplaceOutcome {
  atomic: boolean;
  /** Points removed and written, when the server reports them (our server does). */
  removed?: number;
  written?: number;
}

export interface ReplaceOptions extends RequestOptions {
  method?: InsertMethod;
}

/** A plot read: a range and the number of pixel columns to reduce it to. */
export interface PlotQuery extends RequestOptions {
  t1?: TimeInput;
  t2?: TimeInput;
  i1?: number;
  i2?: number;
  /** Pixel columns, 1..20000 (default 1000). */
  columns?: number;
  /** Also answer how many points each column holds (our server only). */
  counts?: boolean;
  /** Also answer the summary of the range (servers with `timeseries.aggregate`). */
  summary?: boolean;
}

/** A windowed aggregate read: a range, the window length and where windows start. */
export interface AggregateQuery extends RequestOptions {
  t1?: TimeInput;
  t2?: TimeInput;
  i1?: number;
  i2?: number;
  /** Window length, seconds. */
  window: number;
  /** Windows start at origin + k·window (default: the first selected point). */
  origin?: number;
}

/**
 * A timeseries object. Reads work like Python's: `length()` is `len(ts)`, `at(-1)` is `ts[-1]`,
 * `slice(-5)` is `ts[-5:]`, `query({t1: "now-1h"})` is `ts(t1="now-1h")`.
 * `D` is the type of the data portion, for callers who know the schema.
 */
export class Timeseries<D = unknown> extends ObjectHandle {
  private get dataPath(): string {
    return `${this.path}/timeseries`;
  }

  /** The JSON Schema in the cached meta (`{}` accepts anything). */
  get schema(): JsonSchema {
    const schema = this.data.meta.schema;
    return typeof schema === "object" && schema !== null ? (schema as JsonSchema) : {};
  }

  /** Sets `meta.schema` (other meta keys stay as they are); `null` resets it to `{}`. */
  setSchema(schema: JsonSchema | null, options?: RequestOptions): Promise<OkResult> {
    return this.meta.update({ schema }, options);
  }

  /** Number of points: `GET .../timeseries/length`, a bare integer (contract 8.5). */
  async length(options?: RequestOptions): Promise<number> {
    const n = await this.connection.session.get<unknown>(`${this.dataPath}/length`, undefined, options);
    if (typeof n !== "number") throw new TypeError("The timeseries length is not a number");
    return n;
  }

  /** Adds one point at the current time (sub-second precision), like Python's `ts.append(d)`. */
  append(d: D, options: AppendOptions = {}): Promise<OkResult> {
    return this.insertArray([{ d, t: nowSeconds(), dt: options.duration ?? 0 }], options);
  }

  /** Adds one point at `t` (default now) with duration `dt` (default 0). */
  insert(d: D, options: InsertOptions = {}): Promise<OkResult> {
    const t = options.t === undefined ? nowSeconds() : unixSeconds(options.t);
    return this.insertArray([{ t, d, dt: options.dt ?? 0 }], options);
  }

  /** `POST .../timeseries[?method=...]` with the points unchanged. */
  insertArray(points: readonly Datapoint<D>[], options: InsertArrayOptions = {}): Promise<OkResult> {
    const query: Query = { method: options.method, validate: options.validate };
    return this.connection.session.post<OkResult>(this.dataPath, points, query, options);
  }

  /** Python's `ts[i]`: one point by index (negative counts from the end). Throws RangeError if none. */
  async at(index: number, options?: RequestOptions): Promise<Datapoint<D>> {
    const points = await this.read_({ i: index }, options);
    const point = points[0];
    if (point === undefined) throw new RangeError(`Timeseries index ${index} out of range`);
    return point;
  }

  /**
   * Python's `ts[start:end]`: the server applies Python's slice rules (negative indices count from
   * the end, out-of-range bounds clamp; contract 8.3), so `slice(-5)` is the last five points and
   * `slice()` everything.
   */
  slice(start?: number, end?: number, options?: RequestOptions): Promise<DatapointArray<D>> {
    return this.read_({ i1: start, i2: end }, options);
  }

  /** `GET .../timeseries` with the given selection, limit and transform (times: see `queryTime`). */
  query(query: TimeseriesQuery & RequestOptions = {}): Promise<DatapointArray<D>> {
    return this.read_(
      { ...selectionQuery(query), limit: query.limit, transform: query.transform },
      { signal: query.signal },
    );
  }

  /**
   * `DELETE .../timeseries` for the selected points (contract 8.8); e.g. `remove({i: -1})` drops the
   * last point and `remove({i1: 0})` clears the series. Unlike Python, times are converted like
   * `query`'s, so `remove({t1: "1 hour ago"})` means what it says.
   */
  remove(selection: TimeseriesSelection & RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(this.dataPath, selectionQuery(selection), {
      signal: selection.signal,
    });
  }

  /**
   * Removes the selected points and inserts `points` as one change, e.g. a point moved to a new time
   * with a new value. With the server's `timeseries.replace` extension it is one request applied in
   * one transaction. A real heedy has no such request: then the selection is read, removed, and the
   * new points inserted; if that insert is refused, the removed points are written back and the
   * error is rethrown. That fallback is not atomic (another writer could interleave), which
   * `atomic: false` reports so a UI can say so.
   */
  async replace(
    selection: TimeseriesSelection,
    points: readonly Datapoint<D>[],
    options: ReplaceOptions = {},
  ): Promise<ReplaceOutcome> {
    const request = { signal: options.signal };
    if (await this.connection.server.hasExtension(REPLACE_EXTENSION, request)) {
      const res = await this.connection.session.post<ReplaceResult>(
        `${this.dataPath}/replace`,
        points,
        { ...selectionQuery(selection), method: options.method },
        request,
      );
      return { atomic: true, removed: res.removed, written: res.written };
    }
    const before = await this.read_(selectionQuery(selection), request);
    await this.remove({ ...selection, signal: options.signal });
    try {
      if (points.length > 0)
        await this.insertArray(points, { method: options.method, signal: options.signal });
    } catch (err) {
      if (before.length > 0) await this.insertArray(Array.from(before), { method: "update" });
      throw err;
    }
    return { atomic: false, removed: before.length, written: points.length };
  }

  /**
   * Points of a range reduced for a chart `columns` pixels wide (M4: first, last, min and max point
   * per column, so the line draws like the raw data). Uses the server's plot read when
   * `GET /api/server/capabilities` lists `timeseries.plot`; otherwise (e.g. a real heedy server)
   * reads the range with a plain heedy request and reduces it here with the same algorithm.
   */
  async plot(query: PlotQuery = {}): Promise<PlotResult> {
    const options = { signal: query.signal };
    if (await this.connection.server.hasExtension(PLOT_EXTENSION, options)) {
      return readPlot(this.connection, this.id, query);
    }
    const now = new Date();
    const range = rangeQuery(query, now);
    const columns = query.columns ?? DEFAULT_PLOT_COLUMNS;
    const points = await this.read_(range, options);
    const reduced = downsampleM4(points, columns, boundary(range.t1, now), boundary(range.t2, now));
    return { count: points.length, columns, raw: reduced.raw, data: reduced.data };
  }

  /**
   * Count, sum, min, max, first, last and total duration per time window. Uses the server's
   * aggregate read when capabilities list `timeseries.aggregate`; otherwise reads the range with a
   * plain heedy request and aggregates it here with the same code.
   */
  async aggregate(query: AggregateQuery): Promise<AggregateResult> {
    const options = { signal: query.signal };
    const now = new Date();
    const range: Query = {
      t1: query.t1 === undefined ? undefined : queryTime(query.t1, now),
      t2: query.t2 === undefined ? undefined : queryTime(query.t2, now),
      i1: query.i1,
      i2: query.i2,
    };
    if (await this.connection.server.hasExtension(AGGREGATE_EXTENSION, options)) {
      return this.connection.session.get<AggregateResult>(
        `${this.dataPath}/plot`,
        { ...range, aggregate: query.window, origin: query.origin },
        options,
      );
    }
    const points = await this.read_(range, options);
    let acc: WindowAccumulator | undefined;
    for (const p of points) {
      acc ??= new WindowAccumulator(query.origin ?? p.t, query.window);
      acc.add(p.t, p.dt ?? 0, p.d);
    }
    return acc?.result() ?? { count: 0, window: query.window, origin: query.origin ?? 0, data: [] };
  }

  private async read_(query: Query, options?: RequestOptions): Promise<DatapointArray<D>> {
    const points = await this.connection.session.get<unknown>(this.dataPath, query, options);
    if (!Array.isArray(points)) throw new TypeError("The timeseries read did not answer an array");
    return DatapointArray.fromPoints(points as Datapoint<D>[]);
  }
}

function rangeQuery(query: PlotQuery, now: Date): Query {
  return {
    t1: query.t1 === undefined ? undefined : queryTime(query.t1, now),
    t2: query.t2 === undefined ? undefined : queryTime(query.t2, now),
    i1: query.i1,
    i2: query.i2,
  };
}

/**
 * The server's plot read (`GET /api/objects/{id}/timeseries/plot`) by the object's id alone, for
 * a caller that has checked the capabilities itself (a shared link's first read, sent before the
 * object is known). `Timeseries.plot()` checks them, then calls this. A server without the
 * extension refuses it (heedy: 404).
 */
export function readPlot(connection: Connection, id: string, query: PlotQuery = {}): Promise<PlotResult> {
  const { path, params } = plotRequest(id, query, new Date());
  return connection.session.get<PlotResult>(path, params, { signal: query.signal });
}

/** The path and query of a plot read (also sent by the app's page before its code is in). */
export function plotRequest(id: string, query: PlotQuery, now: Date): { path: string; params: Query } {
  return {
    path: `api/objects/${segment(id)}/timeseries/plot`,
    params: {
      ...rangeQuery(query, now),
      columns: query.columns,
      counts: query.counts || undefined,
      summary: query.summary || undefined,
    },
  };
}

/** The server's default number of plot columns (resources.ts, PlotResult). */
const DEFAULT_PLOT_COLUMNS = 1000;

/**
 * A range end as unix seconds for laying out columns. `now-1h` is evaluated with the client's clock
 * (the server evaluated it with its own; a small clock skew only shifts the column grid).
 */
function boundary(value: string | number | boolean | undefined, now: Date): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  try {
    return parseTime(value, now);
  } catch {
    return undefined;
  }
}

function selectionQuery(selection: TimeseriesSelection): Query {
  const now = new Date();
  return {
    t: selection.t === undefined ? undefined : queryTime(selection.t, now),
    t1: selection.t1 === undefined ? undefined : queryTime(selection.t1, now),
    t2: selection.t2 === undefined ? undefined : queryTime(selection.t2, now),
    i: selection.i,
    i1: selection.i1,
    i2: selection.i2,
  };
}
