import { type HeedyErrorBody, isHeedyErrorBody } from "../core/errors.js";

/**
 * An error answered by a heedy server: the JSON body of contract 1.4 plus the HTTP status.
 *
 * `String(err)` is `"<error>: <error_description>"`, exactly what the Python client prints
 * (`bad_query: The data failed schema validation` in the tutorial), so UI messages and logs read
 * the same in both languages.
 */
export class HeedyError extends Error {
  /** The error type, e.g. `bad_query`, `access_denied`, `not_found`. */
  readonly error: string;
  readonly errorDescription: string;
  /** HTTP status; 0 when no HTTP answer was received at all. */
  readonly status: number;
  /** Request id; heedy omits it on authentication failures (contract 1.4). */
  readonly id: string | undefined;
  /** Seconds from the `Retry-After` header, when the server sent one (a 429 of the login limiter). */
  retryAfterS: number | undefined;

  constructor(
    error: string,
    errorDescription: string,
    status: number,
    id?: string,
    options?: { cause?: unknown },
  ) {
    super(`${error}: ${errorDescription}`, options);
    this.name = "HeedyError";
    this.error = error;
    this.errorDescription = errorDescription;
    this.status = status;
    this.id = id;
  }

  static fromBody(body: HeedyErrorBody, status: number): HeedyError {
    return new HeedyError(body.error, body.error_description, status, body.id);
  }

  /** The error body as the server sent it (handy for logging and for re-serialising). */
  toJSON(): HeedyErrorBody {
    const body: HeedyErrorBody = { error: this.error, error_description: this.errorDescription };
    if (this.id !== undefined) body.id = this.id;
    return body;
  }

  /** Error.prototype.toString would prefix the class name; heedy's format has none. */
  override toString(): string {
    return this.message;
  }
}

/**
 * No HTTP answer at all: DNS failure, refused connection, CORS refusal, TLS error. The UI shows
 * "server unreachable" for these.
 */
export class HeedyNetworkError extends HeedyError {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super("network_error", `Could not reach ${url}: ${reason}`, 0, undefined, { cause });
    this.name = "HeedyNetworkError";
  }
}

/**
 * An HTTP answer that is not what a heedy server sends: a success body that is not JSON, or an
 * error body without `error`/`error_description`. The type `malformed_response` is the one the
 * Python client uses for the same case (contract 11). The UI shows "not a heedy server".
 */
export class HeedyResponseError extends HeedyError {
  /** The first characters of the body, to help tell a proxy's HTML page from a truncated answer. */
  readonly bodyStart: string;

  constructor(url: string, status: number, body: string, reason: string) {
    super("malformed_response", `${reason} (HTTP ${status} from ${url})`, status);
    this.name = "HeedyResponseError";
    this.bodyStart = body.slice(0, 200);
  }
}

/** What went wrong, in the terms a login screen or an error toast needs. */
export type ErrorKind =
  /** No HTTP answer (HeedyNetworkError). */
  | "unreachable"
  /** Something answered, but not like heedy (HeedyResponseError). */
  | "not_heedy"
  /** The credentials were refused: 401 (bad/disabled app token, bad plugin key; contract 2.1). */
  | "token_rejected"
  /** The request was cancelled through its AbortSignal. */
  | "aborted"
  /** Any other answer of the server: the request itself was refused or failed. */
  | "request_failed"
  /** Not an error this library produces. */
  | "unknown";

export function errorKind(err: unknown): ErrorKind {
  if (err instanceof HeedyNetworkError) return "unreachable";
  if (err instanceof HeedyResponseError) return "not_heedy";
  if (err instanceof HeedyError) return err.status === 401 ? "token_rejected" : "request_failed";
  if (isAbortError(err)) return "aborted";
  return "unknown";
}

/** fetch rejects with a DOMException named AbortError (or the signal's own reason) on abort. */
export function isAbortError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

/**
 * Turns a non-2xx answer into the right error. A body with the heedy shape is a HeedyError with the
 * server's own type and text; anything else means we are not talking to heedy.
 */
export function errorFromResponse(url: string, status: number, text: string): HeedyError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new HeedyResponseError(url, status, text, "The error answer is not JSON");
  }
  if (isHeedyErrorBody(body)) return HeedyError.fromBody(body, status);
  return new HeedyResponseError(url, status, text, "The error answer lacks error/error_description");
}
