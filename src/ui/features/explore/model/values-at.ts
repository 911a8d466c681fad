/**
 * What the Explore chart shows at a time: used by the chart's tooltip and by the page's legend.
 * Kept apart from the chart component, so the page can use it without pulling in uPlot, which
 * loads lazily with the chart.
 */
import { indexAtOrBefore } from "../../../shared/plot/series";
import { stateEnd } from "../../../shared/plot/state-timeline";
import type { ExploreChartData, ExploreRow } from "./explore-chart";

/** Index of the last point of a line at or before t (skipping gap rows). */
export function valueAt(x: readonly number[], values: readonly (number | null)[], t: number): number | null {
  let i = indexAtOrBefore(x, t);
  while (i >= 0 && values[i] === null && x[i] === x[i - 1]) i--;
  return i >= 0 ? (values[i] ?? null) : null;
}

export function lineValueAt(chart: ExploreChartData, key: string, t: number): number | null {
  const line = chart.lines.find((l) => l.key === key);
  return line ? valueAt(line.x, line.values, t) : null;
}

export function rowTextAt(row: ExploreRow, t: number, end: number): string | null {
  const i = indexAtOrBefore(row.t, t);
  return i >= 0 && t < stateEnd(row, i, end) ? row.text[i]! : null;
}
