import { useEffect, useRef } from "react";
import { serverName, useCapabilities } from "../shared/api/capabilities";
import { LOGO_URL } from "../shared/brand/logo";
import { Link } from "../shared/components/Link";
import { describeAppScope, scopeSummary } from "../shared/scopes/scope-info";
import { useSession } from "../shared/session/session-store";
import { useRoute } from "./router";

/** A person's pages; the current one is marked for screen readers and styled. */
function PersonNav({ admin }: { admin: boolean }) {
  const route = useRoute();
  const links: { to: string; label: string; current: boolean }[] = [
    { to: "/", label: "Objects", current: route.page === "browser" || route.page === "object" },
    { to: "/apps", label: "Apps", current: route.page === "apps" || route.page === "app" },
    { to: "/account", label: "Account", current: route.page === "account" },
  ];
  if (admin) links.push({ to: "/users", label: "Users", current: route.page === "users" });
  return (
    <nav className="topbar-nav" aria-label="Main">
      {links.map((l) => (
        <Link key={l.to} to={l.to} className="nav-link" aria-current={l.current ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}

/** App name, owner, what the token may do, which server, and sign-out; a person's name and pages. */
export function TopBar() {
  const mode = useSession((s) => s.mode);
  const person = useSession((s) => s.person);
  const app = useSession((s) => s.app);
  const url = useSession((s) => s.url);
  const signOut = useSession((s) => s.signOut);
  const capabilities = useCapabilities();
  const scope = app?.scope ?? "";
  const menu = useRef<HTMLDetailsElement>(null);

  // The scope popover closes like a menu: Escape (focus back on its summary) or a click elsewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && menu.current?.open) {
        menu.current.open = false;
        menu.current.querySelector("summary")?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (menu.current?.open && !menu.current.contains(e.target as Node)) menu.current.open = false;
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, []);
  const server = serverName(capabilities.data);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();

  return (
    <header className="topbar">
      <Link to="/" className="brand">
        {/* The name is hidden on phones; the logo then names the link. */}
        <img src={LOGO_URL} alt="heedy explorer" width="22" height="22" />
        <span aria-hidden="true">heedy explorer</span>
      </Link>
      {mode === "person" && person ? (
        <>
          <PersonNav admin={person.admin} />
          <div className="topbar-who">
            <span className="who-app" title={`Signed in as ${person.user.username}`}>
              {person.user.name || person.user.username}
            </span>
            {person.admin && <span className="muted">admin</span>}
          </div>
        </>
      ) : (
        <div className="topbar-who">
          <span className="who-app" title={`App id ${app?.id ?? ""}`}>
            {app?.name}
          </span>
          <span className="muted">
            owned by <span className="who-owner">{app?.owner}</span>
          </span>
        </div>
      )}
      <details className="scope-menu" ref={menu} hidden={mode === "person"}>
        <summary aria-label={`App scopes: ${scopeSummary(scope)}. Show what they allow`}>
          <span className="muted">Scopes:</span> {scopeSummary(scope)}
        </summary>
        <div className="scope-popover card">
          <h2>What this app may do</h2>
          <ul>
            {describeAppScope(scope).map((s) => (
              <li key={s.scope}>
                <code>{s.scope}</code> <span>{s.explains}</span>
              </li>
            ))}
            {scope.trim() === "" && <li>Nothing: the app has no scopes.</li>}
          </ul>
        </div>
      </details>
      <span className="server-badge muted small" title={url}>
        {host}
        {server ? ` · ${server}` : ""}
      </span>
      <button type="button" className="button subtle" onClick={() => signOut()}>
        Sign out
      </button>
    </header>
  );
}
