/**
 * State timelines (Home Assistant's history bars): a string, enum or boolean series drawn as one
 * row of coloured bars, each state lasting until the next point (or for its `dt` when it has one),
 * the last one until the range ends. Labels are written inside a bar where they fit, and a colour
 * legend lists the values. Shared by the Data tab and Explore; drawn onto uPlot's canvas.
 */
import type uPlot from "uplot";
import { type ChartData, type EventRow, eventColour, indexAtOrBefore } from "./series";
import type { ChartTheme } from "./theme";

export interface StateSegment {
  start: number;
  end: number;
  /** Index of the point in the row. */
  index: number;
}

/**
 * Where each state of a row starts and ends: a point with a duration lasts `dt`, any other until
 * the next point, and the last one until `rangeEnd` (never before its own start).
 */
export function stateEnd(row: Pick<EventRow, "t" | "dt">, i: number, rangeEnd: number): number {
  const t = row.t[i]!;
  const dt = row.dt[i] ?? 0;
  if (dt > 0) return t + dt;
  const next = row.t[i + 1];
  return Math.max(t, next ?? rangeEnd);
}

export function segmentStates(row: Pick<EventRow, "t" | "dt">, rangeEnd: number): StateSegment[] {
  return row.t.map((start, index) => ({ start, end: stateEnd(row, index, rangeEnd), index }));
}

/** Rows drawn as timelines: the event rows, and boolean series as `true`/`false` states. */
export function stateRows(data: ChartData): EventRow[] {
  const rows: EventRow[] = [];
  for (const s of data.series) {
    if (s.kind !== "boolean") continue;
    const row: EventRow = {
      field: s.field,
      label: s.label,
      colours: new Map([
        ["false", 7],
        ["true", 2],
      ]),
      t: [],
      dt: [],
      text: [],
    };
    for (let i = 0; i < data.x.length; i++) {
      const v = s.values[i];
      const p = data.pointIndex[i]!;
      // Duration rows repeat a point at its end; only the point's own row starts a state.
      if (v === null || v === undefined || p < 0 || (i > 0 && data.pointIndex[i - 1] === p)) continue;
      row.t.push(data.x[i]!);
      row.dt.push(0);
      row.text.push(v ? "true" : "false");
    }
    rows.push(row);
  }
  return [...rows, ...data.events];
}

/** Distinct values of a row with their colour slots, most frequent first (the colour legend). */
export function stateLegend(row: EventRow, size: number, max = 12): { text: string; colour: number }[] {
  const counts = new Map<string, number>();
  for (const text of row.text) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([text]) => ({ text, colour: eventColour(row, text, size) }));
}

/**
 * Draws rows at the bottom of the plot area, `rowHeight` CSS pixels each. `rangeEnd` ends the
 * last state (the end of the asked range, else the x scale's end).
 */
export function drawStateRows(
  u: uPlot,
  rows: readonly EventRow[],
  theme: ChartTheme,
  rowHeight: number,
  rangeEnd: number | undefined,
  pxRatio: number,
): void {
  if (rows.length === 0) return;
  const { ctx } = u;
  const pr = pxRatio;
  const { left, top, width, height } = u.bbox;
  const rowH = rowHeight * pr;
  const xMin = u.scales.x?.min ?? 0;
  const xMax = u.scales.x?.max ?? 0;
  const end = rangeEnd ?? xMax;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${11 * pr}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  // uPlot leaves the alignment of its last axis label on the context.
  ctx.textAlign = "left";
  rows.forEach((row, r) => {
    const y0 = top + height - (rows.length - r) * rowH + 2 * pr;
    const h = rowH - 4 * pr;
    let lastEnd = Number.NEGATIVE_INFINITY;
    const start = Math.max(0, indexAtOrBefore(row.t, xMin));
    for (let i = start; i < row.t.length; i++) {
      const t = row.t[i]!;
      if (t > xMax) break;
      const x0 = Math.max(left, u.valToPos(t, "x", true));
      const x1 = Math.min(left + width, u.valToPos(stateEnd(row, i, end), "x", true));
      const w = Math.max(x1 - x0, pr);
      // Many states in one pixel: draw the first, skip the rest (the tooltip still finds them).
      if (x0 + w <= lastEnd) continue;
      const text = row.text[i]!;
      ctx.fillStyle = theme.events[eventColour(row, text, theme.events.length)]!;
      ctx.fillRect(x0, y0, w, h);
      lastEnd = x0 + w;
      if (w > 24 * pr) {
        const label = text.length > 40 ? `${text.slice(0, 39)}…` : text;
        if (ctx.measureText(label).width + 6 * pr < w) {
          ctx.fillStyle = theme.eventText;
          ctx.fillText(label, x0 + 3 * pr, y0 + h / 2);
        }
      }
    }
  });
  ctx.restore();
}
