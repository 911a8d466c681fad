import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import type { HeedyObject } from "../../../client/index";
import { AccessChips } from "../../features/access/components/AccessChips";
import { canCreateObjects, canListOwnObjects } from "../../features/access/model/scope-info";
import { objectsQuery } from "../../features/objects/api/objects";
import { TagChips } from "../../features/objects/components/TagChips";
import { type SortColumn, useBrowserState } from "../../features/objects/model/browser-state";
import { Link } from "../../shared/components/Link";
import { explorePath } from "../../shared/explore-link";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { navigate } from "../../shared/navigation";
import { errorDetail } from "../../shared/notifications/notification-store";
import { useClient, useSession } from "../../shared/session/session-store";
import { objectPath } from "../router";

const NewObjectDialog = lazy(() => import("../../features/objects/components/NewObjectDialog"));

const COLUMNS: { column: SortColumn | null; label: string }[] = [
  { column: "name", label: "Name" },
  { column: "type", label: "Type" },
  { column: null, label: "Tags" },
  { column: "key", label: "Key" },
  { column: "last_modified", label: "Last modified" },
  { column: "access", label: "Access" },
];

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
        return o.last_modified ?? "";
      case "access":
        return o.access;
    }
  };
  return (
    text(a).localeCompare(text(b), undefined, { sensitivity: "base", numeric: true }) ||
    a.id.localeCompare(b.id)
  );
}

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
  const state = useBrowserState();
  const [creating, setCreating] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const key = useDebounced(state.key.trim(), 300);
  const filters = useMemo(() => ({ tags: state.tags, key, type: state.type }), [state.tags, key, state.type]);
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

  // Timeseries ticked for "compare selected" (Explore), in the order they were ticked.
  const [selected, setSelected] = useState<readonly string[]>([]);
  const toggleSelected = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const filtering = Boolean(state.text || state.tags.length || state.key || state.type);
  const canList = canListOwnObjects(scope);
  const canCreate = canCreateObjects(scope);

  return (
    <div className="page browser-page">
      <header className="page-header">
        <div>
          <h1>Objects</h1>
          <p className="muted" aria-live="polite">
            {objects.isSuccess
              ? rows.length === objects.data.length
                ? `${rows.length} object${rows.length === 1 ? "" : "s"}${filtering ? " match the filters" : ""}`
                : `${rows.length} of ${objects.data.length} objects match the filters`
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
          <button type="button" className="button subtle" onClick={state.clear}>
            Clear filters
          </button>
        )}
      </search>

      {objects.isError ? (
        <div className="empty-state" role="alert">
          <h2>Could not list objects</h2>
          <p>{errorDetail(objects.error)}</p>
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
            <p>This app has not created any objects. Create a timeseries to start collecting data.</p>
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
          <button type="button" className="button" onClick={state.clear}>
            Clear filters
          </button>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="objects-table" aria-label="Objects" aria-busy={objects.isFetching}>
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <span className="visually-hidden">Compare</span>
                </th>
                {COLUMNS.map(({ column, label }) => {
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
            <tbody>
              {rows.map((o) => (
                <tr key={o.id}>
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
                  <td>
                    <TagChips tags={o.tags} onToggle={state.toggleTag} active={state.tags} />
                  </td>
                  <td>{o.key ? <code>{o.key}</code> : <span className="muted">—</span>}</td>
                  <td>
                    {o.last_modified ? (
                      <time dateTime={o.last_modified}>{o.last_modified}</time>
                    ) : (
                      <span className="muted">no data</span>
                    )}
                  </td>
                  <td>
                    <AccessChips access={o.access} />
                  </td>
                </tr>
              ))}
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
