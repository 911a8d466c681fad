/**
 * Turns datapoints into the columnar arrays uPlot draws (x in unix seconds, one array per series),
 * deciding how each kind of data is shown:
 *
 * - numbers: a line;
 * - booleans: a step line at 0/1;
 * - objects: one series per numeric or boolean field (the legend toggles them); string and other
 *   fields go to the event strip;
 * - strings, enums and anything else: the event strip (one row per field), never dropped;
 * - points with a duration (`dt > 0`): every series holds its value over `[t, t+dt)` and breaks
 *   after it, so durations show as spans.
 *
 * Pure and DOM-free: it runs on the main thread and in the downsampling worker.
 */
import type { Datapoint } from "../../../core/resources";

export type SeriesKind = "number" | "boolean";

export interface ChartSeries {
  /** Field name; `""` for a series whose data is the value itself. */
  field: string;
  label: string;
  kind: SeriesKind;
  values: (number | null)[];
}

export interface EventRow {
  field: string;
  label: string;
  /** Colour slot of each distinct text (enum members in sorted order), when there are few. */
  colours: Map<string, number>;
  t: number[];
  dt: number[];
  text: string[];
}

export interface ChartData {
  x: number[];
  series: ChartSeries[];
  /** For each x index, the index of its datapoint in the input, or -1 for a gap row. */
  pointIndex: number[];
  events: EventRow[];
  hasDurations: boolean;
  /** First and last instant covered by data (t of the first point, t+dt of the last). */
  first?: number;
  last?: number;
  /**
   * Identifies the set of series and their kinds: the chart is only rebuilt when it changes; new
   * data with the same shape goes through setData.
   */
  shape: string;
}

type FieldKind = SeriesKind | "event";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): FieldKind | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? "number" : null;
  if (typeof value === "boolean") return "boolean";
  return "event";
}

function mergeKind(a: FieldKind | undefined, b: FieldKind | null): FieldKind | undefined {
  if (b === null) return a;
  if (a === undefined || a === b) return b;
  // Mixed kinds in one field: show it as events, so no value is silently dropped.
  return "event";
}

export function eventText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  return JSON.stringify(value);
}

/** Classifies the fields of the data: `""` is the value itself, other names are object fields. */
export function classifyFields(points: readonly Datapoint[]): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind | undefined>();
  let objects = 0;
  let scalars = 0;
  for (const p of points) {
    const d = p.d;
    if (isPlainObject(d)) {
      objects++;
      for (const key of Object.keys(d)) kinds.set(key, mergeKind(kinds.get(key), kindOf(d[key])));
    } else if (d !== null && d !== undefined) {
      scalars++;
      kinds.set("", mergeKind(kinds.get(""), kindOf(d)));
    }
  }
  const out = new Map<string, FieldKind>();
  // Objects mixed with plain values: the plain values become events next to the field series.
  if (objects > 0 && scalars > 0 && kinds.get("") !== undefined) kinds.set("", "event");
  for (const [k, v] of kinds) if (v !== undefined) out.set(k, v);
  return out;
}

function fieldValue(d: unknown, field: string): unknown {
  if (field === "") return isPlainObject(d) ? undefined : d;
  return isPlainObject(d) ? d[field] : undefined;
}

function numeric(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

export function buildChartData(points: readonly Datapoint[]): ChartData {
  const fields = classifyFields(points);
  const lineFields: { field: string; kind: SeriesKind }[] = [];
  const eventFields: string[] = [];
  for (const [field, kind] of fields) {
    if (kind === "event") eventFields.push(field);
    else lineFields.push({ field, kind });
  }
  // Stable order: the plain value first, then fields alphabetically.
  lineFields.sort((a, b) => a.field.localeCompare(b.field));
  eventFields.sort((a, b) => a.localeCompare(b));

  const hasDurations = points.some((p) => (p.dt ?? 0) > 0);
  const x: number[] = [];
  const pointIndex: number[] = [];
  const series: ChartSeries[] = lineFields.map(({ field, kind }) => ({
    field,
    kind,
    label: field === "" ? "value" : field,
    values: [],
  }));
  const n = points.length;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    x.push(p.t);
    pointIndex.push(i);
    for (const s of series) s.values.push(numeric(fieldValue(p.d, s.field)));
    const dt = p.dt ?? 0;
    if (hasDurations && dt > 0) {
      const end = p.t + dt;
      // The value holds until the end of the duration...
      x.push(end);
      pointIndex.push(i);
      for (const s of series) s.values.push(s.values[s.values.length - 1]!);
      // ...and the line breaks there unless the next point starts right away.
      const next = points[i + 1];
      if (next === undefined || next.t > end) {
        x.push(end);
        pointIndex.push(-1);
        for (const s of series) s.values.push(null);
      }
    }
  }

  const events: EventRow[] = eventFields.map((field) => {
    const row: EventRow = {
      field,
      label: field === "" ? "value" : field,
      colours: new Map(),
      t: [],
      dt: [],
      text: [],
    };
    for (const p of points) {
      const v = fieldValue(p.d, field);
      if (v === undefined) continue;
      row.t.push(p.t);
      row.dt.push(p.dt ?? 0);
      row.text.push(eventText(v));
    }
    const distinct = [...new Set(row.text)];
    if (distinct.length <= MAX_ENUM_COLOURS) {
      distinct.sort((a, b) => a.localeCompare(b));
      for (const [i, text] of distinct.entries()) row.colours.set(text, i);
    }
    return row;
  });

  const firstPoint = points[0];
  const lastPoint = points[n - 1];
  const shape = JSON.stringify([series.map((s) => [s.field, s.kind]), eventFields]);
  return {
    x,
    series,
    pointIndex,
    events,
    hasDurations,
    first: firstPoint?.t,
    last: lastPoint === undefined ? undefined : lastPoint.t + (lastPoint.dt ?? 0),
    shape,
  };
}

/**
 * Point-level M4 across every field: for each pixel column keeps the first and last point, and for
 * each numeric or boolean field the points holding its minimum and maximum. Whole datapoints are
 * kept (not per-field values), so tooltips and events still show real points. Reducing the result
 * of a reduction on the same column grid gives the same points, which lets the worker reduce a
 * series page by page.
 */
export function reducePoints(
  points: readonly Datapoint[],
  columns: number,
  t1: number,
  t2: number,
): Datapoint[] {
  const n = points.length;
  const cols = Math.max(1, Math.floor(columns));
  if (n <= cols * 2) return points.slice();
  const fields = [...classifyFields(points)].filter(([, k]) => k !== "event").map(([f]) => f);
  const span = t2 - t1;
  const scale = span > 0 && Number.isFinite(span) ? cols / span : 0;
  const keep = new Uint8Array(n);
  let colStart = 0;
  const column = (t: number) => {
    const c = Math.floor((t - t1) * scale);
    return c < 0 ? 0 : c >= cols ? cols - 1 : c;
  };
  while (colStart < n) {
    const c = column(points[colStart]!.t);
    let colEnd = colStart + 1;
    while (colEnd < n && column(points[colEnd]!.t) === c) colEnd++;
    keep[colStart] = 1;
    keep[colEnd - 1] = 1;
    for (const field of fields) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let iMin = -1;
      let iMax = -1;
      for (let i = colStart; i < colEnd; i++) {
        const v = numeric(fieldValue(points[i]!.d, field));
        if (v === null) continue;
        if (v < min) {
          min = v;
          iMin = i;
        }
        if (v > max) {
          max = v;
          iMax = i;
        }
      }
      if (iMin >= 0) keep[iMin] = 1;
      if (iMax >= 0) keep[iMax] = 1;
    }
    colStart = colEnd;
  }
  const out: Datapoint[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]!);
  return out;
}

const MAX_ENUM_COLOURS = 64;

/** Palette slot of an event: by rank among the row's distinct values, else by a mixed hash. */
export function eventColour(row: EventRow, text: string, size: number): number {
  const rank = row.colours.get(text);
  if (rank !== undefined) return rank % size;
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  // Final avalanche (murmur3 fmix32): FNV's low bits alone repeat for similar words.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % size;
}

/** Index of the last x at or before `t` (binary search), or -1. */
export function indexAtOrBefore(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The event of a row covering time `t` (or the nearest one within `tolerance` seconds). */
export function eventAt(row: EventRow, t: number, tolerance: number): number {
  const i = indexAtOrBefore(row.t, t);
  if (i >= 0 && t < row.t[i]! + Math.max(row.dt[i]!, tolerance)) return i;
  const next = i + 1;
  if (next < row.t.length && row.t[next]! - t <= tolerance) return next;
  if (i >= 0 && t - row.t[i]! <= tolerance) return i;
  return -1;
}
