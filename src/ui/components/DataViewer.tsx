import type { HeedyObject } from "../../client/index";

/**
 * The chart area of the Data tab. Part 2 renders the uPlot viewer here (lazy-loaded, so uPlot stays
 * out of the initial bundle), reading its range from the URL (`?from=now-6h&to=now`, see router.ts)
 * under the query key `queryKeys.range(id, range)`, which an append already invalidates.
 * Until then it renders nothing, and the Data tab shows the length, recent points and append form.
 */
export function DataViewer(_props: { object: HeedyObject }) {
  return null;
}
