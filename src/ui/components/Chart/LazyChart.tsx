/**
 * uPlot and the chart code load on demand, so they stay out of the initial bundle. The viewer calls
 * `preloadChart()` as soon as it mounts, so the chunk downloads while the data is being read.
 */
import { lazy } from "react";

type ChartModule = typeof import("./TimeseriesChart");
let loading: Promise<ChartModule> | undefined;

export function preloadChart(): Promise<ChartModule> {
  loading ??= import("./TimeseriesChart");
  return loading;
}

export const LazyTimeseriesChart = lazy(preloadChart);
