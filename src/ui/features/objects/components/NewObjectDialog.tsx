import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { Dialog } from "../../../shared/components/Dialog";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";
import { useLeaveGuard } from "../../../shared/navigation";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { checkSchemaText } from "../../../shared/schema/schema-text";
import { parseEnumText } from "../../../shared/schema/visual-schema";
import { useCreateObject } from "../api/objects";

const PRESETS = {
  any: { label: "Any data (no schema)", schema: {} },
  number: { label: "Number", schema: { type: "number" } },
  integer: { label: "Integer", schema: { type: "integer" } },
  string: { label: "String", schema: { type: "string" } },
  boolean: { label: "Boolean", schema: { type: "boolean" } },
  enum: { label: "One of a list (enum)", schema: null },
  custom: { label: "Custom JSON Schema", schema: null },
} as const;
type Preset = keyof typeof PRESETS;
const INITIAL_CUSTOM = '{\n  "type": "number"\n}';

/**
 * Creates an object for this app (`POST /api/objects`, contract 6.2); `onCreated` opens it (the
 * page knows the route table, this feature does not).
 */
export default function NewObjectDialog({
  onClose,
  onCreated,
}: {
  onClose(): void;
  onCreated(object: HeedyObject): void;
}) {
  const id = useId();
  const create = useCreateObject();
  const [name, setName] = useState("");
  const [type, setType] = useState("timeseries");
  const [tags, setTags] = useState("");
  const [key, setKey] = useState("");
  const [description, setDescription] = useState("");
  const [preset, setPreset] = useState<Preset>("number");
  const [enumText, setEnumText] = useState("");
  const [customText, setCustomText] = useState(INITIAL_CUSTOM);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);

  const [checking, setChecking] = useState(false);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const filled =
    name.trim() !== "" ||
    tags.trim() !== "" ||
    key.trim() !== "" ||
    description.trim() !== "" ||
    enumText.trim() !== "" ||
    customText !== INITIAL_CUSTOM;
  const created = useRef(false);
  useLeaveGuard(
    filled ? "The new object has not been created; what you typed in its form will be lost." : null,
    { released: created },
  );
  // Escape, × and Cancel on a filled form ask first: one key press must not wipe it.
  const close = () => {
    if (filled && !created.current) setConfirmingDiscard(true);
    else onClose();
  };
  useEffect(() => {
    if (confirmingDiscard) keepEditing.current?.focus();
  }, [confirmingDiscard]);

  const schemaFor = async (): Promise<Record<string, unknown> | { problem: string }> => {
    if (preset === "enum") {
      const values = parseEnumText(enumText);
      return values.length > 0 ? { enum: values } : { problem: "Give at least one allowed value" };
    }
    if (preset === "custom") {
      const checked = await checkSchemaText(customText);
      return checked.ok
        ? checked.schema
        : {
            problem: `Line ${checked.problem.line}, column ${checked.problem.column}: ${checked.problem.message}`,
          };
    }
    return { ...PRESETS[preset].schema };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (checking || create.isPending) return;
    setProblem(null);
    if (!name.trim()) {
      setProblem({ field: "name", message: "Give the object a name" });
      return;
    }
    const meta: Record<string, unknown> = {};
    if (type === "timeseries") {
      setChecking(true);
      const schema = await schemaFor().finally(() => setChecking(false));
      if ("problem" in schema && typeof schema.problem === "string") {
        setProblem({ field: preset, message: schema.problem });
        return;
      }
      meta.schema = schema;
    }
    create.mutate(
      {
        name: name.trim(),
        type,
        tags: tags.trim().split(/\s+/).filter(Boolean).join(" "),
        description,
        meta,
        ...(key.trim() ? { key: key.trim() } : {}),
      },
      {
        onSuccess: (object) => {
          created.current = true;
          notifySuccess(`Created “${object.name}”`);
          onClose();
          onCreated(object);
        },
      },
    );
  };

  const errorFor = (field: string) =>
    problem?.field === field ? (
      <span id={`${id}-${field}-error`} className="field-error" role="alert">
        {problem.message}
      </span>
    ) : null;

  return (
    <Dialog open title="New object" onClose={close} className="new-object-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="dialog-body">
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              type="text"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={problem?.field === "name" ? true : undefined}
              aria-describedby={problem?.field === "name" ? `${id}-name-error` : undefined}
            />
            {errorFor("name")}
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-type`}>Type</label>
              <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)}>
                <option value="timeseries">timeseries</option>
              </select>
            </div>
            <div className="field grow">
              <label htmlFor={`${id}-key`}>Key</label>
              <input
                id={`${id}-key`}
                type="text"
                spellCheck={false}
                value={key}
                onChange={(e) => setKey(e.target.value)}
                aria-describedby={`${id}-key-help`}
              />
              <span id={`${id}-key-help`} className="hint">
                Optional; unique among this app's objects.
              </span>
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${id}-tags`}>Tags</label>
            <input
              id={`${id}-tags`}
              type="text"
              spellCheck={false}
              value={tags}
              onChange={(e) => setTags(e.target.value)}
              aria-describedby={`${id}-tags-help`}
            />
            <span id={`${id}-tags-help`} className="hint">
              Separate tags with spaces.
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>Description</label>
            <textarea
              id={`${id}-description`}
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          {type === "timeseries" && (
            <div className="field">
              <label htmlFor={`${id}-preset`}>Schema</label>
              <select
                id={`${id}-preset`}
                value={preset}
                onChange={(e) => setPreset(e.target.value as Preset)}
              >
                {Object.entries(PRESETS).map(([value, p]) => (
                  <option key={value} value={value}>
                    {p.label}
                  </option>
                ))}
              </select>
              <span className="hint">
                Every datapoint must match it. You can change it later on the Schema tab.
              </span>
            </div>
          )}
          {type === "timeseries" && preset === "enum" && (
            <div className="field">
              <label htmlFor={`${id}-enum`}>Allowed values</label>
              <input
                id={`${id}-enum`}
                type="text"
                placeholder="low, medium, high"
                value={enumText}
                onChange={(e) => setEnumText(e.target.value)}
                aria-invalid={problem?.field === "enum" ? true : undefined}
              />
              {errorFor("enum")}
            </div>
          )}
          {type === "timeseries" && preset === "custom" && (
            <div className="field">
              <label htmlFor={`${id}-custom`}>JSON Schema</label>
              <textarea
                id={`${id}-custom`}
                className="code"
                rows={6}
                spellCheck={false}
                value={customText}
                onChange={(e) => setCustomText(e.target.value)}
                aria-invalid={problem?.field === "custom" ? true : undefined}
              />
              {errorFor("custom")}
            </div>
          )}
          {create.isError && (
            <div className="notice error" role="alert">
              <strong>The server refused to create the object</strong>
              <ErrorMessage error={create.error} />
            </div>
          )}
        </div>
        {confirmingDiscard ? (
          // Keyed apart: a reused <button> would turn into the submit button mid-click and create the object.
          <footer key="discard" className="dialog-footer discard-confirm">
            <span id={`${id}-discard`} className="discard-question" role="alert">
              Discard this new object? What you typed will be lost.
            </span>
            <button
              ref={keepEditing}
              type="button"
              className="button subtle"
              onClick={() => setConfirmingDiscard(false)}
            >
              Keep editing
            </button>
            <button type="button" className="button danger" onClick={onClose}>
              Discard
            </button>
          </footer>
        ) : (
          <footer key="actions" className="dialog-footer">
            <button type="button" className="button subtle" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={checking || create.isPending}>
              {checking ? "Checking…" : create.isPending ? "Creating…" : "Create object"}
            </button>
          </footer>
        )}
      </form>
    </Dialog>
  );
}
