/**
 * Links into Explore (`/explore?s=<id>&s=<id>.<field>&from=…&to=…&per=…`), shared so the object
 * list and the Data tab can open it without importing the explore feature.
 */

/** One series of an Explore view: an object, or one field of its object values. */
export interface SeriesRef {
  id: string;
  field?: string;
}

export function formatSeriesRef(ref: SeriesRef): string {
  return ref.field === undefined ? ref.id : `${ref.id}.${ref.field}`;
}

/** Object ids never contain a dot (heedy's are xids and ours UUIDs), so the first dot splits. */
export function parseSeriesRef(text: string): SeriesRef | null {
  const t = text.trim();
  if (t === "") return null;
  const dot = t.indexOf(".");
  return dot < 0 ? { id: t } : { id: t.slice(0, dot), field: t.slice(dot + 1) };
}

/** Range and aggregation parameters carried from the current view into Explore. */
const CARRIED = ["from", "to", "range", "points", "per"] as const;

export function explorePath(series: readonly SeriesRef[], current?: URLSearchParams): string {
  const q = new URLSearchParams();
  for (const s of series) q.append("s", formatSeriesRef(s));
  if (current) for (const k of CARRIED) if (current.has(k)) q.set(k, current.get(k)!);
  return `/explore?${q.toString()}`;
}
