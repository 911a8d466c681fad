/**
 * The chart of a cold shared link's first paint: uPlot with TimeseriesChart's own options
 * (chart-options.ts), drawn into the page skeleton before React is evaluated. Its own chunk
 * (vite.config.ts): uPlot and the chart's data code, nothing of the app shell, so loading it
 * never evaluates React.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { aligned, chartOptions } from "../../features/timeseries/components/Chart/chart-options";
import type { PlotView } from "../../shared/plot/plot-read";
import { buildChartData } from "../../shared/plot/series";
import { stateRows } from "../../shared/plot/state-timeline";
import { readTheme } from "../../shared/plot/theme";

/**
 * Draws `view` into `target` (in the document, so it has a width); null when there is nothing to
 * draw. The chart must be destroyed with the overlay (uPlot listens on the window).
 */
export function drawFirstChart(target: HTMLElement, view: PlotView, zone: string): uPlot | null {
  if (view.count === 0) return null;
  const data = buildChartData(view.points);
  const r = view.resolved;
  const bounds = r.t1 !== undefined && r.t2 !== undefined ? ([r.t1, r.t2] as const) : undefined;
  const state = { data, rows: stateRows(data), bounds, theme: readTheme(target), zone };
  const options = chartOptions(
    () => state,
    target.clientWidth || 600,
    () => {
      performance.mark?.("heedy:first-paint");
    },
  );
  // Nothing to point at: the overlay takes no input (React's chart does, once it is drawn).
  options.cursor = { show: false };
  return new uPlot(options, aligned(data), target);
}
