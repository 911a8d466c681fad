/**
 * The address bar is the app's navigation state (History API; the server answers index.html for
 * every non-API path, and so does Vite's dev server):
 *
 *   /                          object browser
 *   /objects/<id>              object page, Data tab
 *   /objects/<id>/<tab>        tab is one of `data`, `schema`, `access`
 *
 * Query parameters belong to the view and survive tab switches: part 2 puts the plot range there
 * as raw strings (`/objects/<id>/data?from=now-6h&to=now`, evaluated when the query runs, so a
 * shared link stays relative). Use `useRoute()` to read and `navigate()` / `setQuery()` to change.
 * The fragment is reserved for `#token=…` login links (see state/session.ts).
 */
import { useSyncExternalStore } from "react";

export const OBJECT_TABS = ["data", "schema", "access"] as const;
export type ObjectTab = (typeof OBJECT_TABS)[number];

export type Route =
  | { page: "browser"; query: URLSearchParams }
  | { page: "object"; id: string; tab: ObjectTab; query: URLSearchParams }
  | { page: "not-found"; path: string; query: URLSearchParams };

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const parts = pathname.split("/").filter((p) => p !== "");
  if (parts.length === 0) return { page: "browser", query };
  if (parts[0] === "objects" && parts.length >= 2 && parts.length <= 3) {
    const id = decodeURIComponent(parts[1]!);
    const tab = (parts[2] ?? "data") as ObjectTab;
    if (OBJECT_TABS.includes(tab)) return { page: "object", id, tab, query };
  }
  return { page: "not-found", path: pathname, query };
}

export function objectPath(id: string, tab: ObjectTab = "data", query?: URLSearchParams): string {
  const base = `/objects/${encodeURIComponent(id)}${tab === "data" ? "" : `/${tab}`}`;
  const q = query?.toString();
  return q ? `${base}?${q}` : base;
}

const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

if (typeof window !== "undefined") window.addEventListener("popstate", emit);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/** Goes to a path of this app; `replace` keeps the history entry (for redirects and filters). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  emit();
}

/** Changes query parameters of the current view without a new history entry. */
export function setQuery(changes: Record<string, string | undefined>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") params.delete(k);
    else params.set(k, v);
  }
  const q = params.toString();
  navigate(window.location.pathname + (q ? `?${q}` : ""), { replace: true });
}

let cachedKey = "";
let cachedRoute: Route = { page: "browser", query: new URLSearchParams() };

export function useRoute(): Route {
  const key = useSyncExternalStore(subscribe, snapshot, () => "/");
  if (key !== cachedKey) {
    cachedKey = key;
    const url = new URL(key, "http://x");
    cachedRoute = parseRoute(url.pathname, url.search);
  }
  return cachedRoute;
}
