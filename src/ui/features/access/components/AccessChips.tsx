import { scopeSet } from "../../../../core/scopes";
import { ACCESS_WORDS } from "../model/access-words";

/** The access the server reports for an object (`access`), as short words. */
export function AccessChips({ access }: { access: string }) {
  const set = scopeSet(access);
  if (set.size === 0) return <span className="muted">none</span>;
  return (
    <ul className="chips">
      {[...set].sort().map((s) => (
        <li key={s}>
          <span className={`chip access${s === "*" ? " full" : ""}`} title={s}>
            {ACCESS_WORDS[s] ?? s}
          </span>
        </li>
      ))}
    </ul>
  );
}
