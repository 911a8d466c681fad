import { type FormEvent, useId, useState } from "react";
import type { AppData } from "../../../../client/index";
import { FormError } from "../../../shared/components/FormError";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { useUpdateApp } from "../api/apps";
import { type SettingField, settingsFields, settingValue } from "../model/app-list";

/**
 * The app's settings as a form generated from its `settings_schema` (the app sets the schema; its
 * owner fills it in). Flat schemas get one input per property; anything else a JSON editor. The
 * server checks the values against the schema.
 */
export function AppSettingsForm({ app }: { app: AppData }) {
  const hasSchema = Object.keys(app.settings_schema).length > 0;
  if (!hasSchema) return null;
  const fields = settingsFields(app.settings_schema);
  return (
    <section className="card app-section" aria-labelledby={`settings-${app.id}`}>
      <h2 id={`settings-${app.id}`}>Settings</h2>
      {fields ? (
        <FieldsForm key={JSON.stringify(app.settings)} app={app} fields={fields} />
      ) : (
        <JsonForm key={JSON.stringify(app.settings)} app={app} />
      )}
    </section>
  );
}

function FieldsForm({ app, fields }: { app: AppData; fields: SettingField[] }) {
  const id = useId();
  const update = useUpdateApp(app.id);
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(
      fields.map((f) => {
        const v = app.settings[f.name];
        return [f.name, f.kind === "boolean" ? v === true : v === undefined ? "" : String(v)];
      }),
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const settings: Record<string, unknown> = { ...app.settings };
    for (const f of fields) {
      const v = settingValue(f, values[f.name] ?? "");
      if (v === undefined) delete settings[f.name];
      else settings[f.name] = v;
    }
    update.mutate({ settings }, { onSuccess: () => notifySuccess("Settings saved") });
  };
  return (
    <form onSubmit={submit} className="settings-form" aria-label="App settings">
      {fields.map((f) => {
        const inputId = `${id}-${f.name}`;
        const value = values[f.name];
        const set = (v: string | boolean) => setValues((prev) => ({ ...prev, [f.name]: v }));
        const describedBy = f.description ? `${inputId}-hint` : undefined;
        return (
          <div key={f.name} className="field">
            {f.kind === "boolean" ? (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={value === true}
                  onChange={(e) => set(e.target.checked)}
                  aria-describedby={describedBy}
                />
                {f.title}
              </label>
            ) : (
              <>
                <label htmlFor={inputId}>
                  {f.title}
                  {f.required ? " (required)" : ""}
                </label>
                {f.kind === "enum" ? (
                  <select
                    id={inputId}
                    value={String(value)}
                    onChange={(e) => set(e.target.value)}
                    aria-describedby={describedBy}
                  >
                    <option value="">—</option>
                    {f.options.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={inputId}
                    type={f.kind === "string" ? "text" : "number"}
                    step={f.kind === "integer" ? 1 : "any"}
                    value={String(value)}
                    onChange={(e) => set(e.target.value)}
                    aria-describedby={describedBy}
                  />
                )}
              </>
            )}
            {f.description && (
              <span id={`${inputId}-hint`} className="hint">
                {f.description}
              </span>
            )}
          </div>
        );
      })}
      <FormError error={update.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}

function JsonForm({ app }: { app: AppData }) {
  const id = useId();
  const update = useUpdateApp(app.id);
  const [text, setText] = useState(() => JSON.stringify(app.settings, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let settings: unknown;
    try {
      settings = JSON.parse(text);
    } catch (err) {
      setProblem(`Not JSON: ${(err as Error).message}`);
      return;
    }
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
      setProblem("Settings must be a JSON object.");
      return;
    }
    setProblem(null);
    update.mutate(
      { settings: settings as Record<string, unknown> },
      { onSuccess: () => notifySuccess("Settings saved") },
    );
  };
  return (
    <form onSubmit={submit} className="settings-form" aria-label="App settings">
      <div className="field">
        <label htmlFor={`${id}-json`}>Settings (JSON, checked against the app's schema)</label>
        <textarea
          id={`${id}-json`}
          className="code"
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : (
        <FormError error={update.error} />
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          Save settings
        </button>
      </div>
    </form>
  );
}
