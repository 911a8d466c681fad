/**
 * The app's pages by path (the route table of router.ts), with no React: the page's first script
 * (boot/) reads it too, while the HTML is parsed.
 */

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
