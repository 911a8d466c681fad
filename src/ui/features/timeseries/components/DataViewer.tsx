import type { HeedyObject } from "../../../../client/index";
import { TimeseriesViewer } from "./Chart/TimeseriesViewer";

/**
 * The chart area of the Data tab: part 2's viewer (components/Chart/TimeseriesViewer.tsx). uPlot itself loads lazily,
 * so it stays out of the initial bundle; the range lives in the URL (`?from=now-6h&to=now`).
 */
export function DataViewer({ object }: { object: HeedyObject }) {
  // Keyed by object: zoom state and the previous range's data never carry over to another object.
  return <TimeseriesViewer key={object.id} object={object} />;
}
