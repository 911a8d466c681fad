import { plainError } from "../notifications/error-text";

/**
 * An error as a plain sentence, with heedy's code on a small details line below it: the person
 * reads what happened, and a bug report still carries the server's exact words.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  const { sentence, code } = plainError(error);
  return (
    <>
      <span>{sentence}</span>
      {code && <span className="error-code">Details: {code}</span>}
    </>
  );
}
