/**
 * The whole Explore view lives in the URL, so a link reopens it: `s` once per series (object id,
 * or `id.field`), the raw range (`from=now-7d&to=now`, `range=all`, `points=1000`) and `per`.
 */
import { parseSeriesRef, type SeriesRef } from "../../../shared/explore-link";
import { type Per, perFromSearch } from "../../../shared/plot/per";
import { rangeFromSearch, type ViewRange } from "../../../shared/time/view-range";

export interface ExploreView {
  series: SeriesRef[];
  range: ViewRange;
  per: Per | null;
}

/** Most series one view reads (each is one parallel plot read). */
export const MAX_SERIES = 20;

export function exploreFromSearch(params: URLSearchParams): ExploreView {
  const seen = new Set<string>();
  const series: SeriesRef[] = [];
  for (const text of params.getAll("s")) {
    const ref = parseSeriesRef(text);
    const key = text.trim();
    if (!ref || seen.has(key) || series.length >= MAX_SERIES) continue;
    seen.add(key);
    series.push(ref);
  }
  // Explore opens on a week: comparisons are about days, not the last 1,000 points of each.
  const range: ViewRange =
    params.has("from") || params.has("range") || params.has("points")
      ? rangeFromSearch(params)
      : { kind: "time", from: "now-7d", to: "now" };
  return { series, range, per: perFromSearch(params) };
}

/** The same search with the series list replaced. */
export function withSeries(params: URLSearchParams, series: readonly string[]): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("s");
  for (const s of series) next.append("s", s);
  return next;
}
