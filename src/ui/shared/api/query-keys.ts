/**
 * Hierarchical query keys (Perses pattern): invalidating a prefix refreshes every view under it,
 * e.g. `['timeseries', id]` after an append refreshes the length, every plotted range of that
 * series and the data table's blocks. Options that must not trigger refetches (chart width)
 * stay out of the keys. Every key starts here; a feature that adds a level (the chart's plot
 * reads, the data table's blocks) extends one of these, so a prefix still reaches it.
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
};
