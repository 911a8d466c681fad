import { formatCount } from "../../../shared/time/format";

export interface PlotFacts {
  count: number;
  columns?: number;
  raw?: boolean;
  source?: "server" | "browser";
  /** The aggregation in words ("mean per hour"), when the view is aggregated. */
  per?: string;
}

/** "21,595 points, drawn from 2,000 columns": what the chart shows, above it. */
export function plotStatusText(p: PlotFacts): string {
  const points = `${formatCount(p.count)} ${p.count === 1 ? "point" : "points"}`;
  const how = p.per
    ? `, ${p.per} (${formatCount(p.columns ?? 0)} windows)`
    : p.raw
      ? ""
      : `, drawn from ${formatCount(p.columns ?? 0)} columns${
          p.source === "browser" ? " (downsampled in your browser)" : ""
        }`;
  return points + how;
}
