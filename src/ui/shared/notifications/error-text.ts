/**
 * What a failure means, in a sentence a person can act on, with heedy's own code kept for a details
 * line (support, bug reports). The server's wire answers stay heedy's (contract 1.4); only the page
 * translates them. Raw URLs never reach the sentence: the network error's text names the API URL,
 * which tells a person nothing and makes identical failures look different.
 */
import { errorKind, HeedyError } from "../../../client/index";
import { type ConstraintName, constraintOf } from "../../../core/constraints";

export interface PlainError {
  /** One sentence, no codes or URLs. */
  sentence: string;
  /** heedy's `error: description`, or the HTTP status, for a details line; absent when there is none. */
  code?: string;
}

/**
 * heedy passes storage constraint errors through verbatim (contract 6.2 step 7); core/constraints.ts
 * names the constraint, so no database text is matched here.
 */
const CONSTRAINT_HELP: Partial<Record<ConstraintName, string>> = {
  "objects.key+app": "Another object of this app already uses this key.",
  "objects.apps_only_key": "Only objects that belong to an app can have a key.",
  "users.username": "That username is taken.",
};

/** Known heedy descriptions (by error type and text) and what they mean to the person who caused them. */
const KNOWN: readonly [error: string | null, description: RegExp, sentence: string][] = [
  [
    "bad_request",
    /^Invalid name$/,
    "The name is empty or contains line breaks or tabs; give a one-line name.",
  ],
  ["access_denied", /^The current password is wrong$/, "The current password is wrong."],
  ["bad_query", /^Object key can't be empty string$/, "A key cannot be empty; leave it out instead."],
  ["bad_query", /^The data failed schema validation$/, "The value does not match the object's schema."],
  [
    "bad_query",
    /^conflict with existing datapoint$/,
    "A datapoint already exists at that time, and this write may not replace it.",
  ],
  [
    "bad_query",
    /^data must be ordered/,
    "The datapoints must be in time order, and their durations must not overlap.",
  ],
  ["bad_query", /^durations can't be negative$/, "A duration cannot be negative."],
  ["bad_request", /^null datapoint$/, "A datapoint needs a value; null is not allowed."],
  ["bad_query", /^Schema must have type 'object'$/, "A timeseries schema must be a JSON object."],
  [
    "bad_request",
    /is larger than \d+ bytes$/,
    "That is too much data for one request; send it in smaller parts.",
  ],
  ["bad_request", /nested more than \d+ levels deep/, "The value is nested too deeply for the server."],
  ["bad_request", /too large for a double/, "A number is too large for the server to store."],
  [
    "insufficient_storage",
    /./,
    "The server's database is full. Delete objects or data to free space; deletes still work.",
  ],
  ["read_only", /./, "The server's database cannot be written right now; reading still works."],
];

function byType(err: HeedyError): string {
  switch (err.error) {
    case "access_denied":
      return "This app is not allowed to do that. Its scopes, or the object's access, do not permit it.";
    case "not_found":
      return "It no longer exists, or this app cannot see it.";
    case "bad_query":
    case "bad_request":
      return "The server could not accept this request as it stands.";
    default:
      return err.status >= 500
        ? "The server ran into a problem. Try again; if it keeps failing, check the server's log."
        : "The server refused the request.";
  }
}

export function plainError(err: unknown): PlainError {
  switch (errorKind(err)) {
    case "unreachable":
      return { sentence: "The server could not be reached. Check the connection; the app keeps retrying." };
    case "not_heedy": {
      const status = err instanceof HeedyError ? err.status : 0;
      return {
        sentence: "Something other than the heedy server answered (a proxy or gateway, perhaps).",
        code: status > 0 ? `HTTP ${status}` : undefined,
      };
    }
    case "token_rejected":
      return { sentence: "The server no longer accepts this app's token. Sign in again." };
    default:
      break;
  }
  if (err instanceof HeedyError) {
    const code = `${err.error}: ${err.errorDescription}`;
    const constraint = constraintOf(err.errorDescription);
    const help = constraint && CONSTRAINT_HELP[constraint];
    if (help) return { sentence: help, code };
    const known = KNOWN.find(
      ([type, pattern]) => (type === null || type === err.error) && pattern.test(err.errorDescription),
    );
    return { sentence: known ? known[2] : byType(err), code };
  }
  if (err instanceof Error) return { sentence: err.message };
  return { sentence: String(err) };
}
