/** The JSON error body every heedy endpoint answers with (contract 1.4). */
export interface HeedyErrorBody {
  error: string;
  error_description: string;
  /** Request id; absent on errors produced by the authentication stage (contract 1.4). */
  id?: string;
}

/**
 * heedy keeps every internal error as one string and derives the wire type from it: the part before
 * the first ":" is the type when it contains no space, else the type is `server_error` (contract 1.4).
 */
export function splitInternalError(message: string): { error: string; error_description: string } {
  const colon = message.indexOf(":");
  if (colon > 0) {
    const head = message.slice(0, colon);
    if (!head.includes(" ")) {
      return { error: head, error_description: message.slice(colon + 1).trim() };
    }
  }
  return { error: "server_error", error_description: message };
}

export function isHeedyErrorBody(value: unknown): value is HeedyErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).error === "string" &&
    typeof (value as Record<string, unknown>).error_description === "string"
  );
}
