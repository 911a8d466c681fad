/**
 * uPlot and the chart code load on demand, so they stay out of the initial bundle. The viewer calls
 * `preloadChart()` as soon as it mounts, so the chunk downloads while the data is being read.
 * A failed load (the server restarted with a new build, a dropped connection) is not cached: the
 * boundary below offers a retry, which loads the chunk again.
 */
import { Component, lazy, type ReactNode } from "react";
import { moduleLoader } from "../../../../shared/module-loader";

const chart = moduleLoader(() => import("./TimeseriesChart"));

export const preloadChart = chart.load;

/**
 * The chart component once its chunk is in: rendering it directly (not through `lazy`) avoids a
 * Suspense round trip, whose reveal React throttles by up to 300 ms (measured: +300 ms per open).
 */
export function loadedChart() {
  return chart.loaded()?.default;
}

/** A lazy chart for the first open; React keeps a failed load, so a retry needs a new one. */
export function makeLazyChart() {
  return lazy(preloadChart);
}

interface BoundaryState {
  error: Error | null;
}

/** Keeps a chart failure inside the chart area, with a way out. */
export class ChartBoundary extends Component<{ children: ReactNode; onRetry?(): void }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="ts-message ts-error" role="alert">
        <p>
          <strong>The chart could not be shown.</strong> {this.state.error.message}
        </p>
        <p>Retry; if the app was just updated, reload the page.</p>
        <button
          type="button"
          className="ts-button"
          onClick={() => {
            this.setState({ error: null });
            this.props.onRetry?.();
          }}
        >
          Retry
        </button>
      </div>
    );
  }
}
