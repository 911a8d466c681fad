/**
 * "Plot my recent data": the object page's viewer. The range lives in the URL as raw strings
 * (shared/navigation.ts), live refresh too (`refresh=10s`), so a shared link reproduces the view.
 */
import { Suspense, useEffect, useMemo, useState } from "react";
import type { HeedyObject } from "../../../../../client/index";
import { setQuery, useSearchParams } from "../../../../shared/navigation";
import { usePlot } from "../../../../shared/plot/plot-read";
import { useClient } from "../../../../shared/session/session-store";
import { RangePicker } from "../../../../shared/time/RangePicker";
import {
  DEFAULT_RANGE,
  describeRange,
  isRelative,
  rangeFromSearch,
  rangeToSearch,
  type ViewRange,
  zoomRange,
} from "../../../../shared/time/view-range";
import { useTimeZone } from "../../../../shared/time/zone";
import { useLength } from "../../api/series";
import { ImportExportButtons } from "../ImportExport/ImportExportButtons";
import "./Chart.css";
import "./Viewer.css";
import { buildChartData } from "../../../../shared/plot/series";
import { formatCount } from "../../../../shared/time/format";
import { ChartBoundary, loadedChart, makeLazyChart, preloadChart } from "./LazyChart";

export const REFRESH_CHOICES: readonly { value: string; label: string; ms: number }[] = [
  { value: "5s", label: "5 s", ms: 5_000 },
  { value: "10s", label: "10 s", ms: 10_000 },
  { value: "30s", label: "30 s", ms: 30_000 },
  { value: "1m", label: "1 min", ms: 60_000 },
  { value: "5m", label: "5 min", ms: 300_000 },
];

export function refreshFromSearch(params: URLSearchParams): (typeof REFRESH_CHOICES)[number] | undefined {
  const value = params.get("refresh");
  return REFRESH_CHOICES.find((c) => c.value === value);
}

function focusAppendForm(): void {
  const field = document.querySelector<HTMLElement>(
    ".append-form input, .append-form textarea, .append-form select",
  );
  field?.scrollIntoView({ block: "center" });
  field?.focus();
}

export function TimeseriesViewer({ object }: { object: HeedyObject }) {
  const client = useClient();
  const query = useSearchParams();
  const range = rangeFromSearch(query);
  const refresh = refreshFromSearch(query);
  const utc = useTimeZone((s) => s.utc);
  const toggleUtc = useTimeZone((s) => s.setUtc);
  // The range before the first zoom, for "reset".
  const [beforeZoom, setBeforeZoom] = useState<ViewRange | null>(null);
  const fixedWindow = range.kind === "time" && !isRelative(range);
  const zoomed = beforeZoom !== null || fixedWindow;
  const paused = refresh !== undefined && zoomed;
  const plot = usePlot(client, object, range, { refetchInterval: refresh && !paused ? refresh.ms : false });
  const length = useLength(object);
  const [lazyChart, setLazyChart] = useState(makeLazyChart);
  const [, setChartLoaded] = useState(false);
  const LazyTimeseriesChart = loadedChart() ?? lazyChart;

  useEffect(() => {
    let mounted = true;
    preloadChart().then(
      () => mounted && setChartLoaded(true),
      () => {
        // The boundary around the chart shows the failure when it renders.
      },
    );
    return () => {
      mounted = false;
    };
  }, []);

  const view = plot.data;
  const chartData = useMemo(() => (view ? buildChartData(view.points) : null), [view]);
  const bounds = useMemo((): readonly [number, number] | undefined => {
    const r = view?.resolved;
    return r?.t1 !== undefined && r.t2 !== undefined ? [r.t1, r.t2] : undefined;
  }, [view?.resolved]);

  const changeRange = (next: ViewRange) => {
    setBeforeZoom(null);
    setQuery(rangeToSearch(next));
  };
  const zoom = (t1: number, t2: number) => {
    if (!(t2 > t1)) return;
    setBeforeZoom((prev) => prev ?? range);
    setQuery(rangeToSearch(zoomRange(t1, t2)));
  };
  // Pan by half a window; the result is a fixed window like a zoom (live refresh pauses).
  const shownWindow = (): [number, number] | undefined =>
    bounds
      ? [bounds[0], bounds[1]]
      : chartData?.first !== undefined && chartData.last !== undefined
        ? [chartData.first, chartData.last]
        : undefined;
  const pan = (direction: -1 | 1) => {
    const w = shownWindow();
    if (!w || !(w[1] > w[0])) return;
    const shift = ((w[1] - w[0]) / 2) * direction;
    zoom(w[0] + shift, w[1] + shift);
  };
  const reset = () => {
    if (!zoomed) return;
    const back = beforeZoom ?? DEFAULT_RANGE;
    setBeforeZoom(null);
    setQuery(rangeToSearch(back));
  };

  const empty = view !== undefined && view.count === 0;
  const seriesEmpty = empty && (length.data === 0 || range.kind === "all");

  return (
    <section className="ts-viewer" aria-label="Chart">
      <div className="ts-toolbar">
        <RangePicker range={range} onChange={changeRange} />
        <div className="ts-toolbar-right">
          <button
            type="button"
            className="ts-button"
            onClick={() => pan(-1)}
            disabled={!chartData}
            title="Move the window back by half its width"
          >
            ← Earlier
          </button>
          <button
            type="button"
            className="ts-button"
            onClick={() => pan(1)}
            disabled={!chartData}
            title="Move the window forward by half its width"
          >
            Later →
          </button>
          <button
            type="button"
            className="ts-button"
            onClick={reset}
            disabled={!zoomed}
            title="Back to the range before zooming (or double-click the chart)"
          >
            Reset zoom
          </button>
          <label className="ts-check">
            <input type="checkbox" checked={utc} onChange={(e) => toggleUtc(e.target.checked)} /> UTC
          </label>
          <label className="ts-check">
            <input
              type="checkbox"
              checked={refresh !== undefined}
              onChange={(e) => setQuery({ refresh: e.target.checked ? "10s" : undefined })}
            />{" "}
            Live
          </label>
          <select
            aria-label="Refresh interval"
            value={refresh?.value ?? "10s"}
            disabled={refresh === undefined}
            onChange={(e) => setQuery({ refresh: e.target.value })}
          >
            {REFRESH_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                every {c.label}
              </option>
            ))}
          </select>
        </div>
      </div>

      <p className="ts-status" data-testid="plot-status" aria-live="polite">
        <PlotStatus
          count={view?.count}
          columns={view?.columns}
          raw={view?.raw}
          source={view?.source}
          fetching={plot.isFetching}
        />
        {refresh && !paused && <span className="ts-live"> · Live: refreshing every {refresh.label}</span>}
        {paused && (
          <span className="ts-paused" data-testid="live-paused">
            {" "}
            · Live refresh paused while zoomed in. Reset the zoom to resume.
          </span>
        )}
      </p>

      {plot.isError && !view ? (
        <div className="ts-message ts-error" role="alert">
          <p>
            <strong>Could not load the chart.</strong> {plot.error.message}
          </p>
          <p>
            {plot.error.name === "RangeInputError"
              ? "Fix the range above, or pick a preset."
              : "Check that the server is reachable, then retry."}
          </p>
          <button type="button" className="ts-button" onClick={() => void plot.refetch()}>
            Retry
          </button>{" "}
          <button type="button" className="ts-button" onClick={() => changeRange(DEFAULT_RANGE)}>
            Show the last 1,000 points
          </button>
        </div>
      ) : plot.isPending ? (
        <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
      ) : seriesEmpty ? (
        <div className="ts-message" data-testid="chart-empty">
          <p>
            <strong>No data yet.</strong> This timeseries has no datapoints. Add the first one with the form
            below, or import a CSV or JSON file.
          </p>
          <button type="button" className="ts-button" onClick={focusAppendForm}>
            Add a datapoint
          </button>
        </div>
      ) : empty ? (
        <div className="ts-message" data-testid="chart-empty">
          <p>
            <strong>No points in {describeRange(range)}.</strong> The series has data elsewhere: pick a longer
            range or show everything.
          </p>
          <button type="button" className="ts-button" onClick={() => changeRange({ kind: "all" })}>
            Show all
          </button>
        </div>
      ) : chartData && view ? (
        <ChartBoundary onRetry={() => setLazyChart(() => makeLazyChart())}>
          <Suspense
            fallback={
              <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
            }
          >
            {plot.isError && (
              <p className="ts-error-inline" role="alert">
                Refresh failed: {plot.error.message}. Showing the last data read.
              </p>
            )}
            <LazyTimeseriesChart
              data={chartData}
              points={view.points}
              bounds={bounds}
              utc={utc}
              onZoom={zoom}
              onReset={reset}
            />
          </Suspense>
        </ChartBoundary>
      ) : null}

      <div className="ts-actions">
        <ImportExportButtons object={object} range={range} />
      </div>
    </section>
  );
}

function PlotStatus(props: {
  count?: number;
  columns?: number;
  raw?: boolean;
  source?: "server" | "browser";
  fetching: boolean;
}) {
  if (props.count === undefined) return <span>Loading…</span>;
  const points = `${formatCount(props.count)} ${props.count === 1 ? "point" : "points"}`;
  const how = props.raw
    ? ""
    : `, drawn from ${formatCount(props.columns ?? 0)} columns${
        props.source === "browser" ? " (downsampled in your browser)" : ""
      }`;
  return (
    <span data-testid="plot-count">
      {points}
      {how}
      {props.fetching ? " · updating…" : ""}
    </span>
  );
}
