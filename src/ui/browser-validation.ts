/**
 * The browser runs the server's own ajv code (core/schema.ts). Ajv compiles every schema into a
 * function with `new Function`, which a Content-Security-Policy without `'unsafe-eval'` in
 * `script-src` forbids. When that happens these wrappers report "unavailable" instead of throwing,
 * and the views fall back to the server's check (it validates every write anyway) and say so.
 */
import type { ValidateFunction } from "ajv";
import { checkJsonSchema, compileSchema, isEmptySchema, type SchemaProblem } from "../core/schema";

let blocked = false;

function isEvalBlocked(err: unknown): boolean {
  return (
    err instanceof EvalError ||
    (err instanceof Error && /unsafe-eval|Content Security Policy/i.test(err.message))
  );
}

/** False once the page's CSP has refused ajv's code generation. */
export function browserValidationAvailable(): boolean {
  return !blocked;
}

export const UNAVAILABLE_NOTE =
  "This server's Content-Security-Policy does not allow the browser to compile JSON Schemas, so the server checks this instead.";

/** The meta-schema check of core/schema.ts; `"unavailable"` when the CSP forbids it. */
export function checkSchemaInBrowser(schema: unknown): SchemaProblem | null | "unavailable" {
  if (blocked) return "unavailable";
  try {
    return checkJsonSchema(schema);
  } catch (err) {
    if (!isEvalBlocked(err)) throw err;
    blocked = true;
    return "unavailable";
  }
}

/** The validator of `schema`; `null` when the CSP forbids compiling it. */
export function compileInBrowser(schema: unknown): ValidateFunction | null {
  if (isEmptySchema(schema)) return (() => true) as unknown as ValidateFunction;
  if (blocked) return null;
  try {
    return compileSchema(schema);
  } catch (err) {
    if (!isEvalBlocked(err)) throw err;
    blocked = true;
    return null;
  }
}
