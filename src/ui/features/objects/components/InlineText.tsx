import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";

interface InlineTextProps {
  /** What the value is, e.g. "Name": used for the input label and the "Edit name" button. */
  label: string;
  value: string;
  /** Resolves when saved; a rejection's message is shown beside the input. */
  onSave(value: string): Promise<unknown>;
  canEdit: boolean;
  /** Why editing is not possible, for the disabled button's tooltip. */
  readOnlyReason?: string;
  multiline?: boolean;
  /** How the value reads when not editing (default: the text, or an em dash when empty). */
  display?: ReactNode;
  className?: string;
  hint?: string;
}

/**
 * Shows a value with an edit button; editing swaps in an input. Enter (Ctrl+Enter when multiline)
 * saves, Escape cancels, and focus returns to the edit button afterwards.
 */
export function InlineText({
  label,
  value,
  onSave,
  canEdit,
  readOnlyReason,
  multiline,
  display,
  className,
  hint,
}: InlineTextProps) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (editing) input.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  const start = () => {
    setDraft(value);
    setError(null);
    setEditing(true);
  };
  const cancel = () => {
    returnFocus.current = true;
    setEditing(false);
    setError(null);
  };
  const save = async () => {
    if (draft === value) {
      cancel();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await onSave(draft);
      returnFocus.current = true;
      setEditing(false);
    } catch (err) {
      setError(err);
      // The input stays where it was (read-only while saving, never disabled, which would drop
      // focus to <body> and leave Escape with nothing to cancel).
      input.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  if (!editing) {
    return (
      <div className={`inline-text ${className ?? ""}`}>
        <div className="inline-value">{display ?? (value ? value : <span className="muted">—</span>)}</div>
        {canEdit ? (
          <button
            ref={editButton}
            type="button"
            className="button subtle small edit-button"
            aria-label={`Edit ${label.toLowerCase()}`}
            onClick={start}
          >
            Edit
          </button>
        ) : readOnlyReason ? (
          <span className="visually-hidden">{readOnlyReason}</span>
        ) : null}
      </div>
    );
  }

  const common = {
    id: `${id}-input`,
    value: draft,
    readOnly: saving,
    "aria-busy": saving || undefined,
    "aria-invalid": error !== null ? true : undefined,
    "aria-describedby": error !== null ? `${id}-error` : hint ? `${id}-hint` : undefined,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        cancel();
      } else if (e.key === "Enter" && (!multiline || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void save();
      }
    },
  };

  return (
    <form
      className={`inline-text editing ${className ?? ""}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {label}
      </label>
      {multiline ? (
        <textarea ref={input} rows={3} {...common} />
      ) : (
        <input ref={input} type="text" {...common} />
      )}
      <div className="inline-actions">
        <button type="submit" className="button primary small" disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button subtle small" onClick={cancel} disabled={saving}>
          Cancel
        </button>
      </div>
      {hint && error === null && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error !== null && (
        <span id={`${id}-error`} className="field-error" role="alert">
          <ErrorMessage error={error} />
        </span>
      )}
    </form>
  );
}
