/**
 * The address bar is the app's navigation state (History API; the server answers index.html for
 * every non-API path, and so does Vite's dev server):
 *
 *   /                          object browser
 *   /objects/<id>              object page, Data tab
 *   /objects/<id>/<tab>        tab is one of `data`, `schema`, `access`
 *   /apps                      a person's apps (person mode)
 *   /apps/<id>                 one app: details, scopes, token, settings, objects
 *   /account                   the person's profile, password and sessions
 *   /users                     admins: users and admin rights
 *   /explore?s=<id>&s=<id>.<field>&from=…&per=…   several series on one chart (shared/explore-link.ts)
 *
 * Query parameters belong to the view and survive tab switches: part 2 puts the plot range there
 * as raw strings (`/objects/<id>/data?from=now-6h&to=now`, evaluated when the query runs, so a
 * shared link stays relative). Use `useRoute()` to read and `navigate()` / `setQuery()`
 * (shared/navigation.ts, so features can use them without this route table) to change.
 * The fragment is reserved for `#token=…` login links (see shared/session/session-store.ts).
 */
import { useLocationKey } from "../shared/navigation";

export const OBJECT_TABS = ["data", "schema", "access"] as const;
export type ObjectTab = (typeof OBJECT_TABS)[number];

export type Route =
  | { page: "browser"; query: URLSearchParams }
  | { page: "explore"; query: URLSearchParams }
  | { page: "object"; id: string; tab: ObjectTab; query: URLSearchParams }
  | { page: "apps"; query: URLSearchParams }
  | { page: "app"; id: string; query: URLSearchParams }
  | { page: "account"; query: URLSearchParams }
  | { page: "users"; query: URLSearchParams }
  | { page: "not-found"; path: string; query: URLSearchParams };

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const parts = pathname.split("/").filter((p) => p !== "");
  if (parts.length === 0) return { page: "browser", query };
  if (parts.length === 1 && parts[0] === "explore") return { page: "explore", query };
  if (parts[0] === "objects" && parts.length >= 2 && parts.length <= 3) {
    const id = decodeURIComponent(parts[1]!);
    const tab = (parts[2] ?? "data") as ObjectTab;
    if (OBJECT_TABS.includes(tab)) return { page: "object", id, tab, query };
  }
  if (parts[0] === "apps" && parts.length === 1) return { page: "apps", query };
  if (parts[0] === "apps" && parts.length === 2)
    return { page: "app", id: decodeURIComponent(parts[1]!), query };
  if (parts[0] === "account" && parts.length === 1) return { page: "account", query };
  if (parts[0] === "users" && parts.length === 1) return { page: "users", query };
  return { page: "not-found", path: pathname, query };
}

export function objectPath(id: string, tab: ObjectTab = "data", query?: URLSearchParams): string {
  const base = `/objects/${encodeURIComponent(id)}${tab === "data" ? "" : `/${tab}`}`;
  const q = query?.toString();
  return q ? `${base}?${q}` : base;
}

export function appPath(id: string): string {
  return `/apps/${encodeURIComponent(id)}`;
}

let cachedKey = "";
let cachedRoute: Route = { page: "browser", query: new URLSearchParams() };

export function useRoute(): Route {
  const key = useLocationKey();
  if (key !== cachedKey) {
    cachedKey = key;
    const url = new URL(key, "http://x");
    cachedRoute = parseRoute(url.pathname, url.search);
  }
  return cachedRoute;
}
