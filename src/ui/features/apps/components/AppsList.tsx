import type { AppData } from "../../../../client/index";
import { Link } from "../../../shared/components/Link";
import { scopeLine } from "../../../shared/scopes/scope-model";
import { objectsWord } from "../model/app-list";

/** The apps table: name, description, enabled, scopes in one line, created, last used, objects. */
export function AppsList({
  apps,
  counts,
  appHref,
}: {
  apps: readonly AppData[];
  counts: Readonly<Record<string, number>> | undefined;
  appHref(id: string): string;
}) {
  const sorted = [...apps].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  return (
    <div className="table-wrap">
      <table className="objects-table apps-table" aria-label="Apps">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Enabled</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Objects</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.id}>
              <td className="name-cell">
                <Link to={appHref(a.id)} className="object-link">
                  {a.name}
                </Link>
                {a.description && <div className="muted small truncate">{a.description}</div>}
              </td>
              <td>
                <span className={`chip ${a.enabled ? "enabled" : "disabled"}`}>
                  {a.enabled ? "enabled" : "disabled"}
                </span>
              </td>
              <td title={a.scope}>{scopeLine(a.scope)}</td>
              <td>
                <time dateTime={a.created_date}>{a.created_date}</time>
              </td>
              <td>
                {a.last_access_date ? (
                  <time dateTime={a.last_access_date}>{a.last_access_date}</time>
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
              <td>{counts ? objectsWord(counts[a.id] ?? 0) : <span className="muted">…</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
