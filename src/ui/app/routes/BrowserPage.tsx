import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  lazy,
  Suspense,
  useDeferredValue,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { type HeedyObject, Person } from "../../../client/index";
import { AccessChips } from "../../features/access/components/AccessChips";
import { appsQuery } from "../../features/apps/api/apps";
import { objectsQuery } from "../../features/objects/api/objects";
import { ObjectFactCells } from "../../features/objects/components/ObjectFacts";
import { TagChips } from "../../features/objects/components/TagChips";
import { useWindowRows } from "../../features/objects/components/use-window-rows";
import {
  rememberedQuery,
  type SortColumn,
  useBrowserState,
} from "../../features/objects/model/browser-state";
import { localDateTime } from "../../features/objects/model/facts-format";
import { ErrorMessage } from "../../shared/components/ErrorMessage";
import { Link } from "../../shared/components/Link";
import { explorePath } from "../../shared/explore-link";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { navigate, setQuery, useSearchParams } from "../../shared/navigation";

import { canCreateObjects, canListOwnObjects } from "../../shared/scopes/scope-info";
import { useClient, useSession } from "../../shared/session/session-store";
import { appPath, objectPath } from "../router";

const NewObjectDialog = lazy(() => import("../../features/objects/components/NewObjectDialog"));

const COLUMNS: { column: SortColumn | null; label: string }[] = [
  { column: "name", label: "Name" },
  { column: "type", label: "Type" },
  { column: null, label: "Tags" },
  { column: "key", label: "Key" },
  { column: null, label: "Latest" },
  { column: null, label: "Points" },
  { column: null, label: "Last day" },
  { column: "last_modified", label: "Last modified" },
  { column: "access", label: "Access" },
];

/** Fixed row height (app.css `.object-row`): the list renders only the rows in view. */
const ROW_HEIGHT = 52;

/** The instant of the last write (our server) or the day (heedy), as sortable text. */
function modifiedKey(o: HeedyObject): string {
  if (typeof o.modified_time === "number") return new Date(o.modified_time * 1000).toISOString();
  return o.last_modified ?? "";
}

/** One collator for every comparison: `localeCompare` with options builds one per call (10,000 rows: seconds). */
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function compare(a: HeedyObject, b: HeedyObject, column: SortColumn): number {
  const text = (o: HeedyObject) => {
    switch (column) {
      case "name":
        return o.name;
      case "type":
        return o.type;
      case "key":
        return o.key ?? "";
      case "last_modified":
        return modifiedKey(o);
      case "access":
        return o.access;
    }
  };
  return collator.compare(text(a), text(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const count = (n: number) => n.toLocaleString("en-US");

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

export function BrowserPage() {
  const id = useId();
  const client = useClient();
  const app = useSession((s) => s.app);
  const asPerson = client instanceof Person;
  const params = useSearchParams();
  // Person mode: `?app=<id>`, or `?app=none` for objects of no app; absent = every object.
  const appParam = asPerson ? (params.get("app") ?? "") : "";
  const appFilter = appParam === "" ? undefined : appParam === "none" ? "" : appParam;
  const apps = useQuery({
    ...appsQuery(client as Person),
    enabled: asPerson,
  });
  const appNames = useMemo(() => new Map((apps.data ?? []).map((a) => [a.id, a.name])), [apps.data]);
  const state = useBrowserState();
  const body = useRef<HTMLTableSectionElement>(null);
  // Back at a bare `/` (the Objects link) after filtering: the filters come back.
  useLayoutEffect(() => {
    const q = rememberedQuery();
    if (q && window.location.search === "") navigate(`/?${q}`, { replace: true });
  }, []);
  const [creating, setCreating] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const key = useDebounced(state.key.trim(), 300);
  const filters = useMemo(
    () => ({
      tags: state.tags,
      key,
      type: state.type,
      ...(appFilter === undefined ? {} : { app: appFilter }),
    }),
    [state.tags, key, state.type, appFilter],
  );
  const objects = useQuery({ ...objectsQuery(client, filters), placeholderData: keepPreviousData });
  const text = useDeferredValue(state.text.trim().toLowerCase());
  const scope = app?.scope ?? "";
  useDocumentTitle("Objects");

  // "/" jumps to the filter, as in GitHub and Grafana.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)))
        return;
      e.preventDefault();
      search.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const rows = useMemo(() => {
    const list = (objects.data ?? []).filter(
      (o) => !text || o.name.toLowerCase().includes(text) || o.description.toLowerCase().includes(text),
    );
    const { column, descending } = state.sort;
    list.sort((a, b) => compare(a, b, column) * (descending ? -1 : 1));
    return list;
  }, [objects.data, text, state.sort]);

  const types = useMemo(() => {
    const set = new Set(["timeseries"]);
    for (const o of objects.data ?? []) set.add(o.type);
    if (state.type) set.add(state.type);
    return [...set].sort();
  }, [objects.data, state.type]);

  const win = useWindowRows(body, rows.length, ROW_HEIGHT);
  const filtering = Boolean(state.text || state.tags.length || state.key || state.type || appParam);
  const canList = asPerson || canListOwnObjects(scope);
  const canCreate = asPerson || canCreateObjects(scope);
  const columns = asPerson
    ? [...COLUMNS.slice(0, 2), { column: null, label: "App" }, ...COLUMNS.slice(2)]
    : COLUMNS;
  const clearAll = () => {
    state.clear();
    if (appParam) setQuery({ app: undefined });
  };
  // Timeseries ticked for "compare selected" (Explore), in the order they were ticked.
  const [selected, setSelected] = useState<readonly string[]>([]);
  const toggleSelected = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <div className="page browser-page">
      <header className="page-header">
        <div>
          <h1>Objects</h1>
          <p className="muted" aria-live="polite">
            {objects.isSuccess
              ? rows.length === objects.data.length
                ? `${count(rows.length)} object${rows.length === 1 ? "" : "s"}${filtering ? " match the filters" : ""}`
                : `${count(rows.length)} of ${count(objects.data.length)} objects match the filters`
              : objects.isPending
                ? "Loading…"
                : ""}
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            disabled={selected.length === 0}
            onClick={() => navigate(explorePath(selected.map((id) => ({ id }))))}
            title="Open the ticked timeseries together in Explore"
          >
            Compare selected{selected.length > 0 ? ` (${selected.length})` : ""}
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => setCreating(true)}
            disabled={!canCreate}
            title={canCreate ? undefined : "This app's scope lacks self.objects:create"}
          >
            New object
          </button>
        </div>
      </header>

      <search className="filters" aria-label="Filter objects">
        <div className="field grow">
          <label htmlFor={`${id}-text`}>Filter</label>
          <input
            ref={search}
            id={`${id}-text`}
            type="search"
            placeholder="Name or description  ( / )"
            value={state.text}
            onChange={(e) => state.setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <select id={`${id}-type`} value={state.type} onChange={(e) => state.setType(e.target.value)}>
            <option value="">Any type</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        {asPerson && (
          <div className="field">
            <label htmlFor={`${id}-app`}>App</label>
            <select
              id={`${id}-app`}
              value={appParam}
              onChange={(e) => setQuery({ app: e.target.value || undefined })}
            >
              <option value="">All apps</option>
              <option value="none">No app (yours directly)</option>
              {[...(apps.data ?? [])]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-key`}>Key</label>
          <input
            id={`${id}-key`}
            type="text"
            placeholder="Exact key"
            spellCheck={false}
            value={state.key}
            onChange={(e) => state.setKey(e.target.value)}
          />
        </div>
        <fieldset className="field tag-filter">
          <legend className="label">Tags (all of)</legend>
          <div className="tag-filter-chips">
            {state.tags.length === 0 ? (
              <span className="muted small">Click a tag to filter</span>
            ) : (
              state.tags.map((tag) => (
                <button
                  key={tag}
                  type="button"
                  className="chip active removable"
                  aria-label={`Remove tag filter ${tag}`}
                  onClick={() => state.toggleTag(tag)}
                >
                  {tag} <span aria-hidden="true">×</span>
                </button>
              ))
            )}
          </div>
        </fieldset>
        {filtering && (
          <button type="button" className="button subtle" onClick={clearAll}>
            Clear filters
          </button>
        )}
      </search>

      {objects.isError ? (
        <div className="empty-state" role="alert">
          <h2>Could not list objects</h2>
          <p>
            <ErrorMessage error={objects.error} />
          </p>
          <button type="button" className="button" onClick={() => objects.refetch()}>
            Try again
          </button>
        </div>
      ) : objects.isPending ? (
        <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading objects" />
      ) : objects.data.length === 0 && !filtering ? (
        canList ? (
          <div className="empty-state">
            <h2>No objects yet</h2>
            <p>
              {asPerson
                ? "You have no objects yet. Create a timeseries, or give an app a token to collect data."
                : "This app has not created any objects. Create a timeseries to start collecting data."}
            </p>
            {canCreate && (
              <button type="button" className="button primary" onClick={() => setCreating(true)}>
                New object
              </button>
            )}
          </div>
        ) : (
          <div className="empty-state warning">
            <h2>This app can't see its objects</h2>
            <p>
              Listing needs the app scope <code>self.objects</code> (or <code>self.objects:read</code>). This
              app's scope is <code>{scope || "empty"}</code>, so the server hides its objects. Give the app
              that scope in heedy (Apps → this app → Permissions) and sign in again.
            </p>
          </div>
        )
      ) : rows.length === 0 ? (
        <div className="empty-state">
          <h2>No objects match</h2>
          <p>Nothing matches the current filters.</p>
          <button type="button" className="button" onClick={clearAll}>
            Clear filters
          </button>
        </div>
      ) : (
        <div className="table-wrap">
          <table
            className="objects-table"
            aria-label="Objects"
            aria-busy={objects.isFetching}
            aria-rowcount={rows.length + 1}
          >
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <span className="visually-hidden">Compare</span>
                </th>
                {columns.map(({ column, label }) => {
                  const sorted = column !== null && state.sort.column === column;
                  return (
                    <th
                      key={label}
                      scope="col"
                      aria-sort={sorted ? (state.sort.descending ? "descending" : "ascending") : undefined}
                    >
                      {column ? (
                        <button type="button" className="sort-button" onClick={() => state.sortBy(column)}>
                          {label}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted ? (state.sort.descending ? "▼" : "▲") : "↕"}
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody ref={body}>
              {win.before > 0 && (
                <tr className="spacer-row" style={{ height: win.before }}>
                  <td colSpan={columns.length + 1} />
                </tr>
              )}
              {rows.slice(win.first, win.last).map((o, i) => (
                <tr
                  key={o.id}
                  className="object-row"
                  aria-rowindex={win.first + i + 2}
                  data-testid="object-row"
                >
                  <td className="select-cell">
                    {o.type === "timeseries" && (
                      <input
                        type="checkbox"
                        aria-label={`Compare ${o.name}`}
                        checked={selected.includes(o.id)}
                        onChange={() => toggleSelected(o.id)}
                      />
                    )}
                  </td>
                  <td className="name-cell">
                    <Link to={objectPath(o.id)} className="object-link">
                      {o.name}
                    </Link>
                    {o.description && <div className="muted small truncate">{o.description}</div>}
                  </td>
                  <td>
                    <span className="type-badge">{o.type}</span>
                  </td>
                  {asPerson && (
                    <td>
                      {o.app ? (
                        <Link to={appPath(o.app)} className="app-link">
                          {appNames.get(o.app) ?? "an app"}
                        </Link>
                      ) : (
                        <span className="muted">no app</span>
                      )}
                    </td>
                  )}
                  <td className="tags-cell">
                    <TagChips tags={o.tags} onToggle={state.toggleTag} active={state.tags} />
                  </td>
                  <td>{o.key ? <code>{o.key}</code> : <span className="muted">—</span>}</td>
                  <ObjectFactCells object={o} />
                  <td className="modified-cell">
                    {typeof o.modified_time === "number" ? (
                      <time
                        dateTime={new Date(o.modified_time * 1000).toISOString()}
                        title={new Date(o.modified_time * 1000).toString()}
                      >
                        {localDateTime(o.modified_time)}
                      </time>
                    ) : o.last_modified ? (
                      <time dateTime={o.last_modified} title="This server records the day only">
                        {o.last_modified}
                      </time>
                    ) : (
                      <span className="muted">no data</span>
                    )}
                  </td>
                  <td>
                    <AccessChips access={o.access} />
                  </td>
                </tr>
              ))}
              {win.after > 0 && (
                <tr className="spacer-row" style={{ height: win.after }}>
                  <td colSpan={columns.length + 1} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <Suspense fallback={null}>
          <NewObjectDialog onClose={() => setCreating(false)} onCreated={(o) => navigate(objectPath(o.id))} />
        </Suspense>
      )}
    </div>
  );
}
