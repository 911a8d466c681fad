/**
 * Windowed aggregates (the `timeseries.aggregate` extension, decision 6): the time axis is cut
 * into windows `[origin + k·window, origin + (k+1)·window)` and each window keeps the count, sum,
 * minimum and maximum of its numeric values, its first and last values and the total of its
 * durations. Windows merge, so the server can add whole chunks from their stored summaries and a
 * summary of the visible range is the merge of its windows. Used by the server and, against a
 * real heedy, by the browser's worker.
 */
import type { Datapoint } from "./resources.js";

export const AGGREGATE_EXTENSION = "timeseries.aggregate";

/** Most windows one aggregate read may answer. */
export const MAX_WINDOWS = 20_000;

export const AGGREGATE_FNS = ["mean", "min", "max", "sum", "count"] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

/** What a window holds; the `d` of each datapoint of an aggregate answer. */
export interface WindowStats {
  /** Points in the window. */
  n: number;
  /** Sum, minimum and maximum of the numeric values (booleans count as 0/1); null if none. */
  sum: number | null;
  min: number | null;
  max: number | null;
  /** Numeric values among the n points (the mean divides by this). */
  numeric: number;
  first: unknown;
  last: unknown;
  /** Time of the first and last point. */
  firstT: number;
  lastT: number;
  /** Sum of the points' durations (`dt`), seconds. */
  duration: number;
}

/** The answer of an aggregate read: one datapoint per non-empty window (`t` its start). */
export interface AggregateResult {
  count: number;
  window: number;
  origin: number;
  data: Datapoint[];
}

export function numericValue(d: unknown): number | null {
  if (typeof d === "number") return Number.isFinite(d) ? d : null;
  if (typeof d === "boolean") return d ? 1 : 0;
  return null;
}

export function emptyStats(): WindowStats {
  return {
    n: 0,
    sum: null,
    min: null,
    max: null,
    numeric: 0,
    first: null,
    last: null,
    firstT: Number.NaN,
    lastT: Number.NaN,
    duration: 0,
  };
}

/** Adds one point to a window (points arrive in time order). */
export function addPoint(s: WindowStats, t: number, dt: number, d: unknown): void {
  if (s.n === 0) {
    s.first = d;
    s.firstT = t;
  }
  s.n++;
  s.last = d;
  s.lastT = t;
  s.duration += dt;
  const v = numericValue(d);
  if (v === null) return;
  s.numeric++;
  s.sum = (s.sum ?? 0) + v;
  if (s.min === null || v < s.min) s.min = v;
  if (s.max === null || v > s.max) s.max = v;
}

/** Merges `b` (which comes after `a` in time) into `a`. */
export function mergeInto(a: WindowStats, b: WindowStats): void {
  if (b.n === 0) return;
  if (a.n === 0) {
    a.first = b.first;
    a.firstT = b.firstT;
  }
  a.n += b.n;
  a.last = b.last;
  a.lastT = b.lastT;
  a.duration += b.duration;
  a.numeric += b.numeric;
  if (b.sum !== null) a.sum = (a.sum ?? 0) + b.sum;
  if (b.min !== null && (a.min === null || b.min < a.min)) a.min = b.min;
  if (b.max !== null && (a.max === null || b.max > a.max)) a.max = b.max;
}

/** The merge of many windows: the summary of a whole range. */
export function mergeAll(list: readonly WindowStats[]): WindowStats {
  const out = emptyStats();
  for (const s of list) mergeInto(out, s);
  return out;
}

/** The value a window shows under `fn`; null where it has none (no numbers). */
export function statValue(s: WindowStats, fn: AggregateFn): number | null {
  switch (fn) {
    case "count":
      return s.n;
    case "sum":
      return s.sum;
    case "min":
      return s.min;
    case "max":
      return s.max;
    case "mean":
      return s.sum === null || s.numeric === 0 ? null : s.sum / s.numeric;
  }
}

/** Streaming windowed aggregation over points in time order. */
export class WindowAccumulator {
  private readonly windows = new Map<number, WindowStats>();
  private readonly order: number[] = [];
  count = 0;

  constructor(
    readonly origin: number,
    readonly window: number,
  ) {}

  /** Index of the window holding time t. */
  index(t: number): number {
    return Math.floor((t - this.origin) / this.window);
  }

  private at(k: number): WindowStats {
    let s = this.windows.get(k);
    if (!s) {
      s = emptyStats();
      this.windows.set(k, s);
      this.order.push(k);
    }
    return s;
  }

  add(t: number, dt: number, d: unknown): void {
    this.count++;
    addPoint(this.at(this.index(t)), t, dt, d);
  }

  /** Adds a run of points known to lie in one window, already summarised. */
  addStats(s: WindowStats): void {
    if (s.n === 0) return;
    this.count += s.n;
    mergeInto(this.at(this.index(s.firstT)), s);
  }

  /** Windows in time order with their stats. */
  stats(): { start: number; stats: WindowStats }[] {
    return this.order.map((k) => ({ start: this.origin + k * this.window, stats: this.windows.get(k)! }));
  }

  result(): AggregateResult {
    return {
      count: this.count,
      window: this.window,
      origin: this.origin,
      data: this.stats().map(({ start, stats }) => ({ t: start, dt: this.window, d: stats })),
    };
  }
}

/** Checks an aggregate request's window; returns a message for a bad one. */
export function checkWindow(window: number, origin: number, t1: number, t2: number): string | null {
  if (!Number.isFinite(window) || window <= 0) return "aggregate must be a window length in seconds above 0";
  if (!Number.isFinite(origin)) return "origin must be a time";
  if (Number.isFinite(t1) && Number.isFinite(t2) && (t2 - t1) / window > MAX_WINDOWS) {
    return `aggregate windows must number at most ${MAX_WINDOWS}; use a longer window`;
  }
  return null;
}
