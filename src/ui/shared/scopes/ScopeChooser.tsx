import { type ReactNode, useId, useState } from "react";
import { scopeSet } from "../../../core/scopes";
import { customScopes, impliedBy, matchingPreset, type ScopeGroup, type ScopePreset } from "./scope-model";

export interface ScopeChooserProps {
  legend: string;
  groups: readonly ScopeGroup[];
  value: ReadonlySet<string>;
  onChange(next: Set<string>): void;
  presets?: readonly ScopePreset[];
  /** Offer a text field for scopes the list does not know (custom or plugin scopes). */
  allowCustom?: boolean;
  disabled?: boolean;
  /** Shown under the legend, e.g. why the choices are disabled. */
  hint?: ReactNode;
  /** Which chosen scope already grants another; app scope rules unless given. */
  implication?(scope: string, chosen: ReadonlySet<string>): string | undefined;
}

/**
 * The one scope editor: checkboxes grouped as heedy groups scopes, each with its explanation and
 * what already implies it, presets, and custom scopes. Used for an app's scopes (apps feature) and
 * for an object's `owner_scope` (access feature); the caller says what the choice means.
 */
export function ScopeChooser({
  legend,
  groups,
  value,
  onChange,
  presets,
  allowCustom,
  disabled,
  hint,
  implication = impliedBy,
}: ScopeChooserProps) {
  const id = useId();
  const [custom, setCustom] = useState("");
  const preset = presets ? matchingPreset(value, presets) : undefined;
  const unknown = customScopes(value, groups);
  const labels = new Map(groups.flatMap((g) => g.options.map((o) => [o.scope, o.label ?? o.scope] as const)));
  const name = (scope: string) =>
    scope === "*" && !labels.has("*") ? "full access" : (labels.get(scope) ?? scope);

  const toggle = (scope: string, on: boolean) => {
    if (scope === "*") return onChange(on ? new Set(["*"]) : new Set());
    const next = new Set(value);
    next.delete("*");
    if (on) next.add(scope);
    else next.delete(scope);
    onChange(next);
  };

  const addCustom = () => {
    const added = scopeSet(custom);
    if (added.size === 0) return;
    onChange(scopeSet([...value, ...added]));
    setCustom("");
  };

  return (
    <fieldset className="card scope-choices" disabled={disabled}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {presets && presets.length > 0 && (
        <fieldset className="scope-presets">
          <legend className="visually-hidden">Presets</legend>
          {presets.map((p) => (
            <button
              key={p.id}
              type="button"
              className={`button preset${preset?.id === p.id ? " active" : ""}`}
              aria-pressed={preset?.id === p.id}
              title={p.explains}
              onClick={() => onChange(scopeSet(p.scope))}
            >
              {p.label}
            </button>
          ))}
        </fieldset>
      )}
      {groups.map((group) => (
        <fieldset key={group.id} className="scope-group">
          {groups.length > 1 && <legend>{group.title}</legend>}
          {group.options.map(({ scope, label, explains }) => {
            const by = implication(scope, value);
            const hintId = `${id}-${group.id}-${scope}`;
            return (
              <div key={scope} className={`scope-option${by ? " implied" : ""}`}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={value.has(scope) || by !== undefined}
                    disabled={by !== undefined}
                    aria-describedby={hintId}
                    onChange={(e) => toggle(scope, e.target.checked)}
                  />
                  <span>
                    {label ? (
                      <>
                        {label} <code>{scope}</code>
                      </>
                    ) : (
                      <code>{scope}</code>
                    )}
                  </span>
                </label>
                <span id={hintId} className="hint">
                  {explains}
                  {by ? ` (included in ${name(by)})` : ""}
                </span>
              </div>
            );
          })}
        </fieldset>
      ))}
      {(allowCustom || unknown.length > 0) && (
        <fieldset className="scope-group">
          <legend>Custom scopes</legend>
          {unknown.length === 0 ? (
            <p className="hint">None. A plugin's own scopes can be added by name.</p>
          ) : (
            <ul className="chips">
              {unknown.map((s) => (
                <li key={s}>
                  <span className="chip custom-scope" title="Not a scope this explorer knows">
                    <code>{s}</code> <span className="small">custom</span>
                    <button
                      type="button"
                      className="chip-remove"
                      aria-label={`Remove custom scope ${s}`}
                      onClick={() => toggle(s, false)}
                    >
                      ×
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {allowCustom && (
            <div className="field-row">
              <div className="field grow">
                <label htmlFor={`${id}-custom`}>Add a custom scope</label>
                <input
                  id={`${id}-custom`}
                  type="text"
                  spellCheck={false}
                  placeholder="e.g. myplugin:read"
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      addCustom();
                    }
                  }}
                />
              </div>
              <button type="button" className="button" onClick={addCustom} disabled={!custom.trim()}>
                Add
              </button>
            </div>
          )}
        </fieldset>
      )}
    </fieldset>
  );
}
