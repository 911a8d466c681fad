/**
 * Hierarchical query keys (Perses pattern): invalidating a prefix refreshes every view under it,
 * e.g. `['timeseries', id]` after an append refreshes the length, every plotted range of that
 * series and the data table's blocks. Options that must not trigger refetches (chart width)
 * stay out of the keys.
 */

/** The server-side filters of `GET /api/objects` (contract 6.1); text search runs in the browser. */
export interface ObjectFilters {
  /** All of these tags (the server's `tags` query is all-of). */
  tags: string[];
  /** Exact key; empty = no key filter. */
  key: string;
  /** Exact type; empty = any type. */
  type: string;
}

export const queryKeys = {
  self: () => ["self"] as const,
  capabilities: () => ["capabilities"] as const,
  objectsAll: () => ["objects"] as const,
  objects: (filters: ObjectFilters) => ["objects", filters] as const,
  object: (id: string) => ["object", id] as const,
  timeseriesAll: (id: string) => ["timeseries", id] as const,
  length: (id: string) => ["timeseries", id, "length"] as const,
  /** Part 2's chart reads: raw range strings, evaluated when the query runs. */
  range: (id: string, range: { from: string; to: string }) => ["timeseries", id, range] as const,
};
