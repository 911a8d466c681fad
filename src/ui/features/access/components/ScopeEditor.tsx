import { useId, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { accessAllows, canUpdateFields, formatScopeSet, scopeSet } from "../../../../core/scopes";
import { useCapabilities } from "../../../shared/api/capabilities";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { ScopeChooser } from "../../../shared/scopes/ScopeChooser";
import { impliedByEverything, OBJECT_SCOPE_GROUPS } from "../../../shared/scopes/scope-model";
import { useSaveOwnerScope } from "../api/owner-scope";
import { AccessChips } from "./AccessChips";

/** What a set of object scopes lets someone do, in the order people care about. */
const ABILITIES: { label: string; allowed(set: ReadonlySet<string>): boolean }[] = [
  { label: "See the object and read its data", allowed: (s) => accessAllows(s, "read") },
  { label: "Add and remove datapoints", allowed: (s) => accessAllows(s, "write") },
  {
    label: "Change description, tags, key and schema",
    allowed: (s) => accessAllows(s, "update") || s.has("update:basic"),
  },
  { label: "Rename it and change these scopes", allowed: (s) => accessAllows(s, "update") },
  { label: "Delete it", allowed: (s) => accessAllows(s, "delete") },
];

function Abilities({ set, who }: { set: ReadonlySet<string>; who: string }) {
  return (
    <ul className="abilities" aria-label={`What ${who} can do`}>
      {ABILITIES.map((a) => {
        const ok = a.allowed(set);
        return (
          <li key={a.label} className={ok ? "yes" : "no"}>
            <span aria-hidden="true">{ok ? "✓" : "✕"}</span>
            <span className="visually-hidden">{ok ? "Can:" : "Cannot:"}</span> {a.label}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The Access tab: `owner_scope` as labelled checkboxes (contract 7.2-7.3). For an app's object it
 * is what the owning user keeps; the app's own access does not depend on it on our server
 * (decision 3), but on heedy 0.6 an app loses its own object when the owner loses `read` (12.15).
 */
export function ScopeEditor({ object }: { object: HeedyObject }) {
  const id = useId();
  const saved = scopeSet(object.owner_scope);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(saved));
  const [base, setBase] = useState(object.owner_scope);
  const [confirmed, setConfirmed] = useState(false);
  const update = useSaveOwnerScope(object);
  const capabilities = useCapabilities();
  const realHeedy = capabilities.data?.server === "heedy";

  // The object changed elsewhere (another tab, a refetch after saving): start from the new value.
  if (base !== object.owner_scope) {
    setBase(object.owner_scope);
    setSelected(new Set(scopeSet(object.owner_scope)));
    setConfirmed(false);
  }

  const next = scopeSet([...selected]);
  const nextText = formatScopeSet(next);
  const dirty = nextText !== formatScopeSet(saved);
  const canChange = canUpdateFields(scopeSet(object.access), ["owner_scope"]);
  const losesRead = !accessAllows(next, "read") && accessAllows(saved, "read");
  const losesUpdate = !accessAllows(next, "update") && accessAllows(saved, "update");
  const lockout = losesRead || losesUpdate;

  const save = () => update.mutate(nextText, { onSuccess: () => notifySuccess("Owner access saved") });

  return (
    <div className="scope-editor">
      {object.app === null && (
        <p className="notice info">
          This object belongs to {object.owner} directly, not to an app. Here the owner scope caps what the
          owner's apps get through their <code>objects</code> scopes.
        </p>
      )}
      <div className="scope-grid">
        <ScopeChooser
          legend={`What the owner (${object.owner}) may do`}
          groups={OBJECT_SCOPE_GROUPS}
          implication={impliedByEverything}
          value={next}
          onChange={(set) => {
            setConfirmed(false);
            setSelected(set);
          }}
          disabled={!canChange || update.isPending}
          hint={canChange ? undefined : "Changing these needs the update scope on this object."}
        />
        <section className="card effective" aria-labelledby={`${id}-effective`}>
          <h2 id={`${id}-effective`} className="section-title">
            Effective access
          </h2>
          <p>
            Owner scope {dirty ? "after saving" : "now"}: <code>{nextText || "(none)"}</code>
          </p>
          <h3 className="label-title">The owner, {object.owner}</h3>
          <Abilities set={next} who="the owner" />
          <h3 className="label-title">This app</h3>
          <p className="small">
            Access reported by the server: <AccessChips access={object.access} />
          </p>
          <Abilities set={scopeSet(object.access)} who="this app" />
        </section>
      </div>
      {dirty && lockout && (
        <div className="notice warning" role="alert">
          <strong>This locks the owner out</strong>
          <ul>
            {losesRead && (
              <li>
                {object.owner} will no longer see this object or its data in heedy.
                {realHeedy && " On this heedy 0.6 server, this app then loses access to the object too."}
              </li>
            )}
            {losesUpdate && <li>{object.owner} cannot change these scopes back; only this app can.</li>}
          </ul>
          <label className="checkbox">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />I
            understand, lock the owner out
          </label>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button primary"
          disabled={!canChange || !dirty || (lockout && !confirmed) || update.isPending}
          onClick={save}
        >
          {update.isPending ? "Saving…" : "Save owner access"}
        </button>
        <button
          type="button"
          className="button subtle"
          disabled={!dirty}
          onClick={() => {
            setSelected(new Set(saved));
            setConfirmed(false);
          }}
        >
          Discard
        </button>
      </div>
      {update.isError && (
        <div className="notice error" role="alert">
          <strong>The server refused the change</strong>
          <ErrorMessage error={update.error} />
        </div>
      )}
    </div>
  );
}
