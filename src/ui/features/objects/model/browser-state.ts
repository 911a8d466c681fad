/**
 * UI state of the object browser, kept in the address bar (`/?q=kit&tag=home&type=timeseries
 * &sort=-modified`), so a filtered list is a link and Back restores it. The last query is
 * remembered for the session: coming back to a bare `/` (the Objects link) restores it.
 */
import { useMemo } from "react";
import { navigate, useSearchParams } from "../../../shared/navigation";

export type SortColumn = "name" | "type" | "key" | "last_modified" | "access";

export interface BrowserFilters {
  text: string;
  tags: string[];
  key: string;
  type: string;
  sort: { column: SortColumn; descending: boolean };
}

const SORTS: readonly SortColumn[] = ["name", "type", "key", "last_modified", "access"];
/** `last_modified` reads better in a URL as `modified`. */
const SORT_NAMES: Record<SortColumn, string> = {
  name: "name",
  type: "type",
  key: "key",
  last_modified: "modified",
  access: "access",
};
const DEFAULT_SORT = { column: "name", descending: false } as const;

export function filtersFromQuery(params: URLSearchParams): BrowserFilters {
  const sortText = params.get("sort") ?? "";
  const descending = sortText.startsWith("-");
  const name = descending ? sortText.slice(1) : sortText;
  const column = SORTS.find((c) => SORT_NAMES[c] === name);
  const tags: string[] = [];
  for (const t of params.getAll("tag")) if (t && !tags.includes(t)) tags.push(t);
  return {
    text: params.get("q") ?? "",
    tags,
    key: params.get("key") ?? "",
    type: params.get("type") ?? "",
    sort: column ? { column, descending } : { ...DEFAULT_SORT },
  };
}

export function queryFromFilters(f: BrowserFilters): string {
  const params = new URLSearchParams();
  if (f.text) params.set("q", f.text);
  for (const t of f.tags) params.append("tag", t);
  if (f.key) params.set("key", f.key);
  if (f.type) params.set("type", f.type);
  if (f.sort.column !== DEFAULT_SORT.column || f.sort.descending !== DEFAULT_SORT.descending)
    params.set("sort", `${f.sort.descending ? "-" : ""}${SORT_NAMES[f.sort.column]}`);
  return params.toString();
}

/** Clicking a column sorts by it; again reverses. Dates start newest first. */
export function nextSort(current: BrowserFilters["sort"], column: SortColumn): BrowserFilters["sort"] {
  return {
    column,
    descending: current.column === column ? !current.descending : column === "last_modified",
  };
}

let remembered = "";

/** The query to restore on a bare `/`, if any (read once by the page on arrival). */
export function rememberedQuery(): string {
  return remembered;
}

/** The parameters these filters own; others (a person's `app`) belong to the page and are kept. */
const FILTER_PARAMS = ["q", "tag", "key", "type", "sort"] as const;

/** The current query with the filters' parameters replaced by `f`'s. */
export function withFilters(search: string, f: BrowserFilters): string {
  const params = new URLSearchParams(search);
  for (const k of FILTER_PARAMS) params.delete(k);
  for (const [k, v] of new URLSearchParams(queryFromFilters(f))) params.append(k, v);
  return params.toString();
}

function apply(f: BrowserFilters): void {
  const q = withFilters(window.location.search, f);
  remembered = q;
  navigate(`${window.location.pathname}${q ? `?${q}` : ""}`, { replace: true });
}

export interface BrowserState extends BrowserFilters {
  setText(text: string): void;
  toggleTag(tag: string): void;
  setKey(key: string): void;
  setType(type: string): void;
  sortBy(column: SortColumn): void;
  clear(): void;
}

export function useBrowserState(): BrowserState {
  const params = useSearchParams();
  return useMemo(() => {
    const f = filtersFromQuery(params);
    // A bare `/` renders once before the page restores the remembered query: keep it for that.
    if (params.size > 0) remembered = params.toString();
    return {
      ...f,
      setText: (text) => apply({ ...f, text }),
      toggleTag: (tag) =>
        apply({ ...f, tags: f.tags.includes(tag) ? f.tags.filter((t) => t !== tag) : [...f.tags, tag] }),
      setKey: (key) => apply({ ...f, key }),
      setType: (type) => apply({ ...f, type }),
      sortBy: (column) => apply({ ...f, sort: nextSort(f.sort, column) }),
      clear: () => apply({ ...f, text: "", tags: [], key: "", type: "" }),
    };
  }, [params]);
}

/** The list filtered by one tag (a tag chip on an object's page links here). */
export function listPathForTag(tag: string): string {
  return `/?${new URLSearchParams({ tag }).toString()}`;
}
