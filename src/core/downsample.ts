/**
 * M4 downsampling for plots (decision 6): the time range is cut into pixel columns; each column
 * keeps its first, last, minimum and maximum point, so a line drawn through the result covers the
 * same pixels as the raw series at that width. A column with at most four points keeps all of
 * them. Used by the server's plot read and by the browser when the server lacks the extension.
 */
import type { Point } from "./datapoint.js";
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

/**
 * M4 over an array of datapoints in time order (the browser fallback). Returns the input itself
 * when any `d` is not a number, or when no column has more than four points.
 */
export function downsampleM4(
  points: readonly Datapoint[],
  columns: number,
  t1?: number,
  t2?: number,
): { raw: boolean; data: Datapoint[] } {
  if (points.length === 0) return { raw: true, data: [] };
  for (const p of points) if (typeof p.d !== "number") return { raw: true, data: points.slice() };
  const lo = t1 ?? points[0]!.t;
  const hi = t2 ?? points[points.length - 1]!.t;
  const acc = new M4Accumulator(lo, hi, columns);
  for (const p of points) acc.add({ t: p.t, dt: p.dt ?? 0, d: p.d });
  const picked = acc.result();
  const data = picked.map((p) => (p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d }));
  return { raw: data.length === points.length, data };
}
