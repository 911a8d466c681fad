/**
 * M4 downsampling for plots (decision 6): the time range is cut into pixel columns; each column
 * keeps its first, last, minimum and maximum point, so a line drawn through the result covers the
 * same pixels as the raw series at that width. A column with at most four points keeps all of
 * them. Used by the server's plot read and by the browser when the server lacks the extension.
 *
 * Non-numeric values have no minimum or maximum, so those plots keep where the value changes
 * instead (ChangeSampler), capped per column so a million-point string series stays a small answer.
 */
import { jsonEqual, type Point } from "./datapoint.js";
import type { Datapoint } from "./resources.js";

const RAW_LIMIT = 4;

interface Column {
  n: number;
  /** Up to RAW_LIMIT points while the column is still small, in arrival (time) order. */
  raw: Point[];
  first?: Point;
  last?: Point;
  min?: Point;
  max?: Point;
}

/**
 * Streaming M4 over points arriving in time order. Feed single points with `add`, or whole runs
 * known to fall in one column with `addRun` (precomputed chunk summaries), then call `result`.
 */
export class M4Accumulator {
  readonly columns: number;
  private readonly t1: number;
  private readonly scale: number;
  private readonly cols: (Column | undefined)[];
  count = 0;

  constructor(t1: number, t2: number, columns: number) {
    this.columns = Math.max(1, Math.floor(columns));
    this.t1 = t1;
    const span = t2 - t1;
    this.scale = span > 0 && Number.isFinite(span) ? this.columns / span : 0;
    this.cols = new Array(this.columns);
  }

  /** Pixel column of time `t`, clamped to the range. */
  column(t: number): number {
    const c = Math.floor((t - this.t1) * this.scale);
    return c < 0 ? 0 : c >= this.columns ? this.columns - 1 : c;
  }

  private col(c: number): Column {
    let col = this.cols[c];
    if (!col) {
      col = { n: 0, raw: [] };
      this.cols[c] = col;
    }
    return col;
  }

  add(p: Point): void {
    this.count++;
    const col = this.col(this.column(p.t));
    col.n++;
    if (col.n <= RAW_LIMIT) {
      col.raw.push(p);
      return;
    }
    this.fold(col, p, p, p, p);
  }

  /**
   * Adds `n` points that all fall in one column, summarised by their first, last, minimum and
   * maximum points (all with numeric `d`). Runs of at most four points must be added one by one.
   */
  addRun(n: number, first: Point, last: Point, min: Point, max: Point): void {
    this.count += n;
    const col = this.col(this.column(first.t));
    col.n += n;
    this.fold(col, first, last, min, max);
  }

  private fold(col: Column, first: Point, last: Point, min: Point, max: Point): void {
    if (col.raw.length > 0) {
      // The column just outgrew raw mode: fold its buffered points into the summary first.
      const buffered = col.raw;
      col.raw = [];
      for (const p of buffered) this.fold(col, p, p, p, p);
    }
    if (!col.first) col.first = first;
    col.last = last;
    if (!col.min || (min.d as number) < (col.min.d as number)) col.min = min;
    if (!col.max || (max.d as number) > (col.max.d as number)) col.max = max;
  }

  /** Points each column holds (the tooltip's "column of n points"), and the span they cover. */
  columnCounts(): { counts: number[]; span: [number, number] } {
    const counts = new Array<number>(this.columns).fill(0);
    this.cols.forEach((col, i) => {
      if (col) counts[i] = col.n;
    });
    return { counts, span: [this.t1, this.t1 + (this.scale > 0 ? this.columns / this.scale : 0)] };
  }

  /** Points in time order, de-duplicated. */
  result(): Point[] {
    const out: Point[] = [];
    for (const col of this.cols) {
      if (!col) continue;
      if (col.raw.length > 0 && col.n <= RAW_LIMIT) {
        for (const p of col.raw) out.push(p);
        continue;
      }
      const picks = [col.first!, col.min!, col.max!, col.last!].sort((a, b) => a.t - b.t);
      let prev: Point | undefined;
      for (const p of picks) {
        if (p !== prev && (prev === undefined || p.t !== prev.t)) out.push(p);
        prev = p;
      }
    }
    return out;
  }
}

/** State changes kept per pixel column besides its first and last point. */
export const CHANGES_PER_COLUMN = 4;
/**
 * Overall cap of a change-sampled plot: the per-column budget shrinks so that columns x (budget +
 * 2) stays within it (down to first and last only, which the plot route's 20,000 columns allow).
 */
export const SAMPLED_POINT_LIMIT = 50_000;

/**
 * Streaming state-change sampling over points arriving in time order, for values that are not
 * all numbers. Each pixel column keeps its first point, then each point whose value differs
 * (jsonEqual) from the point before it, up to a per-column budget, then its last point. Every
 * kept point is a real point of the series.
 */
export class ChangeSampler {
  readonly columns: number;
  /** State changes each column may keep besides its first and last point. */
  readonly budget: number;
  count = 0;
  private readonly t1: number;
  private readonly scale: number;
  private readonly out: Point[] = [];
  private col = -1;
  private changes = 0;
  private prev: unknown;
  /** The current column's latest point, when it was not kept (it may turn out to be its last). */
  private tail: Point | undefined;

  constructor(t1: number, t2: number, columns: number, limit = SAMPLED_POINT_LIMIT) {
    this.columns = Math.max(1, Math.floor(columns));
    this.t1 = t1;
    const span = t2 - t1;
    this.scale = span > 0 && Number.isFinite(span) ? this.columns / span : 0;
    this.budget = Math.max(0, Math.min(CHANGES_PER_COLUMN, Math.floor(limit / this.columns) - 2));
  }

  /** Pixel column of time `t`, clamped to the range (the same mapping as M4Accumulator). */
  column(t: number): number {
    const c = Math.floor((t - this.t1) * this.scale);
    return c < 0 ? 0 : c >= this.columns ? this.columns - 1 : c;
  }

  /**
   * The current column once it has spent its change budget (only its last point can still be
   * kept), else -1.
   */
  get spentColumn(): number {
    return this.changes >= this.budget ? this.col : -1;
  }

  add(t: number, dt: number, d: unknown): void {
    this.count++;
    const c = this.column(t);
    if (c !== this.col) {
      this.endColumn();
      this.col = c;
      this.changes = 0;
      this.out.push({ t, dt, d });
    } else if (this.changes < this.budget && !jsonEqual(d, this.prev)) {
      this.changes++;
      this.tail = undefined;
      this.out.push({ t, dt, d });
    } else {
      this.tail = { t, dt, d };
    }
    this.prev = d;
  }

  /**
   * Adds `n` points that all fall in the current column once it is `spent`, given only the last
   * of them: the others could not be kept anyway, so a caller can skip looking at them.
   */
  skip(n: number, t: number, dt: number, d: unknown): void {
    if (n <= 0) return;
    if (this.spentColumn < 0 || this.column(t) !== this.col)
      throw new Error("skip needs a spent current column");
    this.count += n;
    this.tail = { t, dt, d };
    this.prev = d;
  }

  private endColumn(): void {
    if (this.tail) this.out.push(this.tail);
    this.tail = undefined;
  }

  /** Kept points in time order. Call once, after the last point. */
  result(): Point[] {
    this.endColumn();
    return this.out;
  }
}

function wirePoint(p: Point): Datapoint {
  return p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d };
}

/**
 * State-change sampling (ChangeSampler) over an array of datapoints in time order. `raw` is true
 * when every point was kept.
 */
export function sampleChanges(
  points: readonly Datapoint[],
  columns: number,
  t1?: number,
  t2?: number,
): { raw: boolean; data: Datapoint[] } {
  if (points.length === 0) return { raw: true, data: [] };
  const sampler = new ChangeSampler(t1 ?? points[0]!.t, t2 ?? points[points.length - 1]!.t, columns);
  for (const p of points) sampler.add(p.t, p.dt ?? 0, p.d);
  const data = sampler.result().map(wirePoint);
  return { raw: data.length === points.length, data };
}

/**
 * M4 over an array of datapoints in time order (the browser fallback). When any `d` is not a
 * number the range is change-sampled instead (sampleChanges), as the server's plot read does.
 * `raw` is true when every point was kept.
 */
export function downsampleM4(
  points: readonly Datapoint[],
  columns: number,
  t1?: number,
  t2?: number,
): { raw: boolean; data: Datapoint[] } {
  if (points.length === 0) return { raw: true, data: [] };
  for (const p of points) if (typeof p.d !== "number") return sampleChanges(points, columns, t1, t2);
  const lo = t1 ?? points[0]!.t;
  const hi = t2 ?? points[points.length - 1]!.t;
  const acc = new M4Accumulator(lo, hi, columns);
  for (const p of points) acc.add({ t: p.t, dt: p.dt ?? 0, d: p.d });
  const data = acc.result().map(wirePoint);
  return { raw: data.length === points.length, data };
}
