import { HttpError } from "./http/errors.js";

/** Tells why a value is not a usable JSON Schema, or undefined when it is. */
export type SchemaChecker = (schema: unknown) => string | undefined;

/**
 * Timeseries meta of decision 1: exactly `actor` (boolean), `schema` (a JSON Schema object) and
 * `subtype` (string), each with a default that `null` restores.
 */
const TIMESERIES_META: Record<string, { kind: "boolean" | "object" | "string"; fallback: () => unknown }> = {
  actor: { kind: "boolean", fallback: () => false },
  schema: { kind: "object", fallback: () => ({}) },
  subtype: { kind: "string", fallback: () => "" },
};

export function defaultMeta(type: string): Record<string, unknown> {
  if (type !== "timeseries") return {};
  return Object.fromEntries(Object.entries(TIMESERIES_META).map(([k, d]) => [k, d.fallback()]));
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function checkEntry(key: string, value: unknown, checkSchema: SchemaChecker): void {
  const spec = TIMESERIES_META[key];
  if (!spec) throw new HttpError(400, `Property '${key}' not permitted`);
  const actual = kindOf(value);
  const ok = spec.kind === "object" ? actual === "object" : actual === spec.kind;
  if (!ok) {
    // Shaped like heedy's gojsonschema messages, whose field name becomes the error type (1.4).
    throw new HttpError(400, `${key}: Invalid type. Expected: ${spec.kind}, given: ${actual}`);
  }
  if (key === "schema") {
    const problem = checkSchema(value);
    if (problem !== undefined) throw new HttpError(400, `schema: ${problem}`);
  }
}

/** Meta of a new object: missing keys get their defaults, then every key is checked (6.2 step 5). */
export function metaForCreate(
  type: string,
  meta: Record<string, unknown> | undefined,
  checkSchema: SchemaChecker,
): Record<string, unknown> {
  const out = defaultMeta(type);
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (type === "timeseries" && v === null) continue;
    // Create validates the whole meta against the type's schema, so heedy words this like
    // gojsonschema does (6.2 step 5); the per-key PATCH message is "Property '<key>' not permitted".
    if (type === "timeseries" && !TIMESERIES_META[k]) {
      throw new HttpError(400, `(root): Additional property ${k} is not allowed`);
    }
    if (type === "timeseries") checkEntry(k, v, checkSchema);
    out[k] = v;
  }
  return out;
}

/** A meta PATCH is a per-key merge; `null` restores the default (contract 6.4). */
export function mergeMeta(
  type: string,
  stored: Record<string, unknown>,
  patch: Record<string, unknown>,
  checkSchema: SchemaChecker,
): Record<string, unknown> {
  const out = { ...stored };
  for (const [k, v] of Object.entries(patch)) {
    if (type !== "timeseries") {
      if (k.includes('"')) throw new HttpError(400, "bad_query: Invalid meta key");
      if (v === null) delete out[k];
      else out[k] = v;
      continue;
    }
    const spec = TIMESERIES_META[k];
    if (v === null) {
      if (spec) out[k] = spec.fallback();
      else if (k.includes('"')) throw new HttpError(400, "bad_query: Invalid meta key");
      continue;
    }
    checkEntry(k, v, checkSchema);
    out[k] = v;
  }
  return out;
}
