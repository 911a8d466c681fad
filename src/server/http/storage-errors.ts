import { ConstraintError } from "../store/types.js";
import { HttpError } from "./errors.js";

/**
 * The one place a broken storage constraint becomes a wire error, on every store: heedy's
 * constraint text as a server_error with status 400 (contract 6.2 step 7, 4.2).
 */
export function constraintToHttp(err: ConstraintError): HttpError {
  return new HttpError(400, err.message);
}

/**
 * Broken constraints, and SQLite's answers for a full or unwritable database, as errors a person
 * can act on. A full
 * database still accepts deletes (they free pages), so the message says so.
 */
export function storageError(err: Error): HttpError | undefined {
  if (err instanceof ConstraintError) return constraintToHttp(err);
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string") return undefined;
  // PostgreSQL: text with a NUL character, which its text type cannot hold.
  if (code === "22021") return new HttpError(400, "bad_request: Text must not contain NUL characters");
  if (code === "SQLITE_FULL") {
    return new HttpError(
      507,
      "insufficient_storage: The database is full (its disk, or limits.database_bytes in heedy.json). " +
        "Delete objects or data to free space; deletes still work.",
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new HttpError(
      503,
      "read_only: The database cannot be written (check the permissions and free space of the data " +
        "folder); reads still work.",
    );
  }
  return undefined;
}
