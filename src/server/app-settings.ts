import type { ErrorObject } from "ajv";
import { checkSchemaLimits, createUserSchemaAjv } from "../core/schema.js";
import { HttpError } from "./http/errors.js";

// App schemas are user input like timeseries schemas: same RE2 patterns, linear uniqueItems, limits.
const ajv = createUserSchemaAjv();

/**
 * App `settings_schema` is a "property map" unless it has a top-level `type`, which must then be
 * `object` (contract 5.5). Extra properties are forbidden by default.
 */
export function fullSettingsSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if ("type" in schema) {
    if (schema.type !== "object") throw new HttpError(400, "bad_query: Schema must have type 'object'");
    return { additionalProperties: false, ...schema };
  }
  const properties: Record<string, unknown> = {};
  const out: Record<string, unknown> = { type: "object", properties, additionalProperties: false };
  for (const [k, v] of Object.entries(schema)) {
    if (k === "required" || k === "additionalProperties") out[k] = v;
    else properties[k] = v;
  }
  return out;
}

function goType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Phrases an ajv error the way gojsonschema does, since its field name becomes the error type. */
function goMessage(e: ErrorObject, data: unknown): string {
  const field = e.instancePath === "" ? "(root)" : e.instancePath.slice(1).replaceAll("/", ".");
  switch (e.keyword) {
    case "additionalProperties":
      return `${field}: Additional property ${String(e.params.additionalProperty)} is not allowed`;
    case "required":
      return `${field}: ${String(e.params.missingProperty)} is required`;
    case "type": {
      let v: unknown = data;
      for (const part of e.instancePath.split("/").slice(1)) v = (v as Record<string, unknown>)[part];
      return `${field}: Invalid type. Expected: ${String(e.params.type)}, given: ${goType(v)}`;
    }
    default:
      return `${field}: ${e.message ?? "is invalid"}`;
  }
}

/** Inserts missing top-level defaults, then validates (contract 5.5). Returns the settings to store. */
export function checkedSettings(
  settings: Record<string, unknown>,
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const full = fullSettingsSchema(schema);
  const out = { ...settings };
  const props = (full.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [k, p] of Object.entries(props)) {
    if (!(k in out) && typeof p === "object" && p !== null && "default" in p) out[k] = p.default;
  }
  const limit = checkSchemaLimits(full, "settings_schema");
  if (limit) throw new HttpError(400, `bad_request: ${limit.message}`);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(full);
  } catch (e) {
    throw new HttpError(400, `bad_query: invalid settings_schema: ${(e as Error).message}`);
  }
  if (!validate(out)) throw new HttpError(400, goMessage(validate.errors![0]!, out));
  return out;
}
