import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { errorDetail } from "../../../shared/notifications/notification-store";
import { pointerSegment } from "../../../shared/schema/json-locate";
import { formatTime } from "../../../shared/time/format";
import { useAppend } from "../api/series";
import {
  buildValue,
  type FieldErrors,
  type FormValue,
  fieldPointers,
  formValueOf,
  initialValue,
  validateValue,
  type Widget,
  widgetFor,
} from "../model/append-model";

interface FieldProps {
  widget: Widget;
  value: FormValue;
  onChange(value: FormValue): void;
  label: string;
  pointer: string;
  errors: FieldErrors;
  required?: boolean;
  description?: string;
}

function ErrorText({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className="field-error">
      {message}
    </span>
  ) : null;
}

function Field({ widget, value, onChange, label, pointer, errors, required, description }: FieldProps) {
  const id = useId();
  const error = errors[pointer];
  const errorId = `${id}-error`;
  const a11y = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : description ? `${id}-help` : undefined,
  };
  const labelText = `${label}${required ? "" : widget.kind === "object" ? "" : pointer === "" ? "" : " (optional)"}`;
  const help = description ? (
    <span id={`${id}-help`} className="hint">
      {description}
    </span>
  ) : null;

  switch (widget.kind) {
    case "object": {
      const record = typeof value === "object" ? value : {};
      return (
        <fieldset className="nested">
          <legend>{label}</legend>
          {widget.fields.map((f) => (
            <Field
              key={f.name}
              widget={f.widget}
              value={record[f.name] ?? initialValue(f.widget)}
              onChange={(v) => onChange({ ...record, [f.name]: v })}
              label={f.name}
              pointer={`${pointer}/${pointerSegment(f.name)}`}
              errors={errors}
              required={f.required}
              description={f.description}
            />
          ))}
          <ErrorText id={errorId} message={error} />
        </fieldset>
      );
    }
    case "boolean":
      return (
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              {...a11y}
              checked={value === true}
              onChange={(e) => onChange(e.target.checked)}
            />
            {label}
          </label>
          {help}
          <ErrorText id={errorId} message={error} />
        </div>
      );
    case "enum":
      return (
        <div className="field">
          <label htmlFor={id}>{labelText}</label>
          <select {...a11y} value={String(value)} onChange={(e) => onChange(e.target.value)}>
            <option value="">Choose…</option>
            {widget.values.map((v, i) => (
              <option key={JSON.stringify(v)} value={String(i)}>
                {typeof v === "string" ? v : JSON.stringify(v)}
              </option>
            ))}
          </select>
          {help}
          <ErrorText id={errorId} message={error} />
        </div>
      );
    case "number": {
      const range =
        widget.minimum !== undefined || widget.maximum !== undefined
          ? `${widget.minimum ?? "−∞"} to ${widget.maximum ?? "∞"}`
          : undefined;
      return (
        <div className="field">
          <label htmlFor={id}>{labelText}</label>
          <input
            {...a11y}
            type="text"
            inputMode={widget.integer ? "numeric" : "decimal"}
            autoComplete="off"
            placeholder={range ?? (widget.integer ? "Whole number" : "Number")}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
          {help}
          <ErrorText id={errorId} message={error} />
        </div>
      );
    }
    case "string":
      return (
        <div className="field">
          <label htmlFor={id}>{labelText}</label>
          <input
            {...a11y}
            type="text"
            placeholder={widget.format ?? "Text"}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
          {help}
          <ErrorText id={errorId} message={error} />
        </div>
      );
    case "json":
      return (
        <div className="field">
          <label htmlFor={id}>{`${labelText} (JSON)`}</label>
          <textarea
            {...a11y}
            className="code"
            rows={3}
            spellCheck={false}
            placeholder='e.g. 42, "text", {"a": 1}'
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
          {help}
          <ErrorText id={errorId} message={error} />
        </div>
      );
  }
}

function localDateTimeToSeconds(text: string): number | undefined {
  if (!text) return undefined;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** A stored point being edited: its time and duration are kept exactly, only `d` changes. */
export interface EditedPoint {
  t: number;
  dt?: number;
  d: unknown;
}

const JSON_WIDGET: Widget = { kind: "json" };

/** The inputs for a schema, and for an edited point their starting values. */
function formFor(schema: unknown, edit: EditedPoint | undefined) {
  const widget = widgetFor(schema);
  if (!edit) return { widget, start: initialValue(widget), asJson: false };
  const start = formValueOf(widget, edit.d);
  if (start !== null) return { widget, start, asJson: false };
  // The generated inputs cannot show this value exactly; the JSON box can, and nothing is lost.
  return {
    widget: JSON_WIDGET,
    start: JSON.stringify(edit.d, null, 2) ?? "",
    asJson: widget.kind !== "json",
  };
}

interface DatapointFormProps {
  object: HeedyObject;
  canWrite: boolean;
  /** Edit this point instead of adding one: the write at its exact t and dt replaces it. */
  edit?: EditedPoint;
  /** Times are shown in UTC (the viewer's setting); only used when editing. */
  zone?: string;
  /** After a successful edit. */
  onDone?(): void;
  onCancel?(): void;
}

/**
 * Adds one datapoint, or replaces the value of one (`edit`). The value is checked in the browser
 * with the server's ajv code first (in the schema worker), and nothing is sent while a field shows
 * an error; a refusal by the server appears beside the form.
 */
export function AppendForm({ object, canWrite, edit, zone = "local", onDone, onCancel }: DatapointFormProps) {
  const id = useId();
  const schema = object.meta.schema ?? {};
  const schemaKey = JSON.stringify(schema);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form depends on the schema's content; `edit` is fixed for the form's life.
  const form = useMemo(() => formFor(schema, edit), [schemaKey]);
  const widget = form.widget;
  const [value, setValue] = useState<FormValue>(form.start);
  const [builtFor, setBuiltFor] = useState(schemaKey);
  const [time, setTime] = useState("");
  const [duration, setDuration] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [checking, setChecking] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const append = useAppend(object);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);

  // After a refused submit, focus goes to the first field with a problem (keyboard and screen readers).
  useEffect(() => {
    if (focusError === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  // A new schema brings new inputs.
  if (builtFor !== schemaKey) {
    setBuiltFor(schemaKey);
    setValue(form.start);
    setErrors({});
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (checking || append.isPending) return;
    setSent(null);
    append.reset();
    const built = buildValue(widget, value);
    const next: FieldErrors = { ...built.errors };
    let t: number | undefined;
    let dt: number | undefined;
    if (edit) {
      // The exact stored time (sub-second included) and duration: the write replaces the point.
      t = edit.t;
      dt = edit.dt;
    } else {
      t = localDateTimeToSeconds(time);
      if (time && t === undefined) next.timestamp = "Enter a valid date and time";
      if (duration.trim()) {
        dt = Number(duration);
        if (!Number.isFinite(dt) || dt < 0) next.duration = "Enter a duration of 0 seconds or more";
      }
    }
    if (Object.keys(next).length === 0) {
      setChecking(true);
      try {
        Object.assign(next, await validateValue(schema, built.value, fieldPointers(widget)));
      } catch (err) {
        next[""] = `The value could not be checked in the browser: ${(err as Error).message}`;
      } finally {
        setChecking(false);
      }
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setFocusError((n) => n + 1);
      return;
    }
    append.mutate(
      { d: built.value, t, dt },
      {
        onSuccess: () => {
          if (edit) {
            onDone?.();
            return;
          }
          setSent(JSON.stringify(built.value));
          setValue(initialValue(widget));
          setTime("");
          setDuration("");
        },
      },
    );
  };

  const errorCount = Object.keys(errors).length;
  const busy = checking || append.isPending;
  const status = (
    <span role="status" className="form-status">
      {errorCount > 0
        ? `Not sent: fix ${errorCount === 1 ? "the field" : `${errorCount} fields`} marked above.`
        : sent !== null
          ? `Appended ${sent.length > 60 ? `${sent.slice(0, 60)}…` : sent}.`
          : ""}
    </span>
  );

  return (
    <form
      ref={formRef}
      className={edit ? "append-form edit-form" : "append-form card"}
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={edit ? undefined : `${id}-title`}
      aria-label={edit ? "Datapoint value" : undefined}
    >
      {edit ? (
        <p className="hint" data-testid="edit-point-time">
          Time <strong>{formatTime(edit.t, zone)}</strong> ({edit.t} unix seconds)
          {edit.dt ? `, duration ${edit.dt} s` : ""}, kept as stored: the new value replaces the old one.
        </p>
      ) : (
        <h3 id={`${id}-title`}>Add a datapoint</h3>
      )}
      {!canWrite && (
        <p className="notice warning">
          This app lacks the write scope on this object, so the server will refuse.
        </p>
      )}
      {form.asJson && (
        <p className="hint">
          This value has parts the schema&apos;s fields cannot show, so it is edited as JSON.
        </p>
      )}
      <Field
        widget={widget}
        value={value}
        onChange={setValue}
        label="Value"
        pointer=""
        errors={errors}
        required
      />
      {!edit && (
        <details className="append-options">
          <summary>Time and duration</summary>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-time`}>Timestamp (optional)</label>
              <input
                id={`${id}-time`}
                type="datetime-local"
                step="1"
                value={time}
                onChange={(e) => setTime(e.target.value)}
                aria-invalid={errors.timestamp ? true : undefined}
                aria-describedby={`${id}-time-help`}
              />
              <span id={`${id}-time-help`} className={errors.timestamp ? "field-error" : "hint"}>
                {errors.timestamp ?? "Your local time; now when empty."}
              </span>
            </div>
            <div className="field">
              <label htmlFor={`${id}-dt`}>Duration in seconds (optional)</label>
              <input
                id={`${id}-dt`}
                type="text"
                inputMode="decimal"
                value={duration}
                onChange={(e) => setDuration(e.target.value)}
                aria-invalid={errors.duration ? true : undefined}
                aria-describedby={errors.duration ? `${id}-dt-error` : undefined}
              />
              <ErrorText id={`${id}-dt-error`} message={errors.duration} />
            </div>
          </div>
        </details>
      )}
      <div className={edit ? "form-actions dialog-actions" : "form-actions"}>
        {edit && status}
        {edit && (
          <button type="button" className="button subtle" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {checking
            ? "Checking…"
            : append.isPending
              ? edit
                ? "Saving…"
                : "Adding…"
              : edit
                ? "Save"
                : "Append"}
        </button>
        {!edit && status}
      </div>
      {append.isError && (
        <div className="notice error" role="alert">
          <strong>The server refused the datapoint</strong>
          <span>{errorDetail(append.error)}</span>
        </div>
      )}
    </form>
  );
}
