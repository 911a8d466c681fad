/**
 * heedy's events (contract 10): what the `/api/events` socket carries and how a subscription
 * selects events. Shared by the server (which filters) and the client (which builds commands).
 */

/** One event as sent on the socket; empty fields are left out, as heedy does. */
export interface HeedyEvent {
  event: string;
  user?: string;
  app?: string;
  plugin?: string;
  key?: string;
  object?: string;
  /** The object's tags, space-separated as on the object. */
  tags?: string;
  type?: string;
  data?: unknown;
}

/** The filter of a `subscribe`/`unsubscribe` command: `*` (or absence) matches anything. */
export interface EventFilter {
  event: string;
  user?: string;
  app?: string;
  object?: string;
  type?: string;
  plugin?: string;
  key?: string;
  /** Space-separated; the event must carry every one of them. */
  tags?: string;
}

export const EVENT_NAMES = [
  "user_create",
  "user_update",
  "user_delete",
  "user_settings_update",
  "app_create",
  "app_update",
  "app_delete",
  "app_settings_update",
  "object_create",
  "object_update",
  "object_delete",
  "timeseries_data_write",
  "timeseries_data_delete",
] as const;

/** What `timeseries_data_write` and `timeseries_data_delete` carry in `data`. */
export interface TimeseriesEventData {
  /** First timestamp touched (seconds). */
  t1?: number;
  /** Last timestamp touched (seconds). */
  t2?: number;
  count?: number;
}

const FILTER_FIELDS = ["user", "app", "object", "type", "plugin", "key"] as const;

const wildcard = (v: string | undefined) => v === undefined || v === "" || v === "*";

/** Whether `e` is selected by `f`. */
export function eventMatches(f: EventFilter, e: HeedyEvent): boolean {
  if (!wildcard(f.event) && f.event !== e.event) return false;
  for (const k of FILTER_FIELDS) {
    const want = f[k];
    if (!wildcard(want) && want !== e[k]) return false;
  }
  if (!wildcard(f.tags)) {
    const have = new Set((e.tags ?? "").split(" ").filter(Boolean));
    for (const t of (f.tags ?? "").split(" ")) if (t !== "" && !have.has(t)) return false;
  }
  return true;
}

/** The same filter written twice gives the same key, so `unsubscribe` finds what `subscribe` added. */
export function filterKey(f: EventFilter): string {
  const norm = (v: string | undefined) => (wildcard(v) ? "*" : v);
  const tags = wildcard(f.tags)
    ? "*"
    : [...new Set((f.tags ?? "").split(" ").filter(Boolean))].sort().join(" ");
  return JSON.stringify([norm(f.event), ...FILTER_FIELDS.map((k) => norm(f[k])), tags]);
}

/** Reads a filter out of a decoded command; undefined when a field is not a string. */
export function readFilter(cmd: Record<string, unknown>): EventFilter | undefined {
  const out: EventFilter = { event: "*" };
  for (const k of ["event", ...FILTER_FIELDS, "tags"] as const) {
    const v = cmd[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return undefined;
    out[k] = v;
  }
  return out;
}

export const isWildcard = wildcard;
