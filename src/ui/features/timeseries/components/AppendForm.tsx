import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { errorKind, REPLACE_EXTENSION } from "../../../../client/index";
import { useCapabilities } from "../../../shared/api/capabilities";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";
import { keepDraft, takeDraft } from "../../../shared/drafts";
import { plainError } from "../../../shared/notifications/error-text";
import { pointerSegment } from "../../../shared/schema/json-locate";
import { formatTime, inputToSeconds, secondsToInput } from "../../../shared/time/format";
import { useAppend, useRemovePoints, useReplacePoint } from "../api/series";
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

/**
 * A conflict on save means another point already sits at the new time: the editor says so in its
 * own words (nothing changed); any other refusal reads as everywhere else, with heedy's code below.
 */
function WriteErrorText({ error, editing }: { error: unknown; editing: boolean }) {
  const { code } = plainError(error);
  if (!editing || !code || !/conflict with existing datapoint/.test(code))
    return <ErrorMessage error={error} />;
  return (
    <>
      <span>Another point already lies at that time or within the duration; nothing was changed.</span>
      <span className="error-code">Details: {code}</span>
    </>
  );
}

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

/** What the append form keeps of an unsent value when it unmounts. */
interface UnsentAppend {
  value: FormValue;
  time: string;
  duration: string;
}

/** A stored point being edited: time, duration and value can all change. */
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
  /** Edit this point instead of adding one: time, duration and value, saved as one replace. */
  edit?: EditedPoint;
  /** The zone times are shown and typed in (the viewer's setting). */
  zone?: string;
  /** After a successful edit or delete. */
  onDone?(): void;
  onCancel?(): void;
}

/**
 * Adds one datapoint, or edits one (`edit`: its time, duration and value, or deletes it). The value
 * is checked in the browser with the server's ajv code first (in the schema worker), every problem
 * is shown at once, and nothing is sent while a field shows an error; a refusal by the server
 * appears beside the form.
 */
export function AppendForm({ object, canWrite, edit, zone = "local", onDone, onCancel }: DatapointFormProps) {
  const id = useId();
  const schema = object.meta.schema ?? {};
  const schemaKey = JSON.stringify(schema);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form depends on the schema's content; `edit` is fixed for the form's life.
  const form = useMemo(() => formFor(schema, edit), [schemaKey]);
  const widget = form.widget;
  // An unsent value outlives the form (a 401 signs out and unmounts the page): see shared/drafts.
  const draftKey = edit ? null : `append:${object.id}:${schemaKey}`;
  const [restored] = useState(() => (draftKey ? takeDraft<UnsentAppend>(draftKey) : undefined));
  const [value, setValue] = useState<FormValue>(restored?.value ?? form.start);
  const [builtFor, setBuiltFor] = useState(schemaKey);
  // The edited point's time as typed; untouched, the exact stored time (sub-millisecond) is kept.
  const [storedTime] = useState(() => (edit ? secondsToInput(edit.t, zone) : ""));
  const [time, setTime] = useState(restored?.time ?? storedTime);
  const [duration, setDuration] = useState(restored?.duration ?? (edit?.dt ? String(edit.dt) : ""));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [checking, setChecking] = useState(false);
  /** The browser-side check could not run (the checker did not load): no field is at fault. */
  const [uncheckable, setUncheckable] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const append = useAppend(object);
  const replace = useReplacePoint(object);
  const remove = useRemovePoints(object);
  const write = edit ? replace : append;
  const capabilities = useCapabilities();
  const formRef = useRef<HTMLFormElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const [focusError, setFocusError] = useState(0);
  const [focusFirst, setFocusFirst] = useState(0);
  const unsent = useRef<UnsentAppend | null>(null);
  unsent.current = value !== form.start || time !== "" || duration !== "" ? { value, time, duration } : null;

  useEffect(
    () => () => {
      if (draftKey && unsent.current) keepDraft(draftKey, unsent.current);
    },
    [draftKey],
  );

  // After a refused submit, focus goes to the first field with a problem (keyboard and screen readers).
  useEffect(() => {
    if (focusError === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  // After a successful append, focus stays in the form, on its first field, ready for the next value.
  useEffect(() => {
    if (focusFirst === 0) return;
    formRef.current?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }, [focusFirst]);

  // A destructive question starts on its safe answer.
  useEffect(() => {
    if (confirmDelete) keepRef.current?.focus();
  }, [confirmDelete]);

  // A new schema brings new inputs.
  if (builtFor !== schemaKey) {
    setBuiltFor(schemaKey);
    setValue(form.start);
    setErrors({});
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (checking || write.isPending) return;
    setSent(null);
    setUncheckable(null);
    write.reset();
    const built = buildValue(widget, value);
    const next: FieldErrors = { ...built.errors };
    let t: number | undefined;
    let dt: number | undefined;
    if (edit && time === storedTime) t = edit.t;
    else {
      t = inputToSeconds(time, zone);
      if (time && t === undefined) next.timestamp = "Enter a valid date and time";
      if (edit && !time) next.timestamp = "Enter the point's date and time";
    }
    if (duration.trim()) {
      dt = Number(duration);
      if (!Number.isFinite(dt) || dt < 0) next.duration = "Enter a duration of 0 seconds or more";
    } else if (edit) dt = 0;
    // Every problem at once: the schema is checked even when some text could not be read.
    if (built.value !== undefined || Object.keys(built.errors).length === 0) {
      setChecking(true);
      try {
        Object.assign(next, await validateValue(schema, built.value, fieldPointers(widget), next));
      } catch {
        // The checker itself failed (it could not be loaded, e.g. offline before it ever ran):
        // nothing is known about the value, so no schema problem is blamed and nothing is sent.
        setChecking(false);
        setErrors(next);
        setUncheckable(
          "Not sent: the value could not be checked, because the schema checker did not load. Try again once the server is reachable.",
        );
        return;
      } finally {
        setChecking(false);
      }
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setFocusError((n) => n + 1);
      return;
    }
    if (edit) {
      replace.mutate(
        { selection: { t: edit.t }, point: { t: t ?? edit.t, d: built.value, ...(dt ? { dt } : {}) } },
        { onSuccess: () => onDone?.() },
      );
      return;
    }
    append.mutate(
      { d: built.value, t, dt },
      {
        onSuccess: () => {
          setSent(JSON.stringify(built.value));
          setValue(form.start);
          setTime("");
          setDuration("");
          setFocusFirst((n) => n + 1);
        },
      },
    );
  };

  const errorCount = Object.keys(errors).length;
  const busy = checking || write.isPending || remove.isPending;
  const failure = write.isError ? write.error : remove.isError ? remove.error : null;
  const atomic = capabilities.data?.extensions.includes(REPLACE_EXTENSION) ?? true;
  const status = (
    <span role="status" className="form-status">
      {uncheckable
        ? uncheckable
        : errorCount > 0
          ? `Not sent: fix ${errorCount === 1 ? "the field" : `${errorCount} fields`} marked ${edit ? "here" : "above"}.`
          : sent !== null
            ? `Appended ${sent.length > 60 ? `${sent.slice(0, 60)}…` : sent}.`
            : ""}
    </span>
  );

  // The same time and duration fields: shown openly when editing, folded away when appending.
  const timeFields = (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${id}-time`}>
          {edit ? `Time (${zone === "local" ? "local" : zone})` : "Timestamp (optional)"}
        </label>
        <input
          id={`${id}-time`}
          type="datetime-local"
          step={edit ? "0.001" : "1"}
          value={time}
          onChange={(e) => setTime(e.target.value)}
          aria-invalid={errors.timestamp ? true : undefined}
          aria-describedby={`${id}-time-help`}
        />
        <span id={`${id}-time-help`} className={errors.timestamp ? "field-error" : "hint"}>
          {errors.timestamp ??
            (edit ? "Moving the point removes it from its old time." : "Your local time; now when empty.")}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-dt`}>Duration in seconds{edit ? "" : " (optional)"}</label>
        <input
          id={`${id}-dt`}
          type="text"
          inputMode="decimal"
          placeholder="0"
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          aria-invalid={errors.duration ? true : undefined}
          aria-describedby={errors.duration ? `${id}-dt-error` : undefined}
        />
        <ErrorText id={`${id}-dt-error`} message={errors.duration} />
      </div>
    </div>
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
          Stored at <strong>{formatTime(edit.t, zone)}</strong> ({edit.t} unix seconds)
          {edit.dt ? `, lasting ${edit.dt} s` : ""}. Change the time, duration or value; they are saved
          together.
        </p>
      ) : (
        <h2 id={`${id}-title`} className="section-title">
          Add a datapoint
        </h2>
      )}
      {!canWrite && (
        <p className="notice warning">
          This app lacks the write scope on this object, so the server will refuse.
        </p>
      )}
      {restored && (
        <p className="hint" role="status">
          Your unsent value was kept; check it and append again.
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
      {edit ? (
        timeFields
      ) : (
        <details className="append-options" open={Boolean(errors.timestamp || errors.duration) || undefined}>
          <summary>Time and duration</summary>
          {timeFields}
        </details>
      )}
      {edit && !atomic && (
        <p className="hint" data-testid="edit-not-atomic">
          This server cannot replace a point in one step: the old point is removed, then the new one written
          (and the old one restored if the server refuses it).
        </p>
      )}
      {edit && confirmDelete ? (
        <div className="notice warning edit-delete-confirm" role="alert">
          <p>
            Delete the point at <strong>{formatTime(edit.t, zone)}</strong>? This cannot be undone.
          </p>
          <div className="dialog-actions">
            <button
              ref={keepRef}
              type="button"
              className="button subtle"
              onClick={() => setConfirmDelete(false)}
            >
              Keep it
            </button>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => remove.mutate({ t: edit.t }, { onSuccess: () => onDone?.() })}
            >
              {remove.isPending ? "Deleting…" : "Delete point"}
            </button>
          </div>
        </div>
      ) : (
        <div className={edit ? "form-actions dialog-actions" : "form-actions"}>
          {edit && canWrite && (
            <button
              type="button"
              className="button subtle danger edit-delete"
              onClick={() => setConfirmDelete(true)}
              disabled={busy}
            >
              Delete…
            </button>
          )}
          {edit && status}
          {edit && (
            <button type="button" className="button subtle" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {checking
              ? "Checking…"
              : write.isPending
                ? edit
                  ? "Saving…"
                  : "Adding…"
                : edit
                  ? "Save"
                  : "Append"}
          </button>
          {!edit && status}
        </div>
      )}
      {failure !== null && (
        <div className="notice error" role="alert">
          <strong>
            {errorKind(failure) === "unreachable"
              ? `Not ${edit ? "saved" : "sent"}: the server could not be reached`
              : remove.isError
                ? "The server refused to delete the point"
                : "The server refused the datapoint"}
          </strong>
          <WriteErrorText error={failure} editing={edit !== undefined} />
        </div>
      )}
    </form>
  );
}
