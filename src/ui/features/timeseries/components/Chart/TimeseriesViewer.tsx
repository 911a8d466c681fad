/**
 * "Plot my recent data": the object page's viewer. The range lives in the URL as raw strings
 * (shared/navigation.ts), live refresh too (`refresh=10s`), so a shared link reproduces the view.
 */
import { Suspense, useEffect, useMemo, useState } from "react";
import type { HeedyObject } from "../../../../../client/index";
import { Link } from "../../../../shared/components/Link";
import { explorePath } from "../../../../shared/explore-link";
import { endFirstPaint } from "../../../../shared/first-paint";
import { useLivePushed, useLiveStatus } from "../../../../shared/live/live-events";
import { setQuery, useSearchParams } from "../../../../shared/navigation";
import { errorDetail } from "../../../../shared/notifications/notification-store";
import { PerSelect } from "../../../../shared/plot/PerSelect";
import { describePer, formatPer, perFromSearch } from "../../../../shared/plot/per";
import { usePlot } from "../../../../shared/plot/plot-read";
import { SummaryStrip } from "../../../../shared/plot/SummaryStrip";
import { buildChartData } from "../../../../shared/plot/series";
import { useClient } from "../../../../shared/session/session-store";
import { TimeControls } from "../../../../shared/time/TimeControls";
import { isZoomed, useTimeNavigation } from "../../../../shared/time/use-time-navigation";
import { DEFAULT_RANGE, describeRange, rangeFromSearch } from "../../../../shared/time/view-range";
import { useTimeZone } from "../../../../shared/time/zone";
import { useLength } from "../../api/series";
import { ImportExportButtons } from "../ImportExport/ImportExportButtons";
import "../../../../shared/plot/Chart.css";
import "../../../../shared/plot/Viewer.css";
import { liveText, plotStatusText } from "../../model/plot-status";
import { REFRESH_CHOICES, refreshFromSearch } from "../../model/refresh";
import { ChartBoundary, loadedChart, makeLazyChart, preloadChart } from "./LazyChart";

function focusAppendForm(): void {
  const field = document.querySelector<HTMLElement>(
    ".append-form input, .append-form textarea, .append-form select",
  );
  field?.scrollIntoView({ block: "center" });
  field?.focus();
}

export interface TimeseriesViewerProps {
  object: HeedyObject;
  /** Called once the viewer has its first answer on screen: the chart drawn, or a message instead. */
  onFirstView?(): void;
  /** The summary strip and the import/export row; the Data tab holds them back until onFirstView. */
  extras?: boolean;
}

export function TimeseriesViewer({ object, onFirstView, extras = true }: TimeseriesViewerProps) {
  const client = useClient();
  const query = useSearchParams();
  const range = rangeFromSearch(query);
  const refresh = refreshFromSearch(query);
  const per = perFromSearch(query);
  const zone = useTimeZone((s) => s.zone);
  const paused = refresh !== undefined && isZoomed(range);
  // With the events socket open every write reaches the chart as it happens; polling is only the
  // fallback for a server (or proxy) without it.
  const pushed = useLivePushed();
  const socketProblem = useLiveStatus((s) => s.detail);
  const polling = refresh !== undefined && !paused && !pushed;
  const live = liveText(refresh, pushed, paused);
  const plot = usePlot(
    client,
    object,
    range,
    { refetchInterval: polling ? refresh.ms : false },
    { zone, per },
  );
  const length = useLength(object);
  const [lazyChart, setLazyChart] = useState(makeLazyChart);
  // "loading" shows the skeleton rather than suspending: React holds back a Suspense reveal by up
  // to 300 ms once its fallback was shown. After a failed load the lazy chart takes over, so the
  // boundary shows the failure and its retry loads the chunk again.
  const [chartLoad, setChartLoad] = useState<"loading" | "ready" | "failed">("loading");
  const loaded = loadedChart();
  const LazyTimeseriesChart = loaded ?? (chartLoad === "failed" ? lazyChart : undefined);

  useEffect(() => {
    let mounted = true;
    preloadChart().then(
      () => mounted && setChartLoad("ready"),
      () => mounted && setChartLoad("failed"),
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
  // The window on screen: the range asked for, else the data's extent. Derived, not kept in state:
  // a state update during render re-ran the whole viewer before each first draw.
  const window =
    bounds ??
    (chartData?.first !== undefined && chartData.last !== undefined
      ? ([chartData.first, chartData.last] as const)
      : undefined);
  const nav = useTimeNavigation(range, window);
  const changeRange = nav.changeRange;

  const empty = view !== undefined && view.count === 0;
  const seriesEmpty = empty && (length.data === 0 || range.kind === "all");
  // No chart to wait for: the page's held-back parts may come at once.
  const noChart = (plot.isError && !view) || empty || chartLoad === "failed";
  useEffect(() => {
    if (!noChart) return;
    // Nothing to draw here: a first paint's chart must not stay in its place.
    endFirstPaint();
    onFirstView?.();
  }, [noChart, onFirstView]);

  return (
    <section className="ts-viewer" aria-label="Chart">
      <TimeControls range={range} nav={nav} canMove={chartData !== null}>
        <PerSelect per={per} onChange={(next) => setQuery({ per: formatPer(next) })} />
        <label
          className="ts-check"
          title={
            pushed
              ? "Changes are pushed by the server as they happen"
              : `The server's events socket is not available${socketProblem ? ` (${socketProblem})` : ""}; Live polls instead`
          }
        >
          <input
            type="checkbox"
            checked={refresh !== undefined}
            onChange={(e) => setQuery({ refresh: e.target.checked ? "10s" : undefined })}
          />{" "}
          Live{" "}
          <span className="ts-live-mode" data-testid="live-mode">
            {pushed ? "(pushed)" : "(polling)"}
          </span>
        </label>
        <select
          aria-label="Refresh interval"
          value={refresh?.value ?? "10s"}
          disabled={refresh === undefined || pushed}
          title={pushed ? "Not needed while the server pushes changes" : undefined}
          onChange={(e) => setQuery({ refresh: e.target.value })}
        >
          {REFRESH_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              every {c.label}
            </option>
          ))}
        </select>
      </TimeControls>

      <p className="ts-status" data-testid="plot-status" aria-live="polite">
        <PlotStatus
          count={view?.count}
          columns={view?.columns}
          raw={view?.raw}
          source={view?.source}
          per={view?.per ? describePer(view.per) : undefined}
          fetching={plot.isFetching}
        />
        {live?.kind === "live" && <span className="ts-live">{live.text}</span>}
        {live?.kind === "paused" && (
          <span className="ts-paused" data-testid="live-paused">
            {live.text}
          </span>
        )}
      </p>

      {plot.isError && !view ? (
        <div className="ts-message ts-error" role="alert">
          <p>
            <strong>Could not load the chart.</strong> {errorDetail(plot.error)}
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
            <strong>No points in {describeRange(range, zone)}.</strong> The series has data elsewhere: pick a
            longer range or show everything.
          </p>
          <button type="button" className="ts-button" onClick={() => changeRange({ kind: "all" })}>
            Show all
          </button>
        </div>
      ) : chartData && view && !LazyTimeseriesChart ? (
        <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
      ) : chartData && view && LazyTimeseriesChart ? (
        <ChartBoundary onRetry={() => setLazyChart(() => makeLazyChart())}>
          <Suspense
            fallback={
              <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
            }
          >
            {plot.isError && (
              <p className="ts-error-inline" role="alert">
                Refresh failed: {errorDetail(plot.error)} Showing the last data read.
              </p>
            )}
            <LazyTimeseriesChart
              data={chartData}
              points={view.points}
              bounds={bounds}
              zone={zone}
              columns={
                !view.raw && !view.per && view.counts && view.span
                  ? { counts: view.counts, span: view.span }
                  : undefined
              }
              onZoom={nav.zoom}
              onReset={nav.reset}
              onDrawn={onFirstView}
            />
          </Suspense>
        </ChartBoundary>
      ) : null}

      {extras ? (
        <>
          <SummaryStrip summary={view?.summary} />
          <div className="ts-actions">
            <ImportExportButtons object={object} range={range} />
            <Link className="ts-button" to={explorePath([{ id: object.id }], query)}>
              Add a series (Explore)
            </Link>
          </div>
        </>
      ) : (
        <div className="viewer-extras-placeholder" />
      )}
    </section>
  );
}

function PlotStatus(props: {
  count?: number;
  columns?: number;
  raw?: boolean;
  source?: "server" | "browser";
  per?: string;
  fetching: boolean;
}) {
  if (props.count === undefined) return <span>Loading…</span>;
  return (
    <span data-testid="plot-count">
      {plotStatusText({ ...props, count: props.count })}
      {props.fetching ? " · updating…" : ""}
    </span>
  );
}
