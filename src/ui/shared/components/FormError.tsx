import { ErrorMessage } from "./ErrorMessage";

/**
 * A failed request beside the form that sent it: nothing while there is no error, else the plain
 * sentence with heedy's code on a details line. With a `title`, a notice that says what did not
 * happen ("The user was not created") above the reason.
 */
export function FormError({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  if (!title)
    return (
      <p className="field-error" role="alert">
        <ErrorMessage error={error} />
      </p>
    );
  return (
    <div className="notice error" role="alert">
      <strong>{title}</strong>
      <ErrorMessage error={error} />
    </div>
  );
}
