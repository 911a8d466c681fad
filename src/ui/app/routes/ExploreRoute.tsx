/** The Explore page, loaded on first use (it carries uPlot and the chart code). */
import { lazy, Suspense } from "react";

const ExplorePage = lazy(() => import("../../features/explore/components/ExplorePage"));

export function ExploreRoute() {
  return (
    <Suspense
      fallback={<div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading" />}
    >
      <ExplorePage />
    </Suspense>
  );
}
