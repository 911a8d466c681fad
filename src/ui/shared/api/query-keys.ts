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
  /** Person mode: an app id, `""` for objects of no app; absent = all (app mode: always its own). */
  app?: string;
}

export const queryKeys = {
  self: () => ["self"] as const,
  capabilities: () => ["capabilities"] as const,
  objectsAll: () => ["objects"] as const,
  objects: (filters: ObjectFilters) => ["objects", filters] as const,
  object: (id: string) => ["object", id] as const,
  timeseriesAll: (id: string) => ["timeseries", id] as const,
  length: (id: string) => ["timeseries", id, "length"] as const,
  /** A person's apps; one app's record lives under the same prefix. */
  appsAll: () => ["apps"] as const,
  app: (id: string) => ["apps", id] as const,
  /** Object counts per app; under `objects` so every object change refreshes them. */
  objectCounts: () => ["objects", "counts"] as const,
  scopeCatalogue: () => ["scope-catalogue"] as const,
  /** `/frontend_context`: who the cookie signs in as. */
  context: () => ["context"] as const,
  sessions: (username: string) => ["sessions", username] as const,
  users: () => ["users"] as const,
  admins: () => ["admins"] as const,
};
