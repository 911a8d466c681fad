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

export { OBJECT_TABS, type ObjectTab, parseRoute, type Route } from "./route-table";

import { type ObjectTab, parseRoute, type Route } from "./route-table";

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
