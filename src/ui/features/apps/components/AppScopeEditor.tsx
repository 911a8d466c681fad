import { useId, useMemo } from "react";
import { ScopeChooser } from "../../../shared/scopes/ScopeChooser";
import { APP_PRESETS, describeInPlainWords, groupCatalogue } from "../../../shared/scopes/scope-model";
import { useScopeCatalogue } from "../api/apps";

/** An app's scopes: the shared editor with heedy's catalogue and presets, and a plain-words preview. */
export function AppScopeEditor({
  value,
  onChange,
  disabled,
}: {
  value: ReadonlySet<string>;
  onChange(next: Set<string>): void;
  disabled?: boolean;
}) {
  const id = useId();
  const catalogue = useScopeCatalogue();
  const groups = useMemo(() => (catalogue.data ? groupCatalogue(catalogue.data) : []), [catalogue.data]);
  const preview = describeInPlainWords(value);
  return (
    <div className="scope-grid">
      {catalogue.isPending ? (
        <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading scopes" />
      ) : (
        <ScopeChooser
          legend="Scopes"
          groups={groups}
          value={value}
          onChange={onChange}
          presets={APP_PRESETS}
          allowCustom
          disabled={disabled}
        />
      )}
      <section className="card effective" aria-labelledby={`${id}-preview`} aria-live="polite">
        <h3 id={`${id}-preview`}>What the app will be able to do</h3>
        <ul className="preview-list">
          {preview.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p className="small muted">
          Scope: <code>{[...value].sort().join(" ") || "(none)"}</code>
        </p>
      </section>
    </div>
  );
}
