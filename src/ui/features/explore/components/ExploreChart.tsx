/**
 * Explore's uPlot chart: one time axis, a y axis per unit or schema (left, right, then left
 * again), normalised series on a hidden 0–1 scale, and state timelines in rows at the bottom of
 * the same plot, so one crosshair and one tooltip cover every series. Created once per `shape`
 * and fed with setData, like the Data tab's chart. Drag zooms, double-click resets.
 */
import { useEffect, useLayoutEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { fewPoints, placeTooltip, zoneDates, zoomOnSelect } from "../../../shared/plot/chart-hooks";
import { drawStateRows } from "../../../shared/plot/state-timeline";
import { type ChartTheme, readTheme, watchTheme } from "../../../shared/plot/theme";
import "../../../shared/plot/Chart.css";
import type { ZoneChoice } from "../../../shared/time/calendar";
import { formatTime, formatValue } from "../../../shared/time/format";
import type { ExploreChartData, ExploreRow } from "../model/explore-chart";
import { rowTextAt, valueAt } from "../model/values-at";

const ROW = 26;
const LINES = 340;

export interface ExploreChartProps {
  chart: ExploreChartData;
  hidden: ReadonlySet<string>;
  bounds?: readonly [number, number];
  zone: ZoneChoice;
  onZoom(t1: number, t2: number): void;
  onReset(): void;
  onHover(t: number | null): void;
}

interface Live extends ExploreChartProps {
  theme: ChartTheme;
  rows: ExploreRow[];
}

function height(chart: ExploreChartData): number {
  const rows = chart.rows.length * ROW;
  return chart.lines.length > 0 ? LINES + rows : Math.max(140, rows + 70);
}

function visibleRows(live: Live): ExploreRow[] {
  return live.chart.rows.filter((r) => !live.hidden.has(r.key));
}

function fillTooltip(tip: HTMLDivElement, live: Live, t: number, end: number): void {
  tip.replaceChildren();
  const head = document.createElement("div");
  head.className = "ts-tooltip-time";
  head.textContent = formatTime(t, live.zone);
  tip.append(head);
  const add = (label: string, value: string, colour: string | null) => {
    const line = document.createElement("div");
    line.className = "ts-tooltip-line";
    const swatch = document.createElement("span");
    swatch.className = "ts-swatch";
    if (colour) swatch.style.background = colour;
    const name = document.createElement("span");
    name.textContent = `${label}: `;
    const val = document.createElement("b");
    val.textContent = value.length > 80 ? `${value.slice(0, 79)}…` : value;
    line.append(swatch, name, val);
    tip.append(line);
  };
  for (const l of live.chart.lines) {
    if (live.hidden.has(l.key)) continue;
    const v = valueAt(l.x, l.values, t);
    add(
      l.normalised ? `${l.name} (normalised)` : l.name,
      formatValue(v, "number"),
      `var(--chart-series-${l.colour % 8})`,
    );
  }
  for (const r of visibleRows(live)) add(r.label, rowTextAt(r, t, end) ?? "–", null);
}

export default function ExploreChart(props: ExploreChartProps) {
  const { chart } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const uRef = useRef<uPlot | null>(null);
  const live = useRef<Live>({ ...props, theme: readTheme(document.documentElement), rows: [] });
  live.current = { ...live.current, ...props, rows: chart.rows };
  const h = height(chart);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the set of series, the zone or the height change; data flows in through setData.
  useLayoutEffect(() => {
    const wrap = wrapRef.current!;
    const target = plotRef.current!;
    live.current.theme = readTheme(wrap);
    const C = live.current.chart;
    const tooltip = document.createElement("div");
    tooltip.className = "ts-tooltip";
    tooltip.hidden = true;
    tooltip.setAttribute("role", "tooltip");
    const axisColour = () => live.current.theme.axis;
    const gridColour = () => live.current.theme.grid;
    const zone = props.zone;
    const scales: uPlot.Scales = {
      x: {
        time: true,
        range: (_u, min, max) => {
          const L = live.current;
          if (L.bounds) return [L.bounds[0], L.bounds[1]];
          const lo = L.chart.first ?? min;
          const hi = L.chart.last ?? max;
          if (lo === null || hi === null || lo === undefined || hi === undefined)
            return [Date.now() / 1000 - 3600, Date.now() / 1000];
          return hi - lo < 1e-3 ? [lo - 1, hi + 1] : [lo, hi];
        },
      },
    };
    const rowShare = (u: uPlot) => {
      const px = visibleRows(live.current).length * ROW;
      const plotH = u.bbox?.height ? u.bbox.height / uPlot.pxRatio : LINES - 50;
      return px > 0 ? Math.min(0.6, px / plotH) : 0;
    };
    const yRange = (u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
      let lo = min ?? 0;
      let hi = max ?? 1;
      if (min !== null && max !== null) {
        const r = uPlot.rangeNum(min, max, 0.1, true);
        lo = r[0] ?? min;
        hi = r[1] ?? max;
      }
      const frac = rowShare(u);
      return [hi - (hi - lo) / (1 - frac), hi];
    };
    for (const a of C.axes) scales[a.id] = { range: (u, min, max) => yRange(u, min, max) };
    scales.norm = { range: (u) => yRange(u, -0.05, 1.05) };
    const axes: uPlot.Axis[] = [
      { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } },
      ...C.axes.map(
        (a, i): uPlot.Axis => ({
          scale: a.id,
          side: i % 2 === 0 ? 3 : 1,
          label: a.label || undefined,
          labelSize: a.label ? 18 : 0,
          stroke: axisColour,
          grid: { show: i === 0, stroke: gridColour, width: 1 },
          ticks: { stroke: gridColour, width: 1 },
          size: 54,
        }),
      ),
    ];
    const opts: uPlot.Options = {
      width: target.clientWidth || 600,
      height: h,
      tzDate: zoneDates(zone),
      legend: { show: false },
      cursor: {
        drag: { x: true, y: false, setScale: false },
        bind: { dblclick: () => () => null },
        points: { size: 7 },
      },
      scales,
      axes,
      series: [
        {},
        ...C.lines.map(
          (l): uPlot.Series => ({
            label: l.name,
            scale: l.scale,
            stroke: () => live.current.theme.series[l.colour % 8]!,
            width: 1.5,
            dash: l.normalised ? [6, 3] : undefined,
            paths: l.steps ? uPlot.paths.stepped!({ align: 1 }) : undefined,
            spanGaps: false,
            show: !live.current.hidden.has(l.key),
            points: { show: fewPoints },
          }),
        ),
      ],
      hooks: {
        setSelect: [zoomOnSelect((t1, t2) => live.current.onZoom(t1, t2))],
        setCursor: [
          (u) => {
            const left = u.cursor.left ?? -1;
            if (left < 0) {
              tooltip.hidden = true;
              live.current.onHover(null);
              return;
            }
            const t = u.posToVal(left, "x");
            fillTooltip(tooltip, live.current, t, live.current.bounds?.[1] ?? u.scales.x?.max ?? t);
            tooltip.hidden = false;
            placeTooltip(u, tooltip, left);
            live.current.onHover(t);
          },
        ],
        draw: [
          (u) => {
            drawStateRows(
              u,
              visibleRows(live.current),
              live.current.theme,
              ROW,
              live.current.bounds?.[1],
              uPlot.pxRatio,
            );
            wrap.dataset.draws = String(Number(wrap.dataset.draws ?? 0) + 1);
            performance.mark?.("heedy:explore-drawn");
          },
        ],
      },
    };
    const u = new uPlot(opts, [C.x, ...C.aligned] as uPlot.AlignedData, target);
    uRef.current = u;
    u.over.append(tooltip);
    const onDblClick = (e: MouseEvent) => {
      e.preventDefault();
      live.current.onReset();
    };
    u.over.addEventListener("dblclick", onDblClick);
    const resize = () => {
      const w = target.clientWidth;
      if (w > 0 && w !== u.width) u.setSize({ width: w, height: h });
    };
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(resize);
    observer?.observe(target);
    const unwatch = watchTheme(() => {
      live.current.theme = readTheme(wrap);
      u.redraw(false);
    });
    return () => {
      observer?.disconnect();
      unwatch();
      u.over.removeEventListener("dblclick", onDblClick);
      u.destroy();
      uRef.current = null;
    };
  }, [chart.shape, props.zone, h]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new bounds re-apply the x range.
  useEffect(() => {
    const u = uRef.current;
    if (!u) return;
    u.setData([chart.x, ...chart.aligned] as uPlot.AlignedData, true);
  }, [chart, props.bounds?.[0], props.bounds?.[1]]);

  useEffect(() => {
    const u = uRef.current;
    if (!u) return;
    chart.lines.forEach((l, i) => {
      const show = !props.hidden.has(l.key);
      if (u.series[i + 1]?.show !== show) u.setSeries(i + 1, { show });
    });
    u.redraw(false);
  }, [props.hidden, chart]);

  return (
    <div className="ts-chart explore-chart" ref={wrapRef} data-testid="explore-chart">
      <div className="ts-chart-plot" ref={plotRef} />
    </div>
  );
}
