/** Adds a series to Explore: text and tag search over the readable timeseries, and a field choice. */
import { useId, useMemo, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import type { SeriesRef } from "../../../shared/explore-link";
import { useClient } from "../../../shared/session/session-store";
import { useTimeseriesList } from "../api/explore-data";

const tagList = (tags: string) => tags.split(/\s+/).filter((t) => t !== "");

/** Numeric fields an object schema declares (`properties` with type number, integer or boolean). */
export function numericFields(object: HeedyObject): string[] {
  const schema = object.meta?.schema as { properties?: Record<string, { type?: unknown }> } | undefined;
  const props = schema?.properties;
  if (!props || typeof props !== "object") return [];
  return Object.entries(props)
    .filter(([, s]) => s && ["number", "integer", "boolean"].includes(String(s.type)))
    .map(([k]) => k)
    .sort();
}

export function SeriesPicker({
  onAdd,
  present,
}: {
  onAdd(ref: SeriesRef): void;
  present: ReadonlySet<string>;
}) {
  const client = useClient();
  const list = useTimeseriesList(client);
  const id = useId();
  const [text, setText] = useState("");
  const [tag, setTag] = useState("");
  const tags = useMemo(
    () => [...new Set((list.data ?? []).flatMap((o) => tagList(o.tags)))].sort(),
    [list.data],
  );
  const matches = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (list.data ?? [])
      .filter(
        (o) =>
          (tag === "" || tagList(o.tags).includes(tag)) &&
          (q === "" || `${o.name} ${o.description} ${o.key ?? ""}`.toLowerCase().includes(q)),
      )
      .slice(0, 30);
  }, [list.data, text, tag]);
  return (
    <section className="explore-picker" aria-label="Add a series">
      <div className="explore-picker-filters">
        <label htmlFor={`${id}-q`}>Find a series</label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          placeholder="name, description or key"
          onChange={(e) => setText(e.target.value)}
        />
        <select aria-label="Filter by tag" value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="">any tag</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      {list.isError && <p className="field-error">Could not list objects: {list.error.message}</p>}
      <ul className="explore-picker-list">
        {matches.map((o) => {
          const fields = numericFields(o);
          return (
            <li key={o.id}>
              <button
                type="button"
                className="ts-button"
                disabled={present.has(o.id)}
                onClick={() => onAdd({ id: o.id })}
                aria-label={`Add ${o.name}`}
              >
                + {o.name}
              </button>
              {o.tags.trim() !== "" && <span className="muted small"> {tagList(o.tags).join(", ")}</span>}
              {fields.length > 0 && (
                <select
                  aria-label={`Add a field of ${o.name}`}
                  value=""
                  onChange={(e) => e.target.value && onAdd({ id: o.id, field: e.target.value })}
                >
                  <option value="">a field…</option>
                  {fields.map((f) => (
                    <option key={f} value={f} disabled={present.has(`${o.id}.${f}`)}>
                      {f}
                    </option>
                  ))}
                </select>
              )}
            </li>
          );
        })}
        {list.isSuccess && matches.length === 0 && <li className="muted">No timeseries match.</li>}
      </ul>
    </section>
  );
}
