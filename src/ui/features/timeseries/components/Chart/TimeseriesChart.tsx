// biome-ignore-all lint/a11y/noNoninteractiveTabindex: the plot takes focus for its zoom and pan keys.
// biome-ignore-all lint/a11y/useSemanticElements: a <fieldset> would be wrong for a chart; role=group names it.
/**
 * The uPlot chart. Following uPlot's guidance it is created once per set of series (the `shape`
 * of the data, or the time zone) and then only fed with `setData` / `setSize`; a ResizeObserver
 * keeps it as wide as its container. Loaded lazily (see LazyChart.tsx), so uPlot stays out of the
 * initial bundle.
 *
 * Interaction: drag horizontally to select a window (handed to `onZoom`, which refetches it at full
 * resolution), double-click to reset, hover for a tooltip (on a downsampled chart: the column's
 * min, max, first, last and point count). The legend toggles series. Strings, enums and booleans
 * are state timelines (shared/plot/state-timeline.ts) with a colour legend. Without a mouse: once
 * focused, `+`/`-` zoom and the arrows pan; on touch, pinch or double-tap zooms and two fingers pan
 * (model/chart-navigation.ts). A text summary names the visible range.
 */
import {
  type KeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Datapoint } from "../../../../../core/resources";
import { endFirstPaint } from "../../../../shared/first-paint";
import "../../../../shared/plot/Chart.css";
import { placeTooltip, zoomOnSelect } from "../../../../shared/plot/chart-hooks";
import { StateColours } from "../../../../shared/plot/StateColours";
import { type ChartData, type EventRow, indexAtOrBefore } from "../../../../shared/plot/series";
import { stateEnd, stateRows } from "../../../../shared/plot/state-timeline";
import { readTheme, watchTheme } from "../../../../shared/plot/theme";
import { formatDuration, formatTime, formatValue } from "../../../../shared/time/format";
import {
  keyWindow,
  type PinchStart,
  pinchWindow,
  tapZoomWindow,
  type Window,
} from "../../model/chart-navigation";
import { aligned, type ChartView, chartHeight, chartOptions, xRange } from "./chart-options";

export interface TimeseriesChartProps {
  data: ChartData;
  /** The datapoints `data` was built from (for the tooltip's duration). */
  points: readonly Datapoint[];
  /** The x window to show (a time range); the data's own extent when left out. */
  bounds?: readonly [number, number];
  zone: string;
  /** Points per pixel column over `span`, when the data was downsampled. */
  columns?: { counts: readonly number[]; span: readonly [number, number] };
  onZoom(t1: number, t2: number): void;
  onReset(): void;
  /** Called after every draw (the first one reveals what the page held back for it). */
  onDrawn?(): void;
}

interface Live extends ChartView {
  columns?: TimeseriesChartProps["columns"];
  points: readonly Datapoint[];
  onZoom(t1: number, t2: number): void;
  onReset(): void;
  onDrawn?(): void;
  onHover(index: number | null): void;
}

let drawCount = 0;

/** Nearest x index to time t. */
function nearestIndex(xs: readonly number[], t: number): number {
  const i = indexAtOrBefore(xs, t);
  if (i < 0) return xs.length > 0 ? 0 : -1;
  if (i + 1 < xs.length && xs[i + 1]! - t < t - xs[i]!) return i + 1;
  return i;
}

function pointAt(data: ChartData, index: number): number {
  for (let i = index; i >= 0; i--) if (data.pointIndex[i]! >= 0) return data.pointIndex[i]!;
  return -1;
}

function fillTooltip(tip: HTMLDivElement, u: uPlot, live: Live, left: number): number | null {
  const { data, points } = live;
  const t = u.posToVal(left, "x");
  const xi = nearestIndex(data.x, t);
  const pi = xi < 0 ? -1 : pointAt(data, xi);
  const lines: [string, string, string | null][] = [];
  let title = formatTime(t, live.zone);
  const column = columnAt(live, t);
  if (column) {
    // A downsampled column: what it holds, not just the one kept point nearest the cursor.
    title = `${formatTime(column.start, live.zone)} · column of ${column.count.toLocaleString("en-US")} points`;
    const from = Math.max(0, indexAtOrBefore(data.x, column.start - 1e-9) + 1);
    data.series.forEach((s, i) => {
      if (s.kind !== "number" || !u.series[i + 1]?.show) return;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let first: number | null = null;
      let last: number | null = null;
      for (let k = from; k < data.x.length && data.x[k]! < column.end; k++) {
        const v = s.values[k];
        if (v === null || v === undefined || data.pointIndex[k]! < 0) continue;
        first ??= v;
        last = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (first === null) return;
      const f = (v: number | null) => formatValue(v, "number");
      lines.push([
        s.label,
        `min ${f(min)} · max ${f(max)} · first ${f(first)} · last ${f(last)}`,
        `var(--chart-series-${i % 8})`,
      ]);
    });
  } else if (pi >= 0) {
    const p = points[pi]!;
    title = formatTime(p.t, live.zone);
    if ((p.dt ?? 0) > 0) title += ` · for ${formatDuration(p.dt!)}`;
    data.series.forEach((s, i) => {
      if (s.kind !== "number" || !u.series[i + 1]?.show) return;
      lines.push([s.label, formatValue(s.values[xi] ?? null, s.kind), `var(--chart-series-${i % 8})`]);
    });
  }
  const end = live.bounds?.[1] ?? u.scales.x?.max ?? t;
  for (const row of live.rows) {
    const e = stateAt(row, t, end);
    if (e >= 0) lines.push([row.label, row.text[e]!, null]);
  }
  tip.replaceChildren();
  const head = document.createElement("div");
  head.className = "ts-tooltip-time";
  head.textContent = title;
  tip.append(head);
  for (const [label, value, colour] of lines) {
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
  }
  return xi < 0 ? null : xi;
}

/** The state of a row at time t (it lasts until the next point), or -1. */
function stateAt(row: EventRow, t: number, rangeEnd: number): number {
  const i = indexAtOrBefore(row.t, t);
  return i >= 0 && t < stateEnd(row, i, rangeEnd) ? i : -1;
}

/** The downsampled column under time t, when the chart shows one (more than 4 points in it). */
function columnAt(live: Live, t: number): { start: number; end: number; count: number } | null {
  const c = live.columns;
  if (!c || c.counts.length === 0) return null;
  const [a, b] = c.span;
  if (!(b > a)) return null;
  const width = (b - a) / c.counts.length;
  const k = Math.min(c.counts.length - 1, Math.max(0, Math.floor((t - a) / width)));
  const count = c.counts[k] ?? 0;
  if (count <= 4) return null;
  return { start: a + k * width, end: a + (k + 1) * width, count };
}

export default function TimeseriesChart(props: TimeseriesChartProps) {
  const { data, zone } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const uRef = useRef<uPlot | null>(null);
  const shownData = useRef<ChartData | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const rows = useMemo(() => stateRows(data), [data]);
  const live = useRef<Live>({
    ...props,
    rows,
    theme: readTheme(document.documentElement),
    onHover: () => {},
  });
  live.current = { ...live.current, ...props, rows };
  const height = chartHeight(data);
  const summaryId = useId();

  const hoverFrame = useRef(0);
  live.current.onHover = useCallback((index: number | null) => {
    cancelAnimationFrame(hoverFrame.current);
    hoverFrame.current = requestAnimationFrame(() => setHover(index));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the series set, zone or height change; data flows in through setData below.
  useLayoutEffect(() => {
    const wrap = wrapRef.current!;
    const target = plotRef.current!;
    live.current.theme = readTheme(wrap);
    const L = live.current;
    const tooltip = document.createElement("div");
    tooltip.className = "ts-tooltip";
    tooltip.hidden = true;
    tooltip.setAttribute("role", "tooltip");
    const opts = chartOptions(
      () => live.current,
      target.clientWidth || 600,
      () => {
        drawCount++;
        wrap.dataset.draws = String(drawCount);
        performance.mark?.("heedy:chart-drawn");
        // Drawn, so a cold link's first paint of this chart has served (a no-op otherwise).
        endFirstPaint();
        live.current.onDrawn?.();
      },
    );
    opts.cursor = {
      drag: { x: true, y: false, setScale: false },
      bind: { dblclick: () => () => null },
      points: { size: 7 },
    };
    opts.hooks = {
      ...opts.hooks,
      setSelect: [zoomOnSelect((t1, t2) => live.current.onZoom(t1, t2))],
      setCursor: [
        (u) => {
          const tip = tooltip;
          if (!tip.isConnected) return;
          const left = u.cursor.left ?? -1;
          if (left < 0 || live.current.data.x.length === 0) {
            tip.hidden = true;
            live.current.onHover(null);
            return;
          }
          const index = fillTooltip(tip, u, live.current, left);
          tip.hidden = false;
          placeTooltip(u, tip, left);
          live.current.onHover(index);
        },
      ],
    };
    const u = new uPlot(opts, aligned(L.data), target);
    uRef.current = u;
    shownData.current = L.data;
    u.over.append(tooltip);
    const onDblClick = (e: MouseEvent) => {
      e.preventDefault();
      live.current.onReset();
    };
    u.over.addEventListener("dblclick", onDblClick);
    const removeTouch = bindTouch(u, live);
    const resize = () => {
      const w = target.clientWidth;
      if (w > 0 && w !== u.width) u.setSize({ width: w, height });
    };
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(resize);
    observer?.observe(target);
    const unwatch = watchTheme(() => {
      live.current.theme = readTheme(wrap);
      u.redraw(false);
    });
    // A new chart shows every series; on the first one nothing was hidden, so no second render.
    setHidden((h) => (h.size === 0 ? h : new Set()));
    return () => {
      observer?.disconnect();
      unwatch();
      u.over.removeEventListener("dblclick", onDblClick);
      removeTouch();
      u.destroy();
      uRef.current = null;
      shownData.current = null;
    };
  }, [data.shape, zone, height]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new bounds re-apply the x range even when the data is the same.
  useEffect(() => {
    const u = uRef.current;
    if (!u) return;
    if (shownData.current !== data) {
      shownData.current = data;
      u.setData(aligned(data), true);
    } else {
      // Same data with new bounds (or first render): re-apply the x range.
      u.setScale("x", {
        min: xRange(live.current, null, null)[0]!,
        max: xRange(live.current, null, null)[1]!,
      });
    }
  }, [data, props.bounds?.[0], props.bounds?.[1]]);

  const toggle = (i: number) => {
    const u = uRef.current;
    const next = new Set(hidden);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setHidden(next);
    u?.setSeries(i + 1, { show: !next.has(i) });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    // The window the chart shows: the viewer's bounds, else the data's extent.
    const [min, max] = xRange(live.current, null, null);
    if (min === undefined || max === undefined || min === null || max === null) return;
    const next = keyWindow(e.key, [min, max]);
    if (next === null) return;
    e.preventDefault();
    if (next === "reset") props.onReset();
    else props.onZoom(next[0], next[1]);
  };

  return (
    <div className="ts-chart" ref={wrapRef} data-testid="chart">
      <div
        className="ts-chart-plot"
        ref={plotRef}
        tabIndex={0}
        role="group"
        aria-roledescription="chart"
        aria-label="Chart. Plus and minus zoom, the arrow keys move in time, Escape resets."
        aria-describedby={summaryId}
        onKeyDown={onKeyDown}
      />
      <p className="ts-summary" id={summaryId} aria-live="polite" data-testid="chart-summary">
        {rangeSummary(data, props.bounds, zone)}
      </p>
      <ul className="ts-legend" aria-label="Legend">
        {data.series.map((s, i) => {
          if (s.kind !== "number") return null;
          const value = hover !== null ? s.values[hover] : lastValue(s.values);
          return (
            <li key={s.field}>
              <button
                type="button"
                className="ts-legend-item"
                aria-pressed={!hidden.has(i)}
                title={hidden.has(i) ? `Show ${s.label}` : `Hide ${s.label}`}
                onClick={() => toggle(i)}
              >
                <span className="ts-swatch" style={{ background: `var(--chart-series-${i % 8})` }} />
                <span className="ts-legend-label">{s.label}</span>{" "}
                <span className="ts-legend-value">{formatValue(value ?? null, s.kind)}</span>
              </button>
            </li>
          );
        })}
        {rows.map((row) => (
          <li key={`states:${row.field}`} className="ts-legend-events">
            <span className="ts-legend-label">{row.label}</span>{" "}
            <span className="ts-legend-value">
              {hover !== null ? stateTextAt(row, data.x[hover]) : (row.text[row.text.length - 1] ?? "–")}
            </span>
            <StateColours row={row} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i]!;
  return null;
}

function stateTextAt(row: EventRow, t: number | undefined): string {
  if (t === undefined) return "–";
  const i = stateAt(row, t, Number.POSITIVE_INFINITY);
  return i >= 0 ? row.text[i]! : "–";
}

/** The visible range in words, with each line series' lowest and highest value in it. */
export function rangeSummary(
  data: ChartData,
  bounds: readonly [number, number] | undefined,
  zone: string,
): string {
  const lo = bounds?.[0] ?? data.first;
  const hi = bounds?.[1] ?? data.last;
  if (lo === undefined || hi === undefined) return "No data in view.";
  const parts = [`Showing ${formatTime(lo, zone)} to ${formatTime(hi, zone)}`];
  for (const s of data.series.slice(0, 4)) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = Math.max(0, indexAtOrBefore(data.x, lo)); i < data.x.length && data.x[i]! <= hi; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || data.x[i]! < lo) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min <= max) {
      parts.push(
        min === max
          ? `${s.label} ${formatValue(min, s.kind)}`
          : `${s.label} from ${formatValue(min, s.kind)} to ${formatValue(max, s.kind)}`,
      );
    }
  }
  return `${parts.join("; ")}.`;
}

/** Double taps closer than this (ms, CSS px) zoom in. */
const DOUBLE_TAP_MS = 300;
const DOUBLE_TAP_PX = 30;

/**
 * Touch: two fingers pinch to zoom and move together to pan, drawn live and committed through
 * `onZoom` when a finger lifts; a double tap zooms in around the tapped time. One finger still
 * scrolls the page (CSS `touch-action: pan-y`).
 */
function bindTouch(u: uPlot, live: { current: Live }): () => void {
  const over = u.over;
  let pinch: PinchStart | null = null;
  let shown: Window | null = null;
  let lastTap = { time: 0, x: 0 };
  const x = (t: Touch) => t.clientX - over.getBoundingClientRect().left;
  const current = (): Window | null => {
    const min = u.scales.x?.min;
    const max = u.scales.x?.max;
    return min === undefined || max === undefined || min === null || max === null ? null : [min, max];
  };
  const onStart = (e: TouchEvent) => {
    if (e.touches.length !== 2) return;
    const w = current();
    if (!w) return;
    e.preventDefault();
    const a = x(e.touches[0]!);
    const b = x(e.touches[1]!);
    pinch = { window: w, width: over.clientWidth || 1, spread: Math.abs(a - b), centre: (a + b) / 2 };
    shown = null;
  };
  const onMove = (e: TouchEvent) => {
    if (!pinch || e.touches.length !== 2) return;
    e.preventDefault();
    const a = x(e.touches[0]!);
    const b = x(e.touches[1]!);
    shown = pinchWindow(pinch, Math.abs(a - b), (a + b) / 2);
    // Drawn at once; the xRange hook follows `bounds`, so it must show the gesture's window too.
    live.current = { ...live.current, bounds: shown };
    u.setScale("x", { min: shown[0], max: shown[1] });
  };
  const onEnd = (e: TouchEvent) => {
    if (pinch) {
      if (e.touches.length < 2) {
        const w = shown;
        pinch = null;
        shown = null;
        if (w && w[1] > w[0]) live.current.onZoom(w[0], w[1]);
      }
      return;
    }
    const touch = e.changedTouches[0];
    if (e.touches.length > 0 || e.changedTouches.length !== 1 || !touch) return;
    const now = e.timeStamp;
    const at = x(touch);
    if (now - lastTap.time < DOUBLE_TAP_MS && Math.abs(at - lastTap.x) < DOUBLE_TAP_PX) {
      // Also stops the browser's synthetic dblclick, which would reset the zoom.
      e.preventDefault();
      lastTap = { time: 0, x: 0 };
      const w = current();
      if (w) {
        const zoomed = tapZoomWindow(w, u.posToVal(at, "x"));
        live.current.onZoom(zoomed[0], zoomed[1]);
      }
      return;
    }
    lastTap = { time: now, x: at };
  };
  over.addEventListener("touchstart", onStart, { passive: false });
  over.addEventListener("touchmove", onMove, { passive: false });
  over.addEventListener("touchend", onEnd, { passive: false });
  over.addEventListener("touchcancel", onEnd);
  return () => {
    over.removeEventListener("touchstart", onStart);
    over.removeEventListener("touchmove", onMove);
    over.removeEventListener("touchend", onEnd);
    over.removeEventListener("touchcancel", onEnd);
  };
}
