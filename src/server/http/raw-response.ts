import { STATUS_CODES } from "node:http";
import { requestId } from "./request-id.js";
import { SECURITY_HEADERS } from "./security.js";

/**
 * heedy's error body (contract 1.4) and the headers every other response carries, plus
 * `connection: close`: these answer requests fastify never routed, after which nothing else on
 * the connection can be trusted.
 */
export function rawError(
  error: string,
  description: string,
  id = requestId(),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ error, error_description: description, id });
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...SECURITY_HEADERS,
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  return { body, headers };
}

/**
 * A whole HTTP/1.1 error response as text, for the places with no response object: a request
 * Node could not parse, a timeout, a connection over the cap.
 */
export function rawErrorResponse(status: number, error: string, description: string): string {
  const { body, headers } = rawError(error, description);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n${lines.join("")}\r\n${body}`;
}
