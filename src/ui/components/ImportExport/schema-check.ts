/**
 * Row validation for the import. The first choice is the server's own ajv code (core/schema.ts).
 * ajv compiles schemas into functions with `new Function`, which the app's Content Security Policy
 * (no 'unsafe-eval') forbids in the browser; then this module falls back to a small interpreter
 * of the draft-07 keywords the schema editor writes (type, enum, const, properties, required,
 * additionalProperties, items, minimum/maximum and their exclusive forms, minLength/maxLength,
 * pattern, minItems/maxItems, anyOf/oneOf/allOf/not). Keywords it does not know are left to the
 * server, which checks every batch in full and refuses a batch as a whole.
 */
import { compileSchema, isEmptySchema } from "../../../core/schema";

/** Returns null when `d` passes, else a short reason naming the failing path. */
export type RowCheck = (d: unknown) => string | null;

export function rowChecker(schema: unknown): { check: RowCheck; exact: boolean } | null {
  if (isEmptySchema(schema)) return null;
  try {
    const validate = compileSchema(schema);
    return {
      exact: true,
      check: (d) => {
        if (validate(d) === true) return null;
        const e = validate.errors?.[0];
        if (!e) return "does not match the schema";
        const where = e.instancePath ? `${e.instancePath.slice(1).replaceAll("/", ".")} ` : "";
        return `${where}${e.message ?? "is invalid"}`;
      },
    };
  } catch {
    return { exact: false, check: (d) => interpret(schema, d, "") };
  }
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const actual = typeOf(v);
  return expected === actual || (expected === "number" && actual === "integer");
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function at(path: string): string {
  return path ? `${path} ` : "";
}

export function interpret(schema: unknown, v: unknown, path: string): string | null {
  if (schema === true || schema === undefined) return null;
  if (schema === false) return `${at(path)}is not allowed`;
  if (typeof schema !== "object" || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(t, v))) return `${at(path)}must be ${types.join(" or ")}`;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, v))) {
    return `${at(path)}must be equal to one of the allowed values`;
  }
  if ("const" in s && !equal(s.const, v)) return `${at(path)}must be equal to constant`;
  if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) return `${at(path)}must be >= ${s.minimum}`;
    if (typeof s.maximum === "number" && v > s.maximum) return `${at(path)}must be <= ${s.maximum}`;
    if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum)
      return `${at(path)}must be > ${s.exclusiveMinimum}`;
    if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum)
      return `${at(path)}must be < ${s.exclusiveMaximum}`;
  }
  if (typeof v === "string") {
    const length = [...v].length;
    if (typeof s.minLength === "number" && length < s.minLength)
      return `${at(path)}must NOT have fewer than ${s.minLength} characters`;
    if (typeof s.maxLength === "number" && length > s.maxLength)
      return `${at(path)}must NOT have more than ${s.maxLength} characters`;
    if (typeof s.pattern === "string") {
      try {
        if (!new RegExp(s.pattern, "u").test(v)) return `${at(path)}must match pattern "${s.pattern}"`;
      } catch {
        // A pattern JavaScript cannot read is left to the server.
      }
    }
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && v.length < s.minItems)
      return `${at(path)}must NOT have fewer than ${s.minItems} items`;
    if (typeof s.maxItems === "number" && v.length > s.maxItems)
      return `${at(path)}must NOT have more than ${s.maxItems} items`;
    if (s.items !== undefined && !Array.isArray(s.items)) {
      for (let i = 0; i < v.length; i++) {
        const r = interpret(s.items, v[i], path ? `${path}.${i}` : String(i));
        if (r) return r;
      }
    }
  }
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(s.required)) {
      for (const k of s.required as string[]) {
        if (!(k in o)) return `${at(path)}must have required property '${k}'`;
      }
    }
    const props = (typeof s.properties === "object" && s.properties !== null ? s.properties : {}) as Record<
      string,
      unknown
    >;
    for (const [k, value] of Object.entries(o)) {
      const child = path ? `${path}.${k}` : k;
      if (k in props) {
        const r = interpret(props[k], value, child);
        if (r) return r;
      } else if (s.additionalProperties === false) {
        return `${at(path)}must NOT have additional properties: "${k}"`;
      } else if (typeof s.additionalProperties === "object") {
        const r = interpret(s.additionalProperties, value, child);
        if (r) return r;
      }
    }
  }
  if (Array.isArray(s.allOf)) {
    for (const sub of s.allOf) {
      const r = interpret(sub, v, path);
      if (r) return r;
    }
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => interpret(sub, v, path) === null)) {
    return `${at(path)}must match a schema in anyOf`;
  }
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => interpret(sub, v, path) === null).length !== 1) {
    return `${at(path)}must match exactly one schema in oneOf`;
  }
  if (s.not !== undefined && interpret(s.not, v, path) === null) return `${at(path)}must NOT be valid`;
  return null;
}
