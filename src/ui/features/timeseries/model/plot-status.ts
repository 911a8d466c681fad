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

/** The Live part of the status line: how the view stays current, or why it does not right now. */
export function liveText(
  refresh: { label: string } | undefined,
  pushed: boolean,
  paused: boolean,
): { kind: "live" | "paused"; text: string } | null {
  if (paused)
    return { kind: "paused", text: " · Live refresh paused while zoomed in. Reset the zoom to resume." };
  if (!refresh) return null;
  return {
    kind: "live",
    text: pushed
      ? " · Live: updated as the server reports changes"
      : ` · Live: refreshing every ${refresh.label} (the server's events socket is unavailable)`,
  };
}
