import type { Datapoint } from "../core/resources.js";

export interface CsvOptions {
  /** `unix` (default) writes `t` as unix seconds; `iso` writes an ISO 8601 UTC timestamp. */
  time?: "unix" | "iso";
}

/**
 * Datapoints as returned by a timeseries read, with the helpers of Python's `DatapointArray`.
 * It is a real array (indexing, `length`, iteration and `JSON.stringify` behave as usual).
 */
export class DatapointArray<D = unknown> extends Array<Datapoint<D>> {
  /**
   * Array methods such as `map`, `filter` and `slice` build plain arrays: `map` may produce
   * values that are not datapoints, and a subclass would then carry helpers that cannot work.
   */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Copies the points into a new DatapointArray (works for arrays of any size). */
  static fromPoints<D>(points: Iterable<Datapoint<D>>): DatapointArray<D> {
    const out = new DatapointArray<D>();
    for (const point of points) out.push(point);
    return out;
  }

  /** The data portions. */
  d(): D[] {
    return Array.from(this, (p) => p.d);
  }

  /** The timestamps, unix seconds. (Python returns datetimes here; see `dates()` for those.) */
  t(): number[] {
    return Array.from(this, (p) => p.t);
  }

  /** The timestamps as Date objects. */
  dates(): Date[] {
    return Array.from(this, (p) => new Date(p.t * 1000));
  }

  /** The durations in seconds; heedy omits `dt` when it is 0 (contract 8.2). */
  dt(): number[] {
    return Array.from(this, (p) => p.dt ?? 0);
  }

  /** Sum of the data portions. Throws TypeError if one of them is not a number. */
  sum(): number {
    let total = 0;
    for (const [index, point] of this.entries()) {
      if (typeof point.d !== "number") {
        throw new TypeError(`Datapoint ${index} has non-numeric data, so the array cannot be summed`);
      }
      total += point.d;
    }
    return total;
  }

  /** Mean of the data portions; NaN for an empty array. */
  mean(): number {
    return this.length === 0 ? Number.NaN : this.sum() / this.length;
  }

  /**
   * Both arrays' points in one new array ordered by timestamp (points with equal timestamps keep
   * this array's first). Python's `merge` changes the array in place; a new array suits UI state.
   */
  merge(other: Iterable<Datapoint<D>>): DatapointArray<D> {
    const merged = DatapointArray.fromPoints<D>(this);
    for (const point of other) merged.push(point);
    // Array.prototype.sort is stable, so ties keep their order.
    merged.sort((a, b) => a.t - b.t);
    return merged;
  }

  /**
   * CSV with a header row: `t,dt,d`. When every data portion is a plain object, its keys become
   * columns `d.<key>` instead (as pandas' frame of Python's client does); nested values are JSON.
   * Line ends are CRLF (RFC 4180).
   */
  toCSV(options: CsvOptions = {}): string {
    const points = Array.from(this);
    const objectKeys =
      points.length > 0 && points.every((p) => isPlainObject(p.d)) ? collectKeys(points) : null;
    const header = ["t", "dt", ...(objectKeys ? objectKeys.map((k) => `d.${k}`) : ["d"])];
    const lines = [header.map(csvField).join(",")];
    for (const point of points) {
      const time = options.time === "iso" ? new Date(point.t * 1000).toISOString() : String(point.t);
      const data = objectKeys
        ? objectKeys.map((k) => csvValue((point.d as Record<string, unknown>)[k]))
        : [csvValue(point.d)];
      lines.push([time, String(point.dt ?? 0), ...data].map(csvField).join(","));
    }
    return `${lines.join("\r\n")}\r\n`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collectKeys(points: Datapoint[]): string[] {
  const keys = new Set<string>();
  for (const point of points) for (const key of Object.keys(point.d as object)) keys.add(key);
  return [...keys];
}

function csvValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
