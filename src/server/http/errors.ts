import { type HeedyErrorBody, splitInternalError } from "../../core/errors.js";

/**
 * An error that reaches the wire. `message` is heedy's internal error string (`"bad_query: …"`);
 * the wire type and description are derived from it exactly as heedy does (contract 1.4).
 */
export class HttpError extends Error {
  readonly status: number;
  /** Authentication-stage errors carry no request id (contract 1.4). */
  readonly withoutId: boolean;
  /** Extra headers, e.g. Retry-After. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { withoutId?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.withoutId = opts.withoutId ?? false;
    this.headers = opts.headers ?? {};
  }

  body(requestId: string): HeedyErrorBody {
    const parts = splitInternalError(this.message);
    return this.withoutId ? parts : { ...parts, id: requestId };
  }
}

/** The not-found of contract 1.4/6.3, with the status the code path calls for. */
export const notFound = (status = 400) =>
  new HttpError(status, "not_found: The selected resource was not found");

export const accessDenied = (description: string, status = 400) =>
  new HttpError(status, `access_denied: ${description}`);

export const unimplemented = () => new HttpError(400, "The given functionality is currently unimplemented");

export const nothingToUpdate = () => new HttpError(400, "nop: Nothing to update");
