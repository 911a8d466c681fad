/**
 * Explore's chart data: numeric series become lines on their axis (or normalised to 0–1), string,
 * enum and boolean series become state rows, all on one time axis so one crosshair and one
 * tooltip cover everything. Lines are merged onto the union of their times; a series has
 * `undefined` where only others have points (uPlot spans those) and keeps its own nulls (gaps).
 */
import type { Datapoint } from "../../../../core/resources";
import { buildChartData, type EventRow } from "../../../shared/plot/series";
import { stateRows } from "../../../shared/plot/state-timeline";
import type { AxisGroup, AxisPlan } from "./axes";

export interface ExploreInput {
  key: string;
  name: string;
  points: readonly Datapoint[];
}

export interface ExploreLine {
  key: string;
  name: string;
  /** Colour slot (the series' position in the view). */
  colour: number;
  scale: string;
  normalised: boolean;
  /** Points with durations: drawn as steps that hold each value. */
  steps: boolean;
  /** The series' own times and values (for the tooltip and legend). */
  x: number[];
  values: (number | null)[];
}

export interface ExploreRow extends EventRow {
  key: string;
  colour: number;
}

export interface ExploreChartData {
  x: number[];
  /** aligned[i][j]: line i at x[j]. */
  aligned: (number | null | undefined)[][];
  lines: ExploreLine[];
  rows: ExploreRow[];
  axes: AxisGroup[];
  first?: number;
  last?: number;
  /** Changes when the set of lines, rows or axes changes (the chart is then rebuilt). */
  shape: string;
}

/** Whether a series' points draw as a line (numbers) or a state row (anything else). */
export function seriesKind(points: readonly Datapoint[]): "number" | "state" {
  const data = buildChartData(points);
  return data.series.some((s) => s.kind === "number" && s.field === "") ? "number" : "state";
}

export function buildExploreChart(inputs: readonly ExploreInput[], plan: AxisPlan): ExploreChartData {
  const scaleOf = new Map<string, string>();
  for (const a of plan.axes) for (const k of a.keys) scaleOf.set(k, a.id);
  const normalised = new Set(plan.normalised);
  const lines: ExploreLine[] = [];
  const rows: ExploreRow[] = [];
  let first: number | undefined;
  let last: number | undefined;
  inputs.forEach((input, colour) => {
    const data = buildChartData(input.points);
    if (data.first !== undefined) first = first === undefined ? data.first : Math.min(first, data.first);
    if (data.last !== undefined) last = last === undefined ? data.last : Math.max(last, data.last);
    const line = data.series.find((s) => s.kind === "number" && s.field === "");
    if (line) {
      let values = line.values;
      const isNorm = normalised.has(input.key);
      if (isNorm) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (const v of values) {
          if (v === null) continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const span = hi - lo;
        values = values.map((v) => (v === null ? null : span > 0 ? (v - lo) / span : 0.5));
      }
      lines.push({
        key: input.key,
        name: input.name,
        colour,
        scale: isNorm ? "norm" : (scaleOf.get(input.key) ?? "y0"),
        normalised: isNorm,
        steps: data.hasDurations,
        x: data.x,
        values,
      });
      return;
    }
    for (const row of stateRows(data)) {
      rows.push({
        ...row,
        key: input.key,
        colour,
        label: row.field === "" ? input.name : `${input.name} · ${row.label}`,
      });
    }
  });
  const { x, aligned } = mergeLines(lines);
  const shape = JSON.stringify([lines.map((l) => [l.key, l.scale]), rows.map((r) => r.label), plan.axes]);
  return { x, aligned, lines, rows, axes: plan.axes, first, last, shape };
}

/** The union of the lines' times, and each line's values on it. */
export function mergeLines(lines: readonly Pick<ExploreLine, "x" | "values">[]): {
  x: number[];
  aligned: (number | null | undefined)[][];
} {
  const all: number[] = [];
  for (const l of lines) for (const t of l.x) all.push(t);
  all.sort((a, b) => a - b);
  const x: number[] = [];
  for (const t of all) if (x.length === 0 || x[x.length - 1] !== t) x.push(t);
  const aligned = lines.map((l) => {
    const out: (number | null | undefined)[] = new Array(x.length);
    let j = 0;
    for (let i = 0; i < l.x.length; i++) {
      const t = l.x[i]!;
      while (x[j]! < t) j++;
      // Duration rows repeat a time (value, then its gap): the gap wins, so the line breaks.
      out[j] = out[j] === null ? null : l.values[i]!;
    }
    return out;
  });
  return { x, aligned };
}
