import { HttpError } from "./errors.js";

export type FieldKind = "string" | "bool" | "object" | "array" | "any";

const GO_TYPE: Record<FieldKind, string> = {
  string: "string",
  bool: "bool",
  object: "map[string]interface {}",
  array: "[]interface {}",
  any: "interface {}",
};

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

function matches(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "any":
      return true;
  }
}

type Fields<S extends Record<string, FieldKind>> = {
  [K in keyof S]?: S[K] extends "string"
    ? string
    : S[K] extends "bool"
      ? boolean
      : S[K] extends "object"
        ? Record<string, unknown>
        : S[K] extends "array"
          ? unknown[]
          : unknown;
};

/**
 * Reads a JSON body with Go's encoding/json semantics, which heedy clients rely on: unknown fields
 * are ignored, `null` means "not given", and a wrong JSON type is refused with Go's message
 * (contract 1.6). `errorType` lets POST /api/objects report these as `read_error` (6.2).
 */
export function readBody<S extends Record<string, FieldKind>>(
  body: unknown,
  spec: S,
  struct: string,
  errorType = "json",
): Fields<S> {
  if (body === undefined || body === null) return {};
  // Go's message starts with "json: "; under another error type it stays in the description (6.2).
  const prefix = errorType === "json" ? "json:" : `${errorType}: json:`;
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, `${prefix} cannot unmarshal ${jsonKind(body)} into Go value of type ${struct}`);
  }
  const out: Record<string, unknown> = {};
  const src = body as Record<string, unknown>;
  for (const [name, kind] of Object.entries(spec)) {
    const v = src[name];
    if (v === undefined || v === null) continue;
    if (!matches(kind, v)) {
      throw new HttpError(
        400,
        `${prefix} cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${name} of type ${GO_TYPE[kind]}`,
      );
    }
    out[name] = v;
  }
  return out as Fields<S>;
}
