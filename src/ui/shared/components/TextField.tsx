import { useId } from "react";

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: "text" | "password";
  /** Rows of a multi-line field (a <textarea>); a one-line <input> without it. */
  rows?: number;
  autoComplete?: string;
  required?: boolean;
  spellCheck?: boolean;
  /** Extra classes on the field's wrapper, e.g. "grow" inside a `field-row`. */
  className?: string;
  /** A problem with this field: shown under it and tied to it for screen readers. */
  error?: string | undefined;
}

/**
 * A labelled text field in the app's form layout. One place owns the label/id/error wiring, so
 * every form gets `aria-invalid` and `aria-describedby` right without repeating them.
 */
export function TextField({
  label,
  value,
  onChange,
  type = "text",
  rows,
  autoComplete = "off",
  required,
  spellCheck,
  className,
  error,
}: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const shared = {
    id,
    value,
    required,
    spellCheck,
    autoComplete,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
  };
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {rows ? (
        <textarea {...shared} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...shared} type={type} onChange={(e) => onChange(e.target.value)} />
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
