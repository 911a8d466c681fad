/**
 * Datapoint rules of contract 8.2, 8.6 and 8.7, shared by the server and the browser.
 *
 * Inside the engine a point always has a numeric `dt` (0 when absent); on the wire `dt` is omitted
 * when it is 0 (contract 8.2, 12.4).
 */
/** A normalised datapoint: `dt` always present, `d` never undefined. */
export interface Point {
  t: number;
  dt: number;
  d: unknown;
}

export const ERR_NULL_DATAPOINT = "bad_request: null datapoint";
export const ERR_NEGATIVE_DURATION = "bad_query: durations can't be negative";
export const ERR_ORDER =
  "bad_query: data must be ordered with increasing timestamps, and durations must not intersect";
export const ERR_CONFLICT = "bad_query: conflict with existing datapoint";
export const ERR_SCHEMA = "bad_query: The data failed schema validation";
export const ERR_METHOD = "bad_query: Unrecognized insert method";

/** A datapoint error; `message` is heedy's internal error string (contract 1.4). */
export class DatapointError extends Error {}

function snippet(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function parseError(reason: string, index: number, value: unknown): DatapointError {
  return new DatapointError(`parse error: ${reason} near element ${index} of '${snippet(value)}'`);
}

/**
 * A batch of points as columns: the form inserts travel in, so a 10k-point batch costs three
 * typed arrays instead of 10k objects. `d` is a Float64Array when every value is a number.
 */
export interface PointColumns {
  n: number;
  t: Float64Array;
  dt: Float64Array;
  d: Float64Array | unknown[];
}

/**
 * Normalises an insert body (contract 8.2) straight into columns: `t` missing/null → 0, `d`
 * missing/null → null, `dt` missing/null → 0, other keys ignored. A null element is
 * `bad_request: null datapoint`; a non-array body, a non-object element or a non-numeric `t`/`dt`
 * is a `parse error` (server_error on the wire).
 */
export function normaliseDatapointColumns(body: unknown): PointColumns {
  if (!Array.isArray(body)) {
    throw new DatapointError(`parse error: expected an array of datapoints, found '${snippet(body)}'`);
  }
  const b = new DatapointColumnBuilder(body.length);
  b.add(body);
  return b.finish();
}

/**
 * normaliseDatapointColumns for an array that arrives in slabs (a streamed insert body): the same
 * rules, errors and element indices, with columns that grow as slabs are added.
 */
export class DatapointColumnBuilder {
  private n = 0;
  private t: Float64Array;
  private dt: Float64Array;
  private num: Float64Array | null;
  private any: unknown[] | null = null;

  constructor(capacity = 1024) {
    const size = Math.max(1, capacity);
    this.t = new Float64Array(size);
    this.dt = new Float64Array(size);
    this.num = new Float64Array(size);
  }

  get length(): number {
    return this.n;
  }

  /** Appends elements; throws the error of the first bad one, with its index in the whole array. */
  add(elements: readonly unknown[]): void {
    this.reserve(this.n + elements.length);
    const { t, dt } = this;
    let i = this.n;
    for (const item of elements) {
      const e = item as Record<string, unknown> | null;
      if (e === null) throw new DatapointError(ERR_NULL_DATAPOINT);
      if (typeof e !== "object" || Array.isArray(e)) throw parseError("expected a datapoint object", i, e);
      const ti = e.t;
      if (typeof ti === "number") t[i] = ti;
      else if (ti !== undefined && ti !== null) throw parseError('"t" must be a number', i, e);
      const dti = e.dt;
      if (typeof dti === "number") dt[i] = dti;
      else if (dti !== undefined && dti !== null) throw parseError('"dt" must be a number', i, e);
      const di = e.d;
      if (this.num !== null) {
        if (typeof di === "number") {
          this.num[i] = di;
          this.n = ++i;
          continue;
        }
        this.any = Array.from(this.num.subarray(0, i));
        this.num = null;
      }
      this.any!.push(di === undefined ? null : di);
      this.n = ++i;
    }
  }

  finish(): PointColumns {
    const n = this.n;
    const cut = (a: Float64Array) => (a.length === n ? a : a.subarray(0, n));
    return { n, t: cut(this.t), dt: cut(this.dt), d: this.num ? cut(this.num) : this.any! };
  }

  private reserve(size: number): void {
    if (size <= this.t.length) return;
    const cap = Math.max(size, this.t.length * 2);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.t = grow(this.t);
    this.dt = grow(this.dt);
    if (this.num) this.num = grow(this.num);
  }
}

/** Columns of an array of points. */
export function pointColumns(points: readonly Point[]): PointColumns {
  const n = points.length;
  const t = new Float64Array(n);
  const dt = new Float64Array(n);
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    t[i] = p.t;
    dt[i] = p.dt;
    if (typeof p.d !== "number") numeric = false;
  }
  const d: Float64Array | unknown[] = numeric ? new Float64Array(n) : new Array(n);
  for (let i = 0; i < n; i++) d[i] = points[i]!.d;
  return { n, t, dt, d };
}

/** Points of columns [from, to). */
export function columnPoints(c: PointColumns, from = 0, to = c.n): Point[] {
  const out: Point[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = { t: c.t[i]!, dt: c.dt[i]!, d: c.d[i] };
  return out;
}

/**
 * Checks the order of one insert batch (contract 8.7 step 4): no negative durations, strictly
 * increasing `t`, and no point starting inside the previous point's duration.
 */
export function checkColumnOrder(c: PointColumns): void {
  const { n, t, dt } = c;
  if (n === 0) return;
  if (dt[0]! < 0) throw new DatapointError(ERR_NEGATIVE_DURATION);
  let prevT = t[0]!;
  let prevEnd = prevT + dt[0]!;
  for (let i = 1; i < n; i++) {
    const ti = t[i]!;
    const dti = dt[i]!;
    if (dti < 0) throw new DatapointError(ERR_NEGATIVE_DURATION);
    if (ti <= prevT || ti < prevEnd) throw new DatapointError(ERR_ORDER);
    prevT = ti;
    prevEnd = ti + dti;
  }
}

/**
 * The overlap rule of contract 8.7 step 5: equal timestamps, or one point starting inside the
 * other's half-open interval `[t, t+dt)`.
 */
export function overlaps(p: Point, q: Point): boolean {
  return p.t === q.t || (q.t <= p.t && p.t < q.t + q.dt) || (p.t <= q.t && q.t < p.t + p.dt);
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * The no-op exception of contract 8.7 (12.12): in `insert`/`append`, a new point identical to the
 * series' final point, both with `dt == 0`, is accepted and changes nothing.
 */
export function isIdenticalFinalPoint(p: Point, last: Point | undefined): boolean {
  return last !== undefined && p.dt === 0 && last.dt === 0 && p.t === last.t && jsonEqual(p.d, last.d);
}

/** JSON text of one output datapoint: keys `t`, `dt` (only when non-zero), `d` (contract 8.2). */
export function datapointJson(t: number, dt: number, d: unknown): string {
  const dj = typeof d === "number" ? String(d) : (JSON.stringify(d) ?? "null");
  return dt === 0 ? `{"t":${t},"d":${dj}}` : `{"t":${t},"dt":${dt},"d":${dj}}`;
}

// ---- transforms (contract 8.6, decision 5) ---------------------------------------------------

export const TRANSFORMS = ["sum", "count", "mean", "min", "max", "first", "last", "d"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/**
 * A streaming transform: `step` is called for each input point in order and may push output points;
 * `end` flushes the rest. Runtime failures throw `TransformRuntimeError`.
 */
export interface PointTransform {
  step(p: Point, out: Point[]): void;
  end(out: Point[]): void;
}

/** A transform that failed on the data (heedy answers 500 for these, contract 8.6). */
export class TransformRuntimeError extends Error {}

/** Parses the `transform` query value; `""` means none. Unknown names are a 400 that names them. */
export function parseTransform(text: string): TransformName | undefined {
  const name = text.trim();
  if (name === "") return undefined;
  if ((TRANSFORMS as readonly string[]).includes(name)) return name as TransformName;
  throw new DatapointError(`bad_query: unsupported transform ${JSON.stringify(name)}`);
}

function numeric(transform: string, d: unknown): number {
  if (typeof d === "number") return d;
  if (typeof d === "boolean") return d ? 1 : 0;
  throw new TransformRuntimeError(`${transform} transform: cannot use ${snippet(d)} as a number`);
}

export function createTransform(name: TransformName): PointTransform {
  switch (name) {
    case "d":
      return {
        step: (p, out) => {
          out.push(p);
        },
        end: () => {},
      };
    case "sum": {
      let first: number | undefined;
      let sum = 0;
      return {
        step: (p) => {
          if (first === undefined) first = p.t;
          sum += numeric("sum", p.d);
        },
        // heedy reports dt 0 for sum (contract 12.11).
        end: (out) => {
          out.push({ t: first ?? 0, dt: 0, d: sum });
        },
      };
    }
    case "count":
    case "mean": {
      let first: number | undefined;
      let end = 0;
      let n = 0;
      let sum = 0;
      return {
        step: (p) => {
          if (first === undefined) first = p.t;
          end = p.t + p.dt;
          n++;
          if (name === "mean") sum += numeric("mean", p.d);
        },
        end: (out) => {
          if (first === undefined) {
            if (name === "count") out.push({ t: 0, dt: 0, d: 0 });
            return;
          }
          out.push({ t: first, dt: end - first, d: name === "count" ? n : sum / n });
        },
      };
    }
    case "min":
    case "max": {
      let best: Point | undefined;
      let bestValue = 0;
      return {
        step: (p) => {
          const v = numeric(name, p.d);
          if (best === undefined || (name === "min" ? v < bestValue : v > bestValue)) {
            best = p;
            bestValue = v;
          }
        },
        end: (out) => {
          if (best !== undefined) out.push(best);
        },
      };
    }
    case "first": {
      let seen = false;
      return {
        step: (p, out) => {
          out.push({ t: p.t, dt: p.dt, d: !seen });
          seen = true;
        },
        end: () => {},
      };
    }
    case "last": {
      let pending: Point | undefined;
      return {
        step: (p, out) => {
          if (pending) out.push({ t: pending.t, dt: pending.dt, d: false });
          pending = p;
        },
        end: (out) => {
          if (pending) out.push({ t: pending.t, dt: pending.dt, d: true });
        },
      };
    }
  }
}
