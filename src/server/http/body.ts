import { JSON_BODY_MAX_DEPTH } from "../../core/schema-limits.js";
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

/**
 * Scans JSON text before JSON.parse: refuses nesting deeper than `maxDepth` (deep values overflow
 * the stack of every recursive walk after the parse: stringify, schema checks, equality), and tells
 * whether a number might not fit a double (an exponent, or 309+ digits), so that only such bodies
 * pay for the walk that finds Infinity. Runs outside strings only; invalid JSON is left to JSON.parse.
 */
export function scanJson(text: string, maxDepth: number): { tooDeep: boolean; bigNumber: boolean } {
  let depth = 0;
  let bigNumber = false;
  let digits = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 308) bigNumber = true;
      continue;
    }
    if ((c === 101 || c === 69) && digits > 0) bigNumber = true; // e/E right after digits
    digits = 0;
    if (c === 34) {
      // Skip the string: the next quote not preceded by an odd run of backslashes.
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) break;
      i = j;
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return { tooDeep: true, bigNumber };
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return { tooDeep: false, bigNumber };
}

/** An object key on firstPath's stack, told apart from a string value. */
class Key {
  constructor(readonly name: string) {}
}

/** Where the first value `bad` picks sits in `value`, as `[0].d.x` (a bad key names itself). */
function firstPath(value: unknown, bad: (v: unknown) => boolean): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v instanceof Key) {
      if (bad(v.name)) return path;
      continue;
    }
    if (bad(v)) return path;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const at = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
        // The key is looked at just before its value: the first problem in document order wins.
        stack.push([child, at], [new Key(k), at]);
      }
    }
  }
  return undefined;
}

/** Where the first non-finite number of `value` sits, as `[0].d.x`, or undefined. */
export function nonFinitePath(value: unknown): string | undefined {
  return firstPath(value, (v) => typeof v === "number" && !Number.isFinite(v));
}

/** A `\uD800`-`\uDFFF` escape: the only way a JSON text can carry half a surrogate pair. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` could carry half a surrogate pair at all (cheap: most bodies cannot). */
export function mayHoldLoneSurrogate(text: string): boolean {
  return SURROGATE_ESCAPE.test(text);
}

/**
 * Where the first string (key or value) holding half a surrogate pair sits. Such a string is not
 * text: databases store it as U+FFFD, so two keys that differ only there would collide, and a
 * name would not read back as it was written.
 */
export function loneSurrogatePath(value: unknown): string | undefined {
  return firstPath(value, (v) => typeof v === "string" && LONE_SURROGATE.test(v));
}

export function loneSurrogateError(field: string): HttpError {
  return new HttpError(
    400,
    `bad_request: ${field} holds half of a UTF-16 surrogate pair (an unpaired \\uD800-\\uDFFF escape); strings must be valid Unicode text`,
  );
}

/** The refusal of a body nested deeper than JSON_BODY_MAX_DEPTH. */
export function tooDeepError(): HttpError {
  return new HttpError(
    400,
    `bad_request: the JSON body is nested more than ${JSON_BODY_MAX_DEPTH} levels deep; at most ${JSON_BODY_MAX_DEPTH} are allowed`,
  );
}

/** The refusal of a number beyond a double at `field` (`body[3].d`). */
export function nonFiniteError(field: string): HttpError {
  return new HttpError(
    400,
    `bad_request: ${field} is a number too large for a double; JSON numbers must be finite`,
  );
}

/**
 * Decodes a JSON request body. Besides JSON.parse's syntax errors (`invalid JSON: …`), refuses with
 * 400 `bad_request` what JSON.parse accepts but nothing after it survives: nesting deeper than
 * JSON_BODY_MAX_DEPTH, and numbers beyond a double (`1e309` parses to Infinity, which is stored,
 * then read back as invalid JSON and breaks the series' order checks forever).
 */
export function parseJsonBody(text: string): unknown {
  const scan = scanJson(text, JSON_BODY_MAX_DEPTH);
  if (scan.tooDeep) {
    throw tooDeepError();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `invalid JSON: ${(e as Error).message}`);
  }
  if (scan.bigNumber) {
    const path = nonFinitePath(value);
    if (path !== undefined) {
      throw nonFiniteError(path === "" ? "the JSON body" : `body${path}`);
    }
  }
  const lone = mayHoldLoneSurrogate(text) ? loneSurrogatePath(value) : undefined;
  if (lone !== undefined) throw loneSurrogateError(lone === "" ? "the JSON body" : `body${lone}`);
  return value;
}
