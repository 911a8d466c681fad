/**
 * Test-only reference versions of the datapoint rules, written point by point for clarity. The
 * shipped code works on columns and streams; the tests compare the two forms.
 */
import {
  createTransform,
  DatapointError,
  ERR_NEGATIVE_DURATION,
  ERR_NULL_DATAPOINT,
  ERR_ORDER,
  type Point,
  type TransformName,
} from "./datapoint.js";

// Kept apart from datapoint.ts's own copy so the oracle does not lean on the code it checks.
function snippet(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function parseError(reason: string, index: number, value: unknown): DatapointError {
  return new DatapointError(`parse error: ${reason} near element ${index} of '${snippet(value)}'`);
}

/**
 * Normalises an insert body (contract 8.2): `t` missing/null → 0, `d` missing/null → null, `dt`
 * missing/null → 0, other keys ignored. A null element is `bad_request: null datapoint`; a non-array
 * body, a non-object element or a non-numeric `t`/`dt` is a `parse error` (server_error on the wire).
 */
export function normaliseDatapoints(body: unknown): Point[] {
  if (!Array.isArray(body)) {
    throw new DatapointError(`parse error: expected an array of datapoints, found '${snippet(body)}'`);
  }
  const n = body.length;
  const out: Point[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = body[i] as Record<string, unknown> | null;
    if (e === null) throw new DatapointError(ERR_NULL_DATAPOINT);
    if (typeof e !== "object" || Array.isArray(e)) throw parseError("expected a datapoint object", i, e);
    let t = e.t;
    if (typeof t !== "number") {
      if (t === undefined || t === null) t = 0;
      else throw parseError('"t" must be a number', i, e);
    }
    let dt = e.dt;
    if (typeof dt !== "number") {
      if (dt === undefined || dt === null) dt = 0;
      else throw parseError('"dt" must be a number', i, e);
    }
    const d = e.d;
    out[i] = { t: t as number, dt: dt as number, d: d === undefined ? null : d };
  }
  return out;
}

/**
 * Checks the order of one insert batch (contract 8.7 step 4), point by point: no negative durations,
 * strictly increasing `t`, and no point starting inside the previous point's duration.
 */
export function checkBatchOrder(points: readonly Point[]): void {
  const n = points.length;
  if (n === 0) return;
  if (points[0]!.dt < 0) throw new DatapointError(ERR_NEGATIVE_DURATION);
  let prevT = points[0]!.t;
  let prevEnd = prevT + points[0]!.dt;
  for (let i = 1; i < n; i++) {
    const p = points[i]!;
    const t = p.t;
    const dt = p.dt;
    if (dt < 0) throw new DatapointError(ERR_NEGATIVE_DURATION);
    if (t <= prevT || t < prevEnd) throw new DatapointError(ERR_ORDER);
    prevT = t;
    prevEnd = t + dt;
  }
}

/** Runs a transform over a whole array, so tests can state a transform's output in one line. */
export function applyTransform(name: TransformName, points: Iterable<Point>): Point[] {
  const tr = createTransform(name);
  const out: Point[] = [];
  for (const p of points) tr.step(p, out);
  tr.end(out);
  return out;
}
