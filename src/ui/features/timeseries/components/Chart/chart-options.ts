/**
 * How the object's chart is drawn, without React: its size, scales, axes and series, and the
 * state rows drawn over it. TimeseriesChart adds the interaction (cursor, zoom, tooltip) on top;
 * a cold shared link's first paint (app/first-paint) draws the same chart before React is loaded,
 * so the two look the same when one replaces the other.
 */
import uPlot from "uplot";
import { axisValues } from "../../../../shared/plot/axis-number";
import { fewPoints, zoneDates } from "../../../../shared/plot/chart-hooks";
import type { ChartData, EventRow } from "../../../../shared/plot/series";
import { drawStateRows, stateRows } from "../../../../shared/plot/state-timeline";
import type { ChartTheme } from "../../../../shared/plot/theme";

/** Height of one state-timeline row, CSS pixels. */
export const EVENT_ROW = 24;
const LINE_HEIGHT = 320;
/** The y axis' labels, as uPlot's own but without Intl for plain English locales (axis-number.ts). */
const yValues = axisValues(typeof navigator === "undefined" ? "en-US" : navigator.language);

export function lineCount(data: ChartData): number {
  return data.series.filter((s) => s.kind === "number").length;
}

export function chartHeight(data: ChartData): number {
  const rows = stateRows(data).length * EVENT_ROW;
  return lineCount(data) > 0 ? LINE_HEIGHT + rows : Math.max(120, rows + 70);
}

export function aligned(data: ChartData): uPlot.AlignedData {
  return [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
}

/** What the drawing reads as it draws: the chart keeps it current between draws. */
export interface ChartView {
  data: ChartData;
  rows: EventRow[];
  /** The x window to show; the data's own extent when left out. */
  bounds?: readonly [number, number];
  theme: ChartTheme;
  zone: string;
}

export function xRange(view: ChartView, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (view.bounds) return [view.bounds[0], view.bounds[1]];
  const lo = view.data.first ?? min;
  const hi = view.data.last ?? max;
  if (lo === null || lo === undefined || hi === null || hi === undefined) {
    const now = Date.now() / 1000;
    return [now - 3600, now];
  }
  if (hi - lo < 1e-3) return [lo - 1, hi + 1];
  return [lo, hi];
}

function plotHeightCss(u: uPlot, fallback: number): number {
  const h = u.bbox?.height ? u.bbox.height / uPlot.pxRatio : 0;
  return h > 0 ? h : fallback;
}

function yRange(u: uPlot, view: ChartView, min: number | null, max: number | null): uPlot.Range.MinMax {
  const { data } = view;
  let lo: number;
  let hi: number;
  if (min === null || max === null) [lo, hi] = [0, 1];
  else {
    const r = uPlot.rangeNum(min, max, 0.1, true);
    lo = r[0] ?? min;
    hi = r[1] ?? max;
  }
  const eventsPx = view.rows.length * EVENT_ROW;
  if (eventsPx > 0 && lineCount(data) > 0) {
    // Keep the bottom rows of the plot free for the event strip.
    const frac = Math.min(0.6, eventsPx / plotHeightCss(u, LINE_HEIGHT - 50));
    lo = hi - (hi - lo) / (1 - frac);
  }
  return [lo, hi];
}

/**
 * The chart's options for `width` CSS pixels: `view` is read at each draw; `afterDraw` runs once
 * the state rows are drawn too.
 */
export function chartOptions(
  view: () => ChartView,
  width: number,
  afterDraw: (u: uPlot) => void,
): uPlot.Options {
  const first = view();
  const { zone } = first;
  const axisColour = () => view().theme.axis;
  const gridColour = () => view().theme.grid;
  return {
    width,
    height: chartHeight(first.data),
    tzDate: zoneDates(zone),
    legend: { show: false },
    scales: {
      x: { time: true, range: (_u, min, max) => xRange(view(), min, max) },
      y: { range: (u, min, max) => yRange(u, view(), min, max) },
    },
    axes: [
      {
        stroke: axisColour,
        grid: { stroke: gridColour, width: 1 },
        ticks: { stroke: gridColour, width: 1 },
      },
      {
        show: lineCount(first.data) > 0,
        stroke: axisColour,
        grid: { stroke: gridColour, width: 1 },
        ticks: { stroke: gridColour, width: 1 },
        size: 64,
        values: yValues,
      },
    ],
    series: [
      {},
      ...first.data.series.map(
        (s, i): uPlot.Series => ({
          label: s.label,
          stroke: () => view().theme.series[i % 8]!,
          // Booleans are drawn as state timelines, not lines.
          show: s.kind === "number",
          width: first.data.hasDurations ? 2.5 : 1.5,
          spanGaps: false,
          points: { show: fewPoints },
        }),
      ),
    ],
    hooks: {
      draw: [
        (u) => {
          const v = view();
          drawStateRows(u, v.rows, v.theme, EVENT_ROW, v.bounds?.[1], uPlot.pxRatio);
          afterDraw(u);
        },
      ],
    },
  };
}
