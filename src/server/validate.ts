import { checkJsonSchema } from "../core/schema.js";
import { HttpError } from "./http/errors.js";
import type { SchemaChecker } from "./object-meta.js";

/**
 * Checks a user's data schema (timeseries `meta.schema`). A JSON Schema error is returned for the
 * caller to report under heedy's `schema` type; a schema refused by a safety limit (size, depth,
 * enum length, a pattern RE2 cannot run, an unknown draft) is a 400 `bad_request` naming the limit.
 */
export const checkUserSchema: SchemaChecker = (schema) => {
  const problem = checkJsonSchema(schema);
  if (!problem) return undefined;
  if (problem.limit) throw new HttpError(400, `bad_request: ${problem.message}`);
  return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
};

/** Names are trimmed, non-empty, and free of control whitespace (contract 3). */
export function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || /[\n\r\t\b\f]/.test(trimmed)) throw new HttpError(400, "bad_request: Invalid name");
  return trimmed;
}

/** Icons: empty, a data:image URL of any length, or a name of at most 30 characters (contract 3). */
export function checkIcon(icon: string): string {
  if (icon === "" || icon.startsWith("data:image/") || icon.length <= 30) return icon;
  throw new HttpError(400, "bad_request: icon name can't be more than 30 characters unless it is an image");
}

export function checkUsername(username: string): string {
  if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(username)) throw new HttpError(400, "bad_request: Invalid Username");
  return username;
}

/** Space-separated sets are de-duplicated on write (contract 3). */
export function normaliseSet(value: string): string {
  return [...new Set(value.split(/\s+/).filter((s) => s !== ""))].join(" ");
}
