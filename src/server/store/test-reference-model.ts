/**
 * The timeseries contract's rules (8.3, 8.7, 8.8) written as directly as possible over a plain
 * array, for the model tests of the chunk engine to compare a store against.
 */
import { ERR_CONFLICT, isIdenticalFinalPoint, overlaps, type Point } from "../../core/datapoint.js";
import { downsampleM4 } from "../../core/downsample.js";
import type { Datapoint } from "../../core/resources.js";
import { type InsertMethod, resolveIndexRange, type TimeseriesSelection } from "./timeseries.js";

export const toWire = (p: Point): Datapoint =>
  p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d };

/** The plot a selection should give: the model's selected points through the shared reducers. */
export function modelPlot(points: readonly Point[], sel: TimeseriesSelection, columns: number) {
  const wire = points.map(toWire);
  const t1 = sel.t === undefined ? sel.t1 : undefined;
  const t2 = sel.t === undefined ? sel.t2 : undefined;
  return { count: wire.length, ...downsampleM4(wire, columns, t1, t2) };
}

export class ReferenceModel {
  points: Point[] = [];
  insert(batch: readonly Point[], method: InsertMethod): void {
    if (method === "update") {
      this.points = this.points.filter((q) => !batch.some((p) => overlaps(p, q)));
    } else {
      const last = this.points[this.points.length - 1];
      batch = batch.filter((p) => !isIdenticalFinalPoint(p, last));
      for (const p of batch) {
        if (method === "insert" && this.points.some((q) => overlaps(p, q))) throw new Error(ERR_CONFLICT);
        if (method === "append" && last && !(p.t > last.t && p.t >= last.t + last.dt)) {
          throw new Error(ERR_CONFLICT);
        }
      }
    }
    this.points = [...this.points, ...batch].sort((a, b) => a.t - b.t);
  }
  select(sel: TimeseriesSelection): Point[] {
    const r =
      sel.i !== undefined || sel.i1 !== undefined || sel.i2 !== undefined
        ? resolveIndexRange(this.points.length, sel)
        : { start: 0, end: this.points.length };
    if (!r) return [];
    return this.points.filter(
      (p, k) =>
        k >= r.start &&
        k < r.end &&
        (sel.t1 === undefined || p.t >= sel.t1) &&
        (sel.t2 === undefined || p.t < sel.t2) &&
        (sel.t === undefined || p.t === sel.t),
    );
  }
  remove(sel: TimeseriesSelection): number {
    const gone = new Set(this.select(sel));
    this.points = this.points.filter((p) => !gone.has(p));
    return gone.size;
  }
}
