import { TimeseriesViewer, type TimeseriesViewerProps } from "./Chart/TimeseriesViewer";

/**
 * The chart area of the Data tab: part 2's viewer (components/Chart/TimeseriesViewer.tsx). uPlot itself loads lazily,
 * so it stays out of the initial bundle; the range lives in the URL (`?from=now-6h&to=now`).
 */
export function DataViewer(props: TimeseriesViewerProps) {
  // Keyed by object: zoom state and the previous range's data never carry over to another object.
  return <TimeseriesViewer key={props.object.id} {...props} />;
}
