/**
 * Explore (`/explore`): several series on one chart. The view lives in the URL (series, fields,
 * range, aggregation); each series is one plot read, all in parallel. The legend names each
 * series by its object, shows its colour and its value under the cursor (or its last value); a
 * click toggles it, a modifier-click isolates it. Strings, enums and booleans are state rows.
 */
import { lazy, type MouseEvent, Suspense, useMemo, useRef, useState } from "react";
import { type HeedyObject, Timeseries } from "../../../../client/index";
import type { JsonSchema } from "../../../../core/resources";
import { formatSeriesRef, type SeriesRef } from "../../../shared/explore-link";
import { useDocumentTitle } from "../../../shared/hooks/use-document-title";
import { navigate, pushQuery, useSearchParams } from "../../../shared/navigation";
import { PerSelect } from "../../../shared/plot/PerSelect";
import { describePer, formatPer } from "../../../shared/plot/per";
import { StateColours } from "../../../shared/plot/StateColours";
import { SummaryStrip } from "../../../shared/plot/SummaryStrip";
import { useClient } from "../../../shared/session/session-store";
import { formatCount, formatValue } from "../../../shared/time/format";
import { TimeControls } from "../../../shared/time/TimeControls";
import { useTimeNavigation } from "../../../shared/time/use-time-navigation";
import { describeRange, resolveRange } from "../../../shared/time/view-range";
import { useTimeZone } from "../../../shared/time/zone";
import { useExploreSeries } from "../api/explore-data";
import { alignedCsv } from "../model/align";
import { fieldSchema, planAxes } from "../model/axes";
import { buildExploreChart, type ExploreChartData, seriesKind } from "../model/explore-chart";
import { exploreFromSearch, withSeries } from "../model/explore-url";
import { lineValueAt, rowTextAt } from "../model/values-at";
import { SeriesPicker } from "./SeriesPicker";
import "./Explore.css";

const LazyExploreChart = lazy(() => import("./ExploreChart"));

function seriesName(ref: SeriesRef, object: HeedyObject | undefined): string {
  const base = object?.name ?? ref.id;
  return ref.field === undefined ? base : `${base} · ${ref.field}`;
}

function valueSchema(ref: SeriesRef, object: HeedyObject | undefined): JsonSchema | undefined {
  const schema = object?.meta?.schema as JsonSchema | undefined;
  return ref.field === undefined ? schema : fieldSchema(schema, ref.field);
}

function setSeries(query: URLSearchParams, series: readonly string[]): void {
  const next = withSeries(query, series);
  navigate(`/explore?${next.toString()}`);
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExplorePage() {
  useDocumentTitle("Explore");
  const client = useClient();
  const query = useSearchParams();
  const view = useMemo(() => exploreFromSearch(query), [query]);
  const zone = useTimeZone((s) => s.zone);
  const series = useExploreSeries(client, view.series, view.range, zone, view.per);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hoverT, setHoverT] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const ready = series.filter((s) => s.plot && s.object);
  const planKey = ready
    .map((s) => `${s.key}:${JSON.stringify(valueSchema(s.ref, s.object) ?? null)}`)
    .join("|");
  const dataKey = ready.map((s) => `${s.key}@${s.plot?.fetchedAt ?? 0}`).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the ready series and their schemas.
  const plan = useMemo(
    () =>
      planAxes(
        // Only lines need a y axis; state rows sit below them.
        ready
          .filter((s) => seriesKind(s.plot!.points) === "number")
          .map((s) => ({ key: s.key, schema: valueSchema(s.ref, s.object) })),
      ),
    [planKey],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when any plot or the plan changes.
  const chart = useMemo(
    () =>
      buildExploreChart(
        ready.map((s) => ({ key: s.key, name: seriesName(s.ref, s.object), points: s.plot!.points })),
        plan,
      ),
    [dataKey, plan],
  );
  const resolved = ready[0]?.plot?.resolved;
  const bounds =
    resolved?.t1 !== undefined && resolved.t2 !== undefined
      ? ([resolved.t1, resolved.t2] as const)
      : undefined;
  // While a new range or series loads, the last complete view stays drawn (no skeleton flash).
  const complete = ready.length > 0 && ready.length === series.length;
  const lastComplete = useRef<{ chart: ExploreChartData; bounds?: readonly [number, number] } | null>(null);
  if (complete) lastComplete.current = { chart, bounds };
  const drawn = complete
    ? { chart, bounds }
    : (lastComplete.current ?? (ready.length > 0 ? { chart, bounds } : null));
  const shown =
    bounds ??
    (chart.first !== undefined && chart.last !== undefined
      ? ([chart.first, chart.last] as const)
      : undefined);
  const nav = useTimeNavigation(view.range, shown);
  const keys = view.series.map(formatSeriesRef);

  const onLegendClick = (key: string, e: MouseEvent) => {
    const isolate = e.ctrlKey || e.metaKey || e.shiftKey || e.altKey;
    if (isolate) {
      const others = keys.filter((k) => k !== key);
      const alreadyIsolated = !hidden.has(key) && others.every((k) => hidden.has(k));
      setHidden(alreadyIsolated ? new Set() : new Set(others));
      return;
    }
    const next = new Set(hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setHidden(next);
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const range = resolveRange(view.range, new Date(), zone);
      const columns = await Promise.all(
        ready.map(async (s) => {
          const name = seriesName(s.ref, s.object);
          // Aggregated: the windows on screen. Raw: every point of the range, read in full.
          if (view.per) return { name, points: s.plot!.points };
          const ts = new Timeseries(client, s.object!);
          const points = await ts.query({ t1: range.t1, t2: range.t2, i1: range.i1 });
          const field = s.ref.field;
          return {
            name,
            points:
              field === undefined
                ? points
                : points.map((p) => ({ ...p, d: (p.d as Record<string, unknown> | null)?.[field] })),
          };
        }),
      );
      download("explore.csv", alignedCsv(columns));
    } catch (err) {
      setExportError((err as Error).message);
    } finally {
      setExporting(false);
    }
  };

  const loading = series.some((s) => s.loading);
  const errors = series.filter((s) => s.error);
  const totalPoints = ready.reduce((n, s) => n + (s.plot?.count ?? 0), 0);

  return (
    <div className="page explore-page">
      <header className="page-header">
        <div>
          <h1>Explore</h1>
          <p className="muted" data-testid="explore-status" aria-live="polite">
            {view.series.length === 0
              ? "Add series below to compare them on one chart."
              : loading
                ? "Loading…"
                : `${view.series.length} series · ${formatCount(totalPoints)} points in ${describeRange(view.range, zone)} · ${describePer(view.per)}`}
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            disabled={ready.length === 0 || exporting}
            onClick={() => void exportCsv()}
          >
            {exporting ? "Exporting…" : "Export CSV"}
          </button>
        </div>
      </header>

      <section className="ts-viewer" aria-label="Chart">
        <TimeControls range={view.range} nav={nav} canMove={ready.length > 0}>
          <PerSelect per={view.per} onChange={(next) => pushQuery({ per: formatPer(next) })} />
        </TimeControls>
        {exportError && (
          <p className="field-error" role="alert">
            Export failed: {exportError}
          </p>
        )}
        {errors.map((s) => (
          <p key={s.key} className="ts-error-inline" role="alert">
            {seriesName(s.ref, s.object)}: {s.error!.message}
          </p>
        ))}
        {drawn ? (
          <Suspense
            fallback={
              <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
            }
          >
            <LazyExploreChart
              chart={drawn.chart}
              hidden={hidden}
              bounds={drawn.bounds}
              zone={zone}
              onZoom={nav.zoom}
              onReset={nav.reset}
              onHover={setHoverT}
            />
          </Suspense>
        ) : view.series.length > 0 && loading ? (
          <div className="ts-skeleton" role="status" aria-busy="true" aria-label="Loading chart" />
        ) : null}

        {view.series.length > 0 && (
          <ul className="ts-legend explore-legend" aria-label="Legend">
            {series.map((s, i) => {
              const name = seriesName(s.ref, s.object);
              const line = chart.lines.find((l) => l.key === s.key);
              const rows = chart.rows.filter((r) => r.key === s.key);
              const t = hoverT ?? chart.last ?? 0;
              const value = line
                ? formatValue(lineValueAt(chart, s.key, hoverT ?? Number.POSITIVE_INFINITY), "number")
                : rows.length > 0
                  ? (rowTextAt(rows[0]!, t, Number.POSITIVE_INFINITY) ?? "–")
                  : "–";
              return (
                <li key={s.key}>
                  <button
                    type="button"
                    className="ts-legend-item"
                    aria-pressed={!hidden.has(s.key)}
                    title={`Click to ${hidden.has(s.key) ? "show" : "hide"}; Ctrl/Shift-click to show only ${name}`}
                    onClick={(e) => onLegendClick(s.key, e)}
                  >
                    <span
                      className="ts-swatch"
                      style={{
                        background:
                          line || rows.length === 0 ? `var(--chart-series-${i % 8})` : "transparent",
                      }}
                    />
                    <span className="ts-legend-label">{name}</span>{" "}
                    <span className="ts-legend-value">{value}</span>
                    {line?.normalised && <span className="muted small"> (normalised)</span>}
                  </button>
                  {rows.map((r) => (
                    <StateColours key={r.label} row={r} />
                  ))}
                  <button
                    type="button"
                    className="button subtle icon"
                    aria-label={`Remove ${name}`}
                    onClick={() =>
                      setSeries(
                        query,
                        keys.filter((k) => k !== s.key),
                      )
                    }
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}

        <div className="explore-summaries">
          {ready.map((s) => (
            <SummaryStrip key={s.key} summary={s.plot?.summary} label={seriesName(s.ref, s.object)} />
          ))}
        </div>
      </section>

      <SeriesPicker
        present={new Set(keys)}
        onAdd={(ref) => setSeries(query, [...keys, formatSeriesRef(ref)])}
      />
    </div>
  );
}

export default ExplorePage;
